/**
 * Streaming decryption of CMS EnvelopedData (docs/interfaces.md §12) as senders produce it: the message is
 * read element by element (asn1js decodes each header and small element), the encrypted content
 * passes through node:crypto's decipher as it arrives, so memory stays flat for any size.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { BerStreamReader, type BerHeader } from './ber-reader.js';
import { parseCertificatePem, type EnvelopeKey } from './certificate.js';
import { CmsError } from './cms-error.js';
import { unwrapContentKey } from './key-transport.js';

const OID_ENVELOPED_DATA = '1.2.840.113549.1.7.3';
const OID_DATA = '1.2.840.113549.1.7.1';
const OID_AES_256_CBC = '2.16.840.1.101.3.4.1.42';
const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';

const CONTENT_CIPHERS: Record<string, { name: string; keyLength: number; ivLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16, ivLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24, ivLength: 16 },
  [OID_AES_256_CBC]: { name: 'aes-256-cbc', keyLength: 32, ivLength: 16 },
  // Older .NET EnvelopedCms defaults to triple DES.
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24, ivLength: 8 },
};

// asn1js numbers tag classes from 1: universal 1, application 2, context-specific 3, private 4.
const UNIVERSAL = 1;
const CONTEXT = 3;
const TAG_SEQUENCE = 16;
const TAG_OCTET_STRING = 4;

type ByteSource = Readable | AsyncIterable<Uint8Array>;

interface PreparedKey {
  readonly certificate: pkijs.Certificate;
  readonly subjectKeyIdentifier: Buffer | undefined;
  readonly privateKey: KeyObject;
}

function prepareKey(key: EnvelopeKey): PreparedKey {
  const certificate = parseCertificatePem(key.certificatePem);
  const extension = certificate.extensions?.find((e) => e.extnID === OID_SUBJECT_KEY_IDENTIFIER);
  const parsed: unknown = extension?.parsedValue;
  return {
    certificate,
    subjectKeyIdentifier:
      parsed instanceof asn1js.OctetString ? Buffer.from(parsed.valueBlock.valueHexView) : undefined,
    privateKey: crypto.createPrivateKey(key.privateKeyPem),
  };
}

/**
 * Decrypts a CMS EnvelopedData stream with whichever of `keys` it was encrypted for. Accepts DER
 * and BER (definite or indefinite lengths, primitive or segmented content), RSA PKCS#1 v1.5 and
 * RSAES-OAEP key transport, AES-128/192/256-CBC and triple-DES content. Errors are {@link CmsError}s,
 * raised on the returned stream; the last plaintext block is only passed on once the whole
 * message has been read, so a truncated message never looks complete.
 */
export function decryptEnvelope(keys: readonly EnvelopeKey[], ciphertext: ByteSource): Readable {
  const plaintext = Readable.from(decryptPieces(keys, ciphertext), { objectMode: false });
  // Destroyed before its first read (a HEAD, a download cut off at once), the generator never
  // started and so never closes the ciphertext's file: closed here with the plaintext.
  if (ciphertext instanceof Readable) plaintext.once('close', () => ciphertext.destroy());
  return plaintext;
}

/** What a decryption learns about where things are, for later random access (envelope-index.ts). */
export interface EnvelopeObserver {
  /** The content cipher and its key, once the recipient info is read. */
  cipher(spec: CipherSpec, contentKey: Buffer): void;
  /** `length` bytes of encrypted content found at `envelopeOffset` of the message. */
  content(envelopeOffset: number, length: number): void;
}

/** The generator behind {@link decryptEnvelope}; `observer` hears where the content lies. */
export async function* decryptPieces(
  keys: readonly EnvelopeKey[],
  ciphertext: ByteSource,
  observer?: EnvelopeObserver,
): AsyncGenerator<Buffer> {
  const iterator = (ciphertext as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const reader = new BerStreamReader(iterator);
  try {
    const open: Container[] = [];
    await enter(reader, open, UNIVERSAL, TAG_SEQUENCE, 'ContentInfo');
    const contentType = await reader.readElement();
    if (!isOid(contentType, OID_ENVELOPED_DATA)) {
      // A signed .p7m (SignedData) or a plain data ContentInfo: not an encryption at all.
      throw new CmsError('malformed', 'the content type is not EnvelopedData');
    }
    await enter(reader, open, CONTEXT, 0, 'ContentInfo content');
    await enter(reader, open, UNIVERSAL, TAG_SEQUENCE, 'EnvelopedData');
    if (!((await reader.readElement()) instanceof asn1js.Integer)) {
      throw new CmsError('malformed', 'EnvelopedData has no version');
    }
    let next = await reader.peekHeader();
    if (next.tagClass === CONTEXT && next.tagNumber === 0) {
      await reader.readElement(); // originatorInfo: certificates we do not need
    }
    const recipientInfos = await reader.readElement();
    if (!(recipientInfos instanceof asn1js.Set)) throw new CmsError('malformed', 'EnvelopedData has no recipientInfos');
    await enter(reader, open, UNIVERSAL, TAG_SEQUENCE, 'EncryptedContentInfo');
    const encryptedType = await reader.readElement();
    if (!(encryptedType instanceof asn1js.ObjectIdentifier)) {
      throw new CmsError('malformed', 'the encrypted content has no content type');
    }
    if (!isOid(encryptedType, OID_DATA)) {
      throw new CmsError(
        'unsupported',
        'the encrypted content type is not data',
        `det krypterte innholdet har innholdstypen ${encryptedType.valueBlock.toString()}, ikke data (1.2.840.113549.1.7.1); krypter selve PDF-filen`,
      );
    }
    const cipherSpec = readContentAlgorithm(await reader.readElement());
    const contentKey = findContentKey(keys.map(prepareKey), recipientInfos, cipherSpec.keyLength);
    const decipher = createDecipher(cipherSpec, contentKey);
    observer?.cipher(cipherSpec, contentKey);
    next = await reader.readHeader();
    if (next.tagClass !== CONTEXT || next.tagNumber !== 0) {
      throw new CmsError('malformed', 'the message carries no encrypted content');
    }
    for await (const piece of contentPieces(reader, next)) {
      observer?.content(reader.position - piece.length, piece.length);
      const plain = decipher.update(piece);
      if (plain.length > 0) yield plain;
    }
    await closeAll(reader, open);
    if (!(await reader.atEnd())) throw new CmsError('malformed', 'bytes follow the end of the message');
    let last: Buffer;
    try {
      last = decipher.final();
    } catch {
      throw new CmsError('decrypt-failed', 'the content does not decrypt with our key');
    }
    if (last.length > 0) yield last;
  } finally {
    await iterator.return?.();
  }
}

/** An open constructed element: where it ends (definite) or null (ends with end-of-contents). */
interface Container {
  readonly end: number | null;
}

async function enter(
  reader: BerStreamReader,
  open: Container[],
  tagClass: number,
  tagNumber: number,
  what: string,
): Promise<void> {
  const header = await reader.readHeader();
  if (header.tagClass !== tagClass || header.tagNumber !== tagNumber || !header.constructed) {
    throw new CmsError('malformed', `${what} is not where it should be; this is not a CMS message`);
  }
  open.push({ end: header.length === null ? null : reader.position + header.length });
}

/** Reads the rest of each open element (unprotected attributes and end markers), innermost first. */
async function closeAll(reader: BerStreamReader, open: Container[]): Promise<void> {
  for (let container = open.pop(); container !== undefined; container = open.pop()) {
    for (;;) {
      if (container.end !== null) {
        if (reader.position === container.end) break;
        if (reader.position > container.end) throw new CmsError('malformed', 'an element overruns its container');
        await reader.readElement();
        continue;
      }
      const header = await reader.peekHeader();
      if (header.tagClass === UNIVERSAL && header.tagNumber === 0 && header.length === 0) {
        await reader.readHeader();
        break;
      }
      await reader.readElement();
    }
  }
}

/**
 * Deepest nesting of constructed OCTET STRING segments taken in the encrypted content. Real
 * encoders nest one level (OpenSSL -stream, BouncyCastle's stream generator) or two; a
 * message nested thousands of levels deep overflowed the stack, answered 500 and told the
 * sender to try again (review of 6 December 2026).
 */
export const MAX_SEGMENT_NESTING = 16;

/**
 * The encrypted bytes: one primitive [0], or a constructed [0] of OCTET STRING segments
 * (possibly nested, up to MAX_SEGMENT_NESTING), walked without recursion.
 */
async function* contentPieces(reader: BerStreamReader, header: BerHeader): AsyncGenerator<Buffer> {
  // Where each open constructed segment ends, outermost first (null: at its end-of-contents).
  const open: (number | null)[] = [];
  let next: BerHeader | undefined = header;
  for (;;) {
    if (next !== undefined) {
      if (!next.constructed) {
        if (next.length === null) throw new CmsError('malformed', 'encrypted content without length');
        yield* reader.readContent(next.length);
      } else {
        if (open.length >= MAX_SEGMENT_NESTING) {
          throw new CmsError(
            'malformed',
            `the encrypted content nests its segments over ${MAX_SEGMENT_NESTING} levels deep`,
          );
        }
        open.push(next.length === null ? null : reader.position + next.length);
      }
      next = undefined;
    }
    if (open.length === 0) return;
    const end = open[open.length - 1] as number | null;
    if (end !== null && reader.position >= end) {
      if (reader.position > end) throw new CmsError('malformed', 'a content segment overruns the content');
      open.pop();
      continue;
    }
    const segment = await reader.readHeader();
    if (end === null && segment.tagClass === UNIVERSAL && segment.tagNumber === 0 && segment.length === 0) {
      open.pop();
      continue;
    }
    if (segment.tagClass !== UNIVERSAL || segment.tagNumber !== TAG_OCTET_STRING) {
      throw new CmsError('malformed', 'the encrypted content holds something other than OCTET STRING segments');
    }
    next = segment;
  }
}

function isOid(element: asn1js.AsnType, oid: string): boolean {
  return element instanceof asn1js.ObjectIdentifier && element.valueBlock.toString() === oid;
}

/** A content cipher: node's name for it, its key length and the IV from the message. */
export interface CipherSpec {
  readonly name: string;
  readonly keyLength: number;
  readonly iv: Buffer;
}

function readContentAlgorithm(element: asn1js.AsnType): CipherSpec {
  let algorithm: pkijs.AlgorithmIdentifier;
  try {
    algorithm = new pkijs.AlgorithmIdentifier({ schema: element });
  } catch {
    throw new CmsError('malformed', 'the content encryption algorithm could not be read');
  }
  const known = CONTENT_CIPHERS[algorithm.algorithmId];
  if (known === undefined) {
    throw new CmsError(
      'unsupported',
      `content encryption algorithm ${algorithm.algorithmId} is not supported`,
      `innholdet er kryptert med en algoritme som ikke støttes (${algorithm.algorithmId}); bruk AES-256-CBC`,
    );
  }
  const params: unknown = algorithm.algorithmParams;
  if (!(params instanceof asn1js.OctetString) || params.valueBlock.valueHexView.length !== known.ivLength) {
    throw new CmsError('malformed', 'the content encryption algorithm has no valid IV');
  }
  return { name: known.name, keyLength: known.keyLength, iv: Buffer.from(params.valueBlock.valueHexView) };
}

function createDecipher(spec: CipherSpec, key: Buffer): crypto.Decipheriv {
  try {
    return crypto.createDecipheriv(spec.name, key, spec.iv);
  } catch {
    throw new CmsError('decrypt-failed', 'the content key does not fit the content encryption algorithm');
  }
}

function findContentKey(keys: readonly PreparedKey[], recipientInfos: asn1js.Set, keyLength: number): Buffer {
  for (const element of recipientInfos.valueBlock.value) {
    let info: pkijs.RecipientInfo;
    try {
      info = new pkijs.RecipientInfo({ schema: element });
    } catch {
      continue; // a recipient kind pkijs does not know cannot be ours
    }
    if (info.variant !== 1 || !(info.value instanceof pkijs.KeyTransRecipientInfo)) continue;
    const transport = info.value;
    const key = keys.find((candidate) => identifies(transport.rid, candidate));
    if (key === undefined) continue;
    return unwrapContentKey(
      key.privateKey,
      transport.keyEncryptionAlgorithm,
      Buffer.from(transport.encryptedKey.valueBlock.valueHexView),
      keyLength,
    );
  }
  throw new CmsError('unknown-recipient', 'the message is not encrypted for any certificate we hold');
}

function identifies(rid: pkijs.RecipientIdentifierType, key: PreparedKey): boolean {
  if (rid instanceof pkijs.IssuerAndSerialNumber) {
    return rid.issuer.isEqual(key.certificate.issuer) && rid.serialNumber.isEqual(key.certificate.serialNumber);
  }
  return (
    key.subjectKeyIdentifier !== undefined && Buffer.from(rid.valueBlock.valueHexView).equals(key.subjectKeyIdentifier)
  );
}
