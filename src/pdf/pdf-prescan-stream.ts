/**
 * The prescan (pdf-prescan.ts) of a PDF too large to hold, read front to back as pdf-lib
 * will read it at compose: the streaming inspection follows the cross-reference table and
 * so never sees what the table leaves out, where pdf-lib parses every object in the file.
 * Found so at intake, not at compose: more objects than the limit, object streams that
 * inflate past it (also ones no table names), and a trailer or cross-reference stream
 * with /Encrypt anywhere in the file. Memory stays flat: a window of a few MB moves over
 * the file, and a stream that is inflated is read and counted piece by piece.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createInflate } from 'node:zlib';
import type { ByteSource } from './byte-source.js';
import {
  DEFAULT_PRESCAN_LIMITS,
  FAR_WINDOW,
  MAX_FAR_LOOKS,
  decoding,
  inflatedByParser,
  mayBeStreamKeyword,
  streamDictBefore,
  type PrescanLimits,
} from './pdf-prescan.js';
import { PdfLexer, dictGet, isDict, type PdfDict } from './pdf-syntax.js';

/** What the scan found: the file is encrypted, or it is beyond the limits (and why, in Norwegian). */
export type PrescanFinding = { readonly kind: 'kryptert' } | { readonly kind: 'for-kompleks'; readonly why: string };

/** Bytes read before a window is scanned. */
const BATCH = 1024 * 1024;
/**
 * A keyword this close to the end of what has been read waits for the next window, so the
 * dictionary after `trailer` and the line ending after `stream` are whole when it is read.
 */
const MARGIN = 64 * 1024;
/** Pieces a stream's data is inflated in. */
const PIECE = 1024 * 1024;

/** Scans `source` front to back; undefined when it is within the limits and not encrypted. */
export async function prescanPdfSource(
  source: ByteSource,
  limits: PrescanLimits = DEFAULT_PRESCAN_LIMITS,
): Promise<PrescanFinding | undefined> {
  const state = { objects: 0, inflated: 0, farLooks: { left: MAX_FAR_LOOKS } };
  let carry = Buffer.alloc(0);
  let carryStart = 0;
  let scanned = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const scanWindow = async (last: boolean): Promise<PrescanFinding | undefined> => {
    const buf = Buffer.concat([carry, ...pending]);
    pending = [];
    pendingBytes = 0;
    const limit = last ? buf.length : Math.max(0, buf.length - MARGIN);
    const finding = await scanKeywords(source, buf, carryStart, scanned - carryStart, limit, state, limits);
    if (finding !== undefined) return finding;
    // Keep what a keyword after `limit` may look back over (a stream's dictionary), copied
    // so the window itself can go.
    const keepFrom = Math.max(0, limit - FAR_WINDOW);
    carry = Buffer.from(buf.subarray(keepFrom));
    carryStart += keepFrom;
    scanned = carryStart + (limit - keepFrom);
    return undefined;
  };
  for await (const chunk of source.chunks(0, source.size, BATCH)) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes < BATCH) continue;
    const finding = await scanWindow(false);
    if (finding !== undefined) return finding;
  }
  return scanWindow(true);
}

/** Bytes of the file in memory, and where in the file they begin. */
interface Window {
  readonly buf: Buffer;
  readonly start: number;
}

interface ScanState {
  objects: number;
  inflated: number;
  readonly farLooks: { left: number };
}

/** The keywords starting in [from, limit) of `buf` (which begins at `bufStart` in the file). */
async function scanKeywords(
  source: ByteSource,
  buf: Buffer,
  bufStart: number,
  from: number,
  limit: number,
  state: ScanState,
  limits: PrescanLimits,
): Promise<PrescanFinding | undefined> {
  const tooMany = (): PrescanFinding => ({
    kind: 'for-kompleks',
    why: `PDF-en har flere enn ${limits.maxObjects} objekter`,
  });
  for (let at = buf.indexOf('endobj', from); at >= 0 && at < limit; at = buf.indexOf('endobj', at + 6)) {
    if (++state.objects > limits.maxObjects) return tooMany();
  }
  for (let at = buf.indexOf('trailer', from); at >= 0 && at < limit; at = buf.indexOf('trailer', at + 7)) {
    if (encrypts(trailerDict(buf, at + 7))) return { kind: 'kryptert' };
  }
  for (let at = buf.indexOf('stream', from); at >= 0 && at < limit; at = buf.indexOf('stream', at + 6)) {
    if (!mayBeStreamKeyword(buf, at)) continue;
    const dict = streamDictBefore(buf, at, state.farLooks);
    if (dict === 'too-far')
      return { kind: 'for-kompleks', why: 'PDF-en har for mange strømmer med svært store ordbøker' };
    if (dict === undefined) continue;
    const type = inflatedByParser(dict);
    if (type === undefined) continue;
    if (type === 'XRef' && encrypts(dict)) return { kind: 'kryptert' };
    if (type === 'ObjStm') {
      const n = dictGet(dict, 'N');
      state.objects += typeof n === 'number' ? n : 0;
      if (state.objects > limits.maxObjects) return tooMany();
    }
    let dataStart = at + 6;
    if (buf[dataStart] === 0x0d) dataStart++;
    if (buf[dataStart] === 0x0a) dataStart++;
    const room = limits.maxInflatedBytes - state.inflated;
    const window = { buf, start: bufStart };
    const size = await decodedSizeAt(source, window, bufStart + dataStart, dictGet(dict, 'Length'), dict, room);
    if (size === undefined) {
      return { kind: 'for-kompleks', why: 'PDF-en bruker en ukjent komprimering i en objektstrøm' };
    }
    state.inflated += size;
    if (state.inflated > limits.maxInflatedBytes) {
      const mb = Math.round(limits.maxInflatedBytes / 1024 / 1024);
      return { kind: 'for-kompleks', why: `objektstrømmene pakkes ut til mer enn ${mb} MB` };
    }
  }
  return undefined;
}

function trailerDict(buf: Buffer, at: number): PdfDict | undefined {
  try {
    const value = new PdfLexer(buf, at).value();
    return isDict(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function encrypts(dict: PdfDict | undefined): boolean {
  return dict !== undefined && dictGet(dict, 'Encrypt') !== undefined && dictGet(dict, 'Encrypt') !== null;
}

/**
 * Bytes the stream whose data starts at `start` decodes to, counting at most `room` + 1;
 * undefined for a filter other than none or FlateDecode. Its data ends after /Length when
 * that is a direct number within the file, else at `endstream`, as pdf-lib reads it.
 */
async function decodedSizeAt(
  source: ByteSource,
  window: Window,
  start: number,
  length: unknown,
  dict: PdfDict,
  room: number,
): Promise<number | undefined> {
  const kind = decoding(dictGet(dict, 'Filter'));
  if (kind === undefined) return undefined;
  const known =
    typeof length === 'number' && Number.isInteger(length) && length >= 0 && start + length <= source.size
      ? start + length
      : undefined;
  // Most object streams are a few KB and lie in the window already read.
  const data =
    known !== undefined && known <= window.start + window.buf.length
      ? [window.buf.subarray(start - window.start, known - window.start)]
      : streamData(source, start, known, room);
  if (kind === 'none') {
    let size = 0;
    for await (const piece of data) size += piece.length;
    return size;
  }
  let out = 0;
  const inflater = createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
  const counter = new Writable({
    write(piece: Buffer, _encoding, done) {
      out += piece.length;
      done(out > room ? new Error('over') : null);
    },
  });
  // Over the ceiling, or corrupt data (pdf-lib fails on that by itself): what it yielded counts.
  await pipeline(Readable.from(data), inflater, counter).catch(() => undefined);
  return out;
}

/** The stream's data in pieces: to `end`, or else up to `endstream`; never more than room + 1 MB of it. */
async function* streamData(source: ByteSource, start: number, end: number | undefined, room: number) {
  const stop = Math.min(source.size, end ?? source.size, start + room + PIECE);
  let tail = Buffer.alloc(0);
  for (let at = start; at < stop; at += PIECE) {
    const piece = Buffer.from(await source.read(at, Math.min(PIECE, stop - at)));
    if (end !== undefined) {
      yield piece;
      continue;
    }
    // `endstream` may straddle two pieces: look for it with the last few bytes of the one before.
    const joined = Buffer.concat([tail, piece]);
    const found = joined.indexOf('endstream');
    if (found >= 0) {
      const cut = found - tail.length;
      if (cut > 0) yield piece.subarray(0, cut);
      return;
    }
    yield piece;
    tail = Buffer.from(piece.subarray(Math.max(0, piece.length - 8)));
  }
}
