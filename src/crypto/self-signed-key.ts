/**
 * A new RSA key pair with a self-signed X.509 certificate, as an installation's CMS key: the
 * certificate is what senders encrypt to (docs/interfaces.md §12: "PEM X.509", fetched from
 * /forsendelse/publickey/hent), the same shape `openssl req -x509 -newkey rsa:2048` makes.
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** Years a generated certificate is valid; senders encrypting to it do not check, rotation replaces it. */
const VALID_YEARS = 10;

/** A key pair as PEM texts: the certificate and the PKCS#8 private key. */
export interface PemKeyPair {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

function pem(label: string, der: ArrayBuffer): string {
  const lines = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN ${label}-----\n${lines}\n-----END ${label}-----\n`;
}

function extension(extnID: string, critical: boolean, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

/** Generates an RSA-3072 key and a self-signed certificate for `commonName`, valid from `now`. */
export async function generateSelfSignedKey(commonName: string, now: number): Promise<PemKeyPair> {
  const subtle = webcrypto.subtle as unknown as SubtleCrypto;
  // pkijs's engine type lists newer WebCrypto methods than Node's types declare; it uses only the classic ones here.
  const engine = new pkijs.CryptoEngine({
    name: 'node',
    crypto: webcrypto as unknown as Crypto,
  }) as unknown as pkijs.ICryptoEngine;
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 3072,
  };
  const keys = (await subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01; // a positive INTEGER without a leading zero byte
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  const name = new pkijs.AttributeTypeAndValue({
    type: '2.5.4.3',
    value: new asn1js.Utf8String({ value: commonName }),
  });
  certificate.subject.typesAndValues.push(name);
  certificate.issuer.typesAndValues.push(name);
  certificate.notBefore.value = new Date(now - 60_000);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALID_YEARS);
  certificate.notAfter.value = notAfter;
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  const publicKeyBits = certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  certificate.extensions = [
    extension('2.5.29.19', true, new pkijs.BasicConstraints({ cA: false }).toSchema()),
    // keyUsage: digitalSignature, keyEncipherment, dataEncipherment (bits 0, 2, 3).
    extension('2.5.29.15', true, new asn1js.BitString({ valueHex: new Uint8Array([0xb0]), unusedBits: 4 })),
    extension(
      '2.5.29.14',
      false,
      new asn1js.OctetString({ valueHex: createHash('sha1').update(publicKeyBits).digest() }),
    ),
  ];
  await certificate.sign(keys.privateKey, 'SHA-256', engine);
  return {
    certificatePem: pem('CERTIFICATE', certificate.toSchema(true).toBER(false)),
    privateKeyPem: pem('PRIVATE KEY', await subtle.exportKey('pkcs8', keys.privateKey)),
  };
}
