/**
 * CMS EnvelopedData as docs/interfaces.md §12 (KS SvarUt) describes it: one KeyTransRecipientInfo per
 * certificate, content type data, AES-256-CBC content. Encryption writes BER with indefinite
 * lengths and the content as a constructed OCTET STRING of segments, like BouncyCastle's
 * streaming generator, so a message of any size is written as it is produced. The module's
 * public face: decryption (cms-decrypt.ts) and the key types are re-exported from here.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseCertificatePem } from './certificate.js';
import { wrapContentKey, type KeyTransport } from './key-transport.js';

const OID_ENVELOPED_DATA = '1.2.840.113549.1.7.3';
const OID_DATA = '1.2.840.113549.1.7.1';
const OID_AES_256_CBC = '2.16.840.1.101.3.4.1.42';

/** Options for {@link encryptToCertificate}. */
export interface EncryptOptions {
  /** RSAES-OAEP-SHA256 (default, what KS's fixtures show) or PKCS#1 v1.5 (what old .NET receivers read). */
  readonly keyTransport?: KeyTransport;
}

type ByteSource = Readable | AsyncIterable<Uint8Array>;

/** Encrypts a stream to one certificate as binary CMS EnvelopedData (BER), streaming. */
export function encryptToCertificate(
  certificatePem: string,
  plaintext: ByteSource,
  options: EncryptOptions = {},
): Readable {
  const certificate = parseCertificatePem(certificatePem);
  const publicKey = crypto.createPublicKey(certificatePem);
  const contentKey = crypto.randomBytes(32);
  const iv = crypto.randomBytes(16);
  const wrapped = wrapContentKey(publicKey, contentKey, options.keyTransport ?? 'rsa-oaep-sha256');
  const recipient = new pkijs.KeyTransRecipientInfo({
    version: 0,
    rid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
    keyEncryptionAlgorithm: wrapped.algorithm,
    encryptedKey: new asn1js.OctetString({ valueHex: wrapped.encryptedKey }),
  });
  const contentAlgorithm = new pkijs.AlgorithmIdentifier({
    algorithmId: OID_AES_256_CBC,
    algorithmParams: new asn1js.OctetString({ valueHex: iv }),
  });
  const indefinite = { isIndefiniteForm: true };
  // The whole structure with an empty encrypted content: everything before its five closing
  // end-of-contents markers is the header, the markers are the trailer.
  const skeleton = new asn1js.Sequence({
    lenBlock: indefinite,
    value: [
      new asn1js.ObjectIdentifier({ value: OID_ENVELOPED_DATA }),
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        lenBlock: indefinite,
        value: [
          new asn1js.Sequence({
            lenBlock: indefinite,
            value: [
              new asn1js.Integer({ value: 0 }),
              new asn1js.Set({ value: [new pkijs.RecipientInfo({ variant: 1, value: recipient }).toSchema()] }),
              new asn1js.Sequence({
                lenBlock: indefinite,
                value: [
                  new asn1js.ObjectIdentifier({ value: OID_DATA }),
                  contentAlgorithm.toSchema(),
                  new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, lenBlock: indefinite, value: [] }),
                ],
              }),
            ],
          }),
        ],
      }),
    ],
  });
  const encoded = Buffer.from(skeleton.toBER());
  const trailerLength = 5 * 2;
  const header = encoded.subarray(0, encoded.length - trailerLength);
  const trailer = encoded.subarray(encoded.length - trailerLength);
  if (!trailer.equals(Buffer.alloc(trailerLength))) throw new Error('unexpected CMS skeleton encoding');

  async function* produce(): AsyncGenerator<Buffer> {
    const cipher = crypto.createCipheriv('aes-256-cbc', contentKey, iv);
    yield header;
    for await (const chunk of plaintext) {
      const encrypted = cipher.update(chunk as Uint8Array);
      if (encrypted.length > 0) yield octetString(encrypted);
    }
    yield octetString(cipher.final());
    yield trailer;
  }
  const envelope = Readable.from(produce(), { objectMode: false });
  // Destroyed before the generator reached the plaintext (a HEAD, a download cut off at
  // once), the plaintext is never read and so never closed by it: closed here with the
  // envelope, whatever it holds open (found in review).
  if (plaintext instanceof Readable) envelope.once('close', () => plaintext.destroy());
  return envelope;
}

function octetString(bytes: Buffer): Buffer {
  return Buffer.from(new asn1js.OctetString({ valueHex: bytes }).toBER());
}

export { parseCertificatePem, type EnvelopeKey } from './certificate.js';
export { decryptEnvelope, decryptPieces, type CipherSpec, type EnvelopeObserver } from './cms-decrypt.js';
export { CmsError, type CmsErrorCode } from './cms-error.js';
export type { KeyTransport } from './key-transport.js';
