/**
 * The check of a receiving system's certificate (SvarInn downloads are encrypted to it,
 * docs/interfaces.md §12): one PEM X.509 certificate, parseable, with an RSA key (key
 * transport to it is RSA) that its KeyUsage, if any, allows for key transport, and valid
 * now. Parsed with Node's X509Certificate (OpenSSL); the KeyUsage bits, which it does not
 * expose, with pkijs.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { permitsKeyEncipherment } from '../crypto/certificate.js';
import { wrapContentKey } from '../crypto/key-transport.js';
import { ValidationError } from '../domain/errors.js';

/** What the admin web shows of a certificate. */
export interface CertificateFacts {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  /** Epoch milliseconds. */
  readonly validFrom: number;
  /** Epoch milliseconds. */
  readonly validTo: number;
  /** SHA-256 fingerprint, colon-separated upper-case hex. */
  readonly fingerprint256: string;
  readonly keyBits?: number;
}

/** The largest PEM accepted (a certificate is a few KB). */
export const MAX_CERTIFICATE_CHARS = 64 * 1024;

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The facts of a stored (already checked) certificate. */
export function certificateFacts(pem: string): CertificateFacts {
  const cert = new X509Certificate(pem);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    serialNumber: cert.serialNumber,
    validFrom: Date.parse(cert.validFrom),
    validTo: Date.parse(cert.validTo),
    fingerprint256: cert.fingerprint256,
    keyBits: cert.publicKey.asymmetricKeyDetails?.modulusLength,
  };
}

/** The largest RSA key OpenSSL encrypts to (OPENSSL_RSA_MAX_MODULUS_BITS). */
const MAX_RSA_BITS = 16_384;

const refuse = (message: string): never => {
  throw new ValidationError([{ field: 'sertifikat', message: `Ugyldig sertifikat: ${message}` }]);
};

/**
 * A certificate file's bytes as PEM text: PEM as it is, a binary DER certificate (Windows'
 * «.cer» export) converted. Anything else is handed on as text, for the check to name.
 */
export function certificateText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length === 0 || buffer[0] !== 0x30 || buffer.includes('-----BEGIN')) return buffer.toString('utf8');
  try {
    return new X509Certificate(buffer).toString();
  } catch {
    return buffer.toString('utf8');
  }
}

/**
 * The one certificate to encrypt to among `blocks`: the only one, or in a chain (the system's
 * certificate with its CA's) the only one that is no CA.
 */
function leafOf(blocks: readonly string[]): X509Certificate {
  const certs = blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch {
      return refuse('kan ikke leses som X.509');
    }
  });
  if (certs.length === 1) return certs[0] as X509Certificate;
  const leaves = certs.filter((c) => !c.ca);
  if (leaves.length !== 1) refuse('oppgi systemets eget sertifikat (kjeden har ikke nøyaktig ett som ikke er en CA)');
  return leaves[0] as X509Certificate;
}

/** The certificate as normalised PEM, or ValidationError naming the field `sertifikat` and the reason. */
export function checkReceiverCertificate(text: string, now: number): { pem: string; facts: CertificateFacts } {
  if (text.length > MAX_CERTIFICATE_CHARS) refuse(`for stort (mer enn ${MAX_CERTIFICATE_CHARS} tegn)`);
  const blocks = text.match(PEM) ?? [];
  if (blocks.length === 0) {
    // DER read as text: its bytes are no UTF-8, so the replacement character shows them.
    if (text.startsWith('0') && text.includes('\uFFFD'))
      refuse(
        'filen er et binært DER-sertifikat; last det opp som PEM (openssl x509 -inform DER -in fil.cer -out fil.pem), eller bruk CLI-en, som leser begge',
      );
    refuse('fant ingen PEM-blokk «-----BEGIN CERTIFICATE-----»');
  }
  const parsed = leafOf(blocks);
  if (parsed.publicKey.asymmetricKeyType !== 'rsa') {
    refuse(`nøkkelen må være RSA (fikk ${parsed.publicKey.asymmetricKeyType ?? 'ukjent'})`);
  }
  const bits = parsed.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) refuse(`RSA-nøkkelen må være minst 2048 bit (fikk ${bits})`);
  // OpenSSL encrypts to at most 16 384 bits: a larger key was taken, and every download of
  // the system's letters then failed with 500 (review of 6 December 2026).
  if (bits > MAX_RSA_BITS) refuse(`RSA-nøkkelen kan være høyst ${MAX_RSA_BITS} bit (fikk ${bits})`);
  // RFC 8017 §3.1: e is odd and at least 3. With e = 1 "encryption" leaves the padded
  // content key as it is, so anyone could open the system's letters.
  const exponent = parsed.publicKey.asymmetricKeyDetails?.publicExponent ?? 0n;
  if (exponent < 3n || exponent % 2n === 0n || exponent >= 2n ** 256n)
    refuse(
      `RSA-nøkkelens offentlige eksponent (${exponent < 2n ** 32n ? exponent : 'over 2^32'}) er ikke trygg: den må være et oddetall fra 3 (vanligvis 65537)`,
    );
  // Letters are encrypted to the key by RSA key transport, which a KeyUsage extension
  // without keyEncipherment forbids (RFC 5280 §4.2.1.3): a receiver's software that holds to
  // it refuses to decrypt, so the system could not open the letters it fetches.
  let keyTransport = false;
  try {
    keyTransport = permitsKeyEncipherment(new Uint8Array(parsed.raw));
  } catch {
    refuse('kan ikke leses som X.509');
  }
  if (!keyTransport)
    refuse('nøkkelbruken (KeyUsage) mangler keyEncipherment, som kryptering av brev til systemet krever');
  // A content key wrapped to it now, as every download will: a key OpenSSL will not encrypt
  // to (an exponent over 64 bits with a modulus over 3 072 bits, and any limit of its own)
  // is refused here, not found at the system's first download as a 500 (found in review).
  try {
    wrapContentKey(parsed.publicKey, randomBytes(32), 'rsa-oaep-sha256');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    refuse(`nøkkelen kan ikke brukes til kryptering (${reason})`);
  }
  const pem = parsed.toString();
  const facts = certificateFacts(pem);
  if (facts.validTo <= now) refuse(`utløpt ${new Date(facts.validTo).toISOString()}`);
  if (facts.validFrom > now) refuse(`ikke gyldig før ${new Date(facts.validFrom).toISOString()}`);
  return { pem, facts };
}
