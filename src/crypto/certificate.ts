/** Certificates and key pairs as the CMS code takes them (PEM). */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** A private key and its certificate, as held by whoever decrypts. */
export interface EnvelopeKey {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** Parses the first certificate in a PEM text. */
export function parseCertificatePem(certificatePem: string): pkijs.Certificate {
  const match = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(certificatePem);
  if (match?.[1] === undefined) throw new Error('no PEM certificate found');
  const der = Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
  return pkijs.Certificate.fromBER(new Uint8Array(der));
}

/** The OID of the KeyUsage extension (RFC 5280 §4.2.1.3). */
const KEY_USAGE = '2.5.29.15';

/**
 * Whether a certificate (DER) may receive an RSA-transported content key: RFC 5280 §4.2.1.3
 * says keyEncipherment must be set when a KeyUsage extension is present; a certificate
 * without the extension is not restricted. A KeyUsage that cannot be read counts as not
 * permitting it, so a malformed restriction is never read as "no restriction".
 */
export function permitsKeyEncipherment(der: Uint8Array): boolean {
  const extension = pkijs.Certificate.fromBER(der).extensions?.find((e) => e.extnID === KEY_USAGE);
  if (extension === undefined) return true;
  const parsed = asn1js.fromBER(extension.extnValue.valueBlock.valueHexView);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.BitString)) return false;
  // The bits are numbered from the most significant bit of the first byte: keyEncipherment is bit 2.
  return ((parsed.result.valueBlock.valueHexView[0] ?? 0) & 0x20) !== 0;
}
