/**
 * A letter's stored files as their plaintext, wherever they are read (compose, print, the
 * inbox, the admin web): a file kept encrypted at rest (BlobRef.cms: an encrypted letter's
 * documents as the sender sent them, its composed files encrypted to the installation's key)
 * is decrypted as it streams; any other file is read as stored.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CmsError, decryptEnvelope, encryptToCertificate } from '../crypto/cms-envelope.js';
import type { BlobRef } from '../domain/model.js';
import type { BlobStore, ByteRange } from '../storage/ports.js';
import type { InstallationKeys } from './installation-keys.js';

/** The plaintext size of a stored file. */
export function plaintextSize(blob: BlobRef): number {
  return blob.cms?.plaintextSize ?? blob.size;
}

/** Reading stored files as plaintext, and storing files encrypted at rest. */
export class LetterFiles {
  constructor(
    private readonly blobs: Pick<BlobStore, 'get' | 'stream'>,
    private readonly keys: InstallationKeys,
  ) {}

  /**
   * Streams (a range of) the plaintext; an encrypted file is decrypted from its start and cut
   * to the range. A whole file is checked against its address as it streams (`verified`): a
   * copy damaged on disk ends the stream with DamagedBlobError, so a download breaks off
   * rather than delivering a cut or changed document as complete (found in review: a SvarInn
   * receiver got a truncated PDF in a valid zip). A range that covers the whole file
   * (`bytes=0-`, as download managers and viewers ask) is read as the whole file, checked; a
   * range of part of it cannot be checked on its own.
   */
  async open(blob: BlobRef, asked?: ByteRange): Promise<Readable> {
    const range = asked !== undefined && asked.start === 0 && asked.end >= plaintextSize(blob) - 1 ? undefined : asked;
    if (blob.cms === undefined) {
      const file = await this.blobs.stream(blob.sha256, range);
      return range === undefined ? checkedStream(file, blob) : file;
    }
    const keys = await this.keys.decryptionKeys();
    const file = await this.blobs.stream(blob.sha256);
    const plain = decryptEnvelope(keys, range === undefined ? checkedStream(file, blob) : file);
    if (range === undefined) return plain;
    const part = Readable.from(slice(plain, range.start, range.end), { objectMode: false });
    part.once('close', () => plain.destroy()); // and the file with it, also when never read
    return part;
  }

  /** The whole plaintext in memory (compose and print hold whole files anyway), in one buffer of its known size. */
  async read(blob: BlobRef): Promise<Uint8Array> {
    const cms = blob.cms;
    // Checked against its address as it is read: a file damaged on disk after it was stored
    // fails as DamagedBlobError, saying so, instead of reaching the PDF work, where it would
    // read as a fault of the sender's document (src/jobs/letter-file.ts decides what follows).
    // An encrypted file's ciphertext is checked the same way before it is decrypted: a
    // changed byte in AES-CBC still decrypts, to garbage of the right length.
    const stored = async (): Promise<AsyncIterable<Uint8Array>> => verified(await this.blobs.stream(blob.sha256), blob);
    if (cms === undefined) return collectExactly(await stored(), blob.size);
    const decrypt = async (fresh: boolean): Promise<Uint8Array> =>
      collectExactly(decryptEnvelope(await this.keys.decryptionKeys(fresh), await stored()), cms.plaintextSize);
    try {
      return await decrypt(false);
    } catch (error) {
      // A key rotated on another node within the key list's lifetime: read the list afresh once.
      if (!(error instanceof CmsError) || error.code !== 'unknown-recipient') throw error;
      return decrypt(true);
    }
  }

  /** Stores `bytes` encrypted to the current key in `blobs` (a custody scope's store); the ref says so. */
  async putEncrypted(blobs: Pick<BlobStore, 'put'>, bytes: Uint8Array): Promise<BlobRef> {
    const key = await this.keys.current();
    const stored = await blobs.put(
      encryptToCertificate(key.certificatePem, Readable.from(slices(bytes), { objectMode: false })),
    );
    return { sha256: stored.sha256, size: stored.size, cms: { plaintextSize: bytes.length } };
  }
}

/** `bytes` in 1 MiB views, so the encrypted copy is written in pieces, never as a second whole buffer. */
function* slices(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += 1024 * 1024) yield bytes.subarray(at, at + 1024 * 1024);
}

/** A stored file's content does not match its SHA-256 address: damaged on disk. */
export class DamagedBlobError extends Error {
  constructor(readonly sha256: string) {
    super(`lagret dokument er skadet: innholdet stemmer ikke med SHA-256-summen ${sha256.slice(0, 12)}…`);
    this.name = 'DamagedBlobError';
  }
}

/**
 * `source` as it is, hashed chunk by chunk; throws DamagedBlobError as soon as it is longer
 * than `blob.size`, and before passing on the chunk that completes it when its SHA-256 is not
 * `blob.sha256` (a reader that stops at the end of what it needs, as the CMS decryption
 * does, still gets the check), or at its end when it is shorter.
 */
async function* verified(source: AsyncIterable<Uint8Array>, blob: BlobRef): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  let seen = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    seen += chunk.length;
    if (seen > blob.size || (seen === blob.size && hash.copy().digest('hex') !== blob.sha256))
      throw new DamagedBlobError(blob.sha256);
    yield chunk;
  }
  if (seen !== blob.size) throw new DamagedBlobError(blob.sha256);
}

/** `file` checked by `verified` as a stream; closing it closes the file. */
function checkedStream(file: Readable, blob: BlobRef): Readable {
  const checked = Readable.from(verified(file, blob), { objectMode: false });
  checked.once('close', () => file.destroy());
  return checked;
}

/** Reads a stream of exactly `size` bytes into one buffer. */
async function collectExactly(source: AsyncIterable<Uint8Array>, size: number): Promise<Uint8Array> {
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for await (const chunk of source) {
    if (at + chunk.length > size) throw new Error('a stored file is longer than recorded');
    out.set(chunk, at);
    at += chunk.length;
  }
  if (at !== size) throw new Error('a stored file is shorter than recorded');
  return out;
}

/** Bytes `start`..`end` (inclusive) of a stream. */
async function* slice(source: AsyncIterable<Uint8Array>, start: number, end: number): AsyncGenerator<Uint8Array> {
  let position = 0;
  for await (const chunk of source) {
    const from = Math.max(0, start - position);
    const to = Math.min(chunk.length, end + 1 - position);
    position += chunk.length;
    if (to > from) yield chunk.subarray(from, to);
    if (position > end) return;
  }
}
