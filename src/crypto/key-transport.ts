import crypto, { type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CmsError } from './cms-error.js';

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_RSAES_OAEP = '1.2.840.113549.1.1.7';
const OID_MGF1 = '1.2.840.113549.1.1.8';
const OID_P_SPECIFIED = '1.2.840.113549.1.1.9';

const HASH_BY_OID: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

/** How the content key is wrapped for the recipient's RSA key. */
export type KeyTransport = 'rsa-oaep-sha256' | 'rsa-pkcs1-v1_5';

/** The keyEncryptionAlgorithm and wrapped key for one recipient. */
export function wrapContentKey(
  publicKey: KeyObject,
  contentKey: Buffer,
  transport: KeyTransport,
): { algorithm: pkijs.AlgorithmIdentifier; encryptedKey: Buffer } {
  if (transport === 'rsa-pkcs1-v1_5') {
    return {
      algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID_RSA_ENCRYPTION, algorithmParams: new asn1js.Null() }),
      encryptedKey: crypto.publicEncrypt({ key: publicKey, padding: crypto.constants.RSA_PKCS1_PADDING }, contentKey),
    };
  }
  // RSAES-OAEP with SHA-256 and MGF1-SHA-256, the variant KS's Java examples and fixtures use (docs/interfaces.md §12).
  const sha256 = new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA256, algorithmParams: new asn1js.Null() });
  const params = new pkijs.RSAESOAEPParams({
    hashAlgorithm: sha256,
    maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID_MGF1, algorithmParams: sha256.toSchema() }),
  });
  return {
    algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID_RSAES_OAEP, algorithmParams: params.toSchema() }),
    encryptedKey: crypto.publicEncrypt(
      { key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      contentKey,
    ),
  };
}

/**
 * Unwraps a content key. A PKCS#1 v1.5 block with bad padding yields a random key instead of an
 * error (implicit rejection), so the failure shows only as content that does not decrypt, the same
 * as any other wrong key: no padding oracle.
 */
export function unwrapContentKey(
  privateKey: KeyObject,
  algorithm: pkijs.AlgorithmIdentifier,
  encryptedKey: Buffer,
  expectedKeyLength: number,
): Buffer {
  if (algorithm.algorithmId === OID_RSA_ENCRYPTION) {
    return unwrapPkcs1(privateKey, encryptedKey, expectedKeyLength);
  }
  if (algorithm.algorithmId === OID_RSAES_OAEP) {
    const { hash, mgfHash, label } = oaepParameters(algorithm);
    if (hash !== mgfHash) {
      throw new CmsError(
        'unsupported',
        `RSAES-OAEP with ${hash} and MGF1-${mgfHash} is not supported`,
        `nøkkelen er kryptert med RSAES-OAEP med ${hashName(hash)} og MGF1 med ${hashName(mgfHash)}, som ikke støttes: bruk samme hash i begge (RSAES-OAEP med SHA-256 og MGF1-SHA-256) eller RSA PKCS#1 v1.5`,
      );
    }
    try {
      return crypto.privateDecrypt(
        { key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash, oaepLabel: label },
        encryptedKey,
      );
    } catch {
      throw new CmsError('decrypt-failed', 'the content key does not decrypt with our key');
    }
  }
  throw new CmsError(
    'unsupported',
    `key transport algorithm ${algorithm.algorithmId} is not supported`,
    `nøkkelen er kryptert med en metode som ikke støttes (${algorithm.algorithmId}); bruk RSAES-OAEP med SHA-256 eller RSA PKCS#1 v1.5`,
  );
}

function oaepParameters(algorithm: pkijs.AlgorithmIdentifier): { hash: string; mgfHash: string; label: Buffer } {
  let params: pkijs.RSAESOAEPParams;
  try {
    params =
      algorithm.algorithmParams instanceof asn1js.Sequence
        ? new pkijs.RSAESOAEPParams({ schema: algorithm.algorithmParams })
        : new pkijs.RSAESOAEPParams();
  } catch {
    throw new CmsError('malformed', 'RSAES-OAEP parameters could not be read');
  }
  const hash = HASH_BY_OID[params.hashAlgorithm.algorithmId];
  let mgfHash: string | undefined;
  if (params.maskGenAlgorithm.algorithmId === OID_MGF1) {
    const mgfParams: unknown = params.maskGenAlgorithm.algorithmParams;
    mgfHash =
      mgfParams instanceof asn1js.Sequence
        ? HASH_BY_OID[new pkijs.AlgorithmIdentifier({ schema: mgfParams }).algorithmId]
        : 'sha1';
  }
  if (hash === undefined || mgfHash === undefined) {
    throw new CmsError(
      'unsupported',
      'RSAES-OAEP with an unknown hash or mask generation function',
      'nøkkelen er kryptert med RSAES-OAEP med en hash eller maskegenerering som ikke støttes; bruk SHA-256 og MGF1-SHA-256',
    );
  }
  // pkijs fills an absent pSourceFunc with SHA-1("") as the label; the default (RFC 8017 A.2.1) is
  // the empty label, so only a [2] actually present in the encoding sets one.
  const pSourcePresent =
    algorithm.algorithmParams instanceof asn1js.Sequence &&
    algorithm.algorithmParams.valueBlock.value.some((e) => e.idBlock.tagClass === 3 && e.idBlock.tagNumber === 2);
  let label = Buffer.alloc(0);
  if (pSourcePresent && params.pSourceAlgorithm.algorithmId === OID_P_SPECIFIED) {
    const value: unknown = params.pSourceAlgorithm.algorithmParams;
    if (value instanceof asn1js.OctetString) label = Buffer.from(value.valueBlock.valueHexView);
  }
  return { hash, mgfHash, label };
}

function unwrapPkcs1(privateKey: KeyObject, encryptedKey: Buffer, expectedKeyLength: number): Buffer {
  // Node refuses RSA_PKCS1_PADDING for private decryption (CVE-2023-46809), so take the raw
  // block and check the EME-PKCS1-v1_5 layout (00 02 PS 00 M, PS at least 8 non-zero bytes) here.
  const fallback = crypto.randomBytes(expectedKeyLength);
  let block: Buffer;
  try {
    block = crypto.privateDecrypt({ key: privateKey, padding: crypto.constants.RSA_NO_PADDING }, encryptedKey);
  } catch {
    throw new CmsError('decrypt-failed', 'the content key does not decrypt with our key');
  }
  let separator = -1;
  for (let i = 2; i < block.length; i += 1) {
    if (block[i] === 0 && separator === -1) separator = i;
  }
  const wellFormed =
    block[0] === 0 && block[1] === 2 && separator >= 10 && block.length - separator - 1 === expectedKeyLength;
  return wellFormed ? block.subarray(separator + 1) : fallback;
}

/** `sha256` as senders' tools name it: SHA-256. */
function hashName(hash: string): string {
  return hash.toUpperCase().replace(/^SHA(\d)/, 'SHA-$1');
}
