/**
 * Random access into the plaintext of a stored CMS EnvelopedData. CBC decrypts any block
 * from the ciphertext block before it, so once a full pass (the intake's check) has noted
 * the content key and where the encrypted segments lie in the message, a range of the
 * plaintext is read from a range of the stored message: a large encrypted PDF is inspected
 * window by window, never held whole.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { EnvelopeKey } from './certificate.js';
import { decryptPieces, type CipherSpec } from './cms-decrypt.js';

/** A run of encrypted content bytes: where they start in the content and in the message. */
interface Segment {
  readonly contentOffset: number;
  readonly envelopeOffset: number;
  length: number;
}

/** What a full pass learnt: cipher, key, segments and the plaintext's size. */
export interface EnvelopeIndex {
  readonly spec: CipherSpec;
  readonly contentKey: Buffer;
  readonly segments: readonly Segment[];
  readonly plaintextSize: number;
}

/** Opens bytes `start`..`end` (inclusive) of the stored message. */
export type OpenMessageRange = (start: number, end: number) => Promise<AsyncIterable<Uint8Array>>;

/**
 * Decrypts the whole message once, passing each plaintext piece to `onPlaintext`, and returns
 * the index for {@link readPlaintextRange}. Fails as {@link decryptEnvelope} does.
 */
export async function indexEnvelope(
  keys: readonly EnvelopeKey[],
  ciphertext: AsyncIterable<Uint8Array>,
  onPlaintext: (piece: Buffer) => void = () => {},
): Promise<EnvelopeIndex> {
  const segments: Segment[] = [];
  let spec: CipherSpec | undefined;
  let contentKey: Buffer | undefined;
  let contentLength = 0;
  let plaintextSize = 0;
  const observer = {
    cipher(s: CipherSpec, key: Buffer): void {
      spec = s;
      contentKey = key;
    },
    content(envelopeOffset: number, length: number): void {
      const last = segments.at(-1);
      if (last !== undefined && last.envelopeOffset + last.length === envelopeOffset) last.length += length;
      else segments.push({ contentOffset: contentLength, envelopeOffset, length });
      contentLength += length;
    },
  };
  for await (const piece of decryptPieces(keys, ciphertext, observer)) {
    plaintextSize += piece.length;
    onPlaintext(piece);
  }
  if (spec === undefined || contentKey === undefined) throw new Error('decryption ended without a cipher');
  return { spec, contentKey, segments, plaintextSize };
}

/** Plaintext bytes `start`..`end` (inclusive, within the plaintext) read by range from the stored message. */
export function readPlaintextRange(index: EnvelopeIndex, open: OpenMessageRange, start: number, end: number): Readable {
  return Readable.from(rangePieces(index, open, start, end), { objectMode: false });
}

async function* rangePieces(
  index: EnvelopeIndex,
  open: OpenMessageRange,
  start: number,
  end: number,
): AsyncGenerator<Buffer> {
  if (start < 0 || end >= index.plaintextSize || start > end) throw new RangeError('range outside the plaintext');
  const block = index.spec.iv.length;
  const firstBlock = Math.floor(start / block);
  const lastBlock = Math.floor(end / block);
  // The block before the first is the IV of the decryption (the message's IV for block 0).
  const contentStart = Math.max(0, (firstBlock - 1) * block);
  const contentEnd = (lastBlock + 1) * block - 1;
  const pieces = envelopePieces(index.segments, contentStart, contentEnd);
  const first = pieces[0];
  const last = pieces.at(-1);
  if (first === undefined || last === undefined) throw new RangeError('range outside the content');
  let iv: Buffer | undefined = firstBlock === 0 ? index.spec.iv : undefined;
  let decipher = iv === undefined ? undefined : crypto.createDecipheriv(index.spec.name, index.contentKey, iv);
  decipher?.setAutoPadding(false);
  let skip = start - firstBlock * block;
  let want = end - start + 1;
  const ivBytes: Buffer[] = [];
  const emit = (plain: Buffer): Buffer | undefined => {
    const cut = plain.subarray(Math.min(skip, plain.length));
    skip = Math.max(0, skip - plain.length);
    const out = cut.subarray(0, want);
    want -= out.length;
    return out.length > 0 ? out : undefined;
  };
  for await (const bytes of onlyContent(
    await open(first.envelopeOffset, last.envelopeOffset + last.length - 1),
    pieces,
  )) {
    let data = bytes;
    if (decipher === undefined) {
      // Collect the IV block (the ciphertext block before the range) first.
      const need = block - ivBytes.reduce((n, b) => n + b.length, 0);
      ivBytes.push(data.subarray(0, need));
      data = data.subarray(need);
      if (need > bytes.length) continue;
      iv = Buffer.concat(ivBytes);
      decipher = crypto.createDecipheriv(index.spec.name, index.contentKey, iv);
      decipher.setAutoPadding(false);
    }
    const out = emit(decipher.update(data));
    if (out !== undefined) yield out;
    if (want === 0) return;
  }
  if (want > 0) throw new Error('the stored message ended before the range');
}

/** The parts of the message that hold content bytes `start`..`end`, in order. */
function envelopePieces(
  segments: readonly Segment[],
  start: number,
  end: number,
): { envelopeOffset: number; length: number }[] {
  const pieces: { envelopeOffset: number; length: number }[] = [];
  for (const s of segments) {
    const from = Math.max(start, s.contentOffset);
    const to = Math.min(end, s.contentOffset + s.length - 1);
    if (from > to) continue;
    pieces.push({ envelopeOffset: s.envelopeOffset + (from - s.contentOffset), length: to - from + 1 });
  }
  return pieces;
}

/** Drops the segment headers between content pieces from a stream of the message's bytes. */
async function* onlyContent(
  stream: AsyncIterable<Uint8Array>,
  pieces: readonly { envelopeOffset: number; length: number }[],
): AsyncGenerator<Buffer> {
  const origin = pieces[0]?.envelopeOffset ?? 0;
  let position = origin;
  let i = 0;
  for await (const chunk of stream) {
    let buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (buffer.length > 0 && i < pieces.length) {
      const piece = pieces[i] as { envelopeOffset: number; length: number };
      if (position < piece.envelopeOffset) {
        const gap = Math.min(piece.envelopeOffset - position, buffer.length);
        buffer = buffer.subarray(gap);
        position += gap;
        continue;
      }
      const take = Math.min(piece.envelopeOffset + piece.length - position, buffer.length);
      yield buffer.subarray(0, take);
      buffer = buffer.subarray(take);
      position += take;
      if (position === piece.envelopeOffset + piece.length) i += 1;
    }
    if (i >= pieces.length) return;
  }
}
