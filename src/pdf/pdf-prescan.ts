/**
 * A cheap look at a PDF's bytes before pdf-lib parses them. pdf-lib parses every object
 * into memory and inflates every object stream and cross-reference stream while it loads,
 * with no limit: a 195 KB upload whose object stream inflates to 200 MB costs that much
 * memory and time on the PDF thread. This scan counts the objects and inflates those
 * streams itself with a ceiling (zlib's maxOutputLength), so the bytes are refused before
 * pdf-lib would spend more than the limits allow.
 */
import { constants, inflateSync } from 'node:zlib';
import {
  PdfLexer,
  dictGet,
  isDict,
  isPdfWhitespace,
  isRef,
  nameOf,
  type PdfDict,
  type PdfValue,
} from './pdf-syntax.js';

/** The bounds a PDF must stay within to be parsed whole. */
export interface PrescanLimits {
  /** Most indirect objects (top-level and in object streams). */
  readonly maxObjects: number;
  /** Most bytes all object and cross-reference streams may inflate to, together. */
  readonly maxInflatedBytes: number;
}

/**
 * Defaults: 500 000 objects is far beyond a letter (a 300-page scanned report has a few
 * thousand) while pdf-lib's objects for it stay within a few hundred MB of a thread's heap;
 * 64 MB of object-stream data is some 20 times what a 16 MB PDF with object streams holds.
 */
export const DEFAULT_PRESCAN_LIMITS: PrescanLimits = { maxObjects: 500_000, maxInflatedBytes: 64 * 1024 * 1024 };

/**
 * How far back from a `stream` keyword its object's header is looked for: first near (a
 * stream's dictionary is a few hundred bytes), then further, and for a few keywords (at
 * most MAX_FAR_LOOKS per file) up to a megabyte: a dictionary padded past 64 KB once hid an
 * object stream from the scan while pdf-lib still inflated it (found in an audit). Bounded,
 * so a file full of the word costs a linear scan, not one of the whole file per occurrence.
 */
const HEADER_WINDOWS = [4096, 64 * 1024];
export const FAR_WINDOW = 1024 * 1024;
export const MAX_FAR_LOOKS = 16;

/**
 * Whether pdf-lib may inflate this stream while it loads, and as what. pdf-lib parses an
 * object stream when its /Type resolves to /ObjStm, also through a reference to an object
 * parsed before it; such a /Type, or the /N and /First every object stream has, counts as
 * one here (found in an audit: `/Type 5 0 R` got a bomb past the scan).
 */
export function inflatedByParser(dict: PdfDict): 'ObjStm' | 'XRef' | undefined {
  const type = dictGet(dict, 'Type');
  const name = nameOf(type);
  if (name === 'ObjStm' || name === 'XRef') return name;
  if (isRef(type)) return 'ObjStm';
  return dictGet(dict, 'N') !== undefined && dictGet(dict, 'First') !== undefined ? 'ObjStm' : undefined;
}

/** Why the scan refuses, in Norwegian; undefined when the bytes are within the limits. */
export function prescanPdf(bytes: Uint8Array, limits: PrescanLimits = DEFAULT_PRESCAN_LIMITS): string | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let objects = 0;
  for (let at = buf.indexOf('endobj'); at >= 0; at = buf.indexOf('endobj', at + 6)) {
    if (++objects > limits.maxObjects) return `PDF-en har flere enn ${limits.maxObjects} objekter`;
  }
  let inflated = 0;
  const farLooks = { left: MAX_FAR_LOOKS };
  for (let at = buf.indexOf('stream'); at >= 0; at = buf.indexOf('stream', at + 6)) {
    if (!mayBeStreamKeyword(buf, at)) continue;
    const found = streamDictBefore(buf, at, farLooks);
    if (found === 'too-far') return 'PDF-en har for mange strømmer med svært store ordbøker';
    if (found === undefined) continue;
    const dict = found;
    const type = inflatedByParser(dict);
    if (type === undefined) continue;
    if (type === 'ObjStm') {
      const n = dictGet(dict, 'N');
      objects += typeof n === 'number' ? n : 0;
      if (objects > limits.maxObjects) return `PDF-en har flere enn ${limits.maxObjects} objekter`;
    }
    const data = streamData(buf, at, dictGet(dict, 'Length'));
    const size = decodedSize(data, dictGet(dict, 'Filter'), limits.maxInflatedBytes - inflated);
    if (size === undefined) return 'PDF-en bruker en ukjent komprimering i en objektstrøm';
    inflated += size;
    if (inflated > limits.maxInflatedBytes) {
      return `objektstrømmene pakkes ut til mer enn ${Math.round(limits.maxInflatedBytes / 1024 / 1024)} MB`;
    }
  }
  return undefined;
}

/**
 * Whether the word `stream` at `at` may be the keyword: pdf-lib reads it after a dictionary's
 * `>>` and any white space or comments (which end in a line break), so a word glued to what
 * comes before it ("endstream", "mainstream" in a page's text) never is one. Such words
 * would otherwise each cost a look back over the file, and a few of them a refusal.
 */
export function mayBeStreamKeyword(buf: Buffer, at: number): boolean {
  if (at === 0) return false;
  const before = buf[at - 1]!;
  return before === 0x3e || isPdfWhitespace(before);
}

/**
 * The dictionary of the object whose `stream` keyword is at `at`: the nearest header
 * `n g obj` before it whose value parses and ends right at the keyword. Undefined when
 * none does (the word was inside some data, not a keyword); 'too-far' when the file has
 * used up its looks beyond 64 KB.
 */
export function streamDictBefore(buf: Buffer, at: number, farLooks: { left: number }): PdfDict | 'too-far' | undefined {
  for (const size of HEADER_WINDOWS) {
    const dict = streamDictWithin(buf, at, Math.max(0, at - size));
    if (dict !== undefined || at - size <= 0) return dict;
  }
  if (--farLooks.left < 0) return 'too-far';
  return streamDictWithin(buf, at, Math.max(0, at - FAR_WINDOW));
}

function streamDictWithin(buf: Buffer, at: number, from: number): PdfDict | undefined {
  const window = buf.toString('latin1', from, at);
  const headers = [...window.matchAll(/\d+\s+\d+\s+obj\b/g)];
  for (let i = headers.length - 1; i >= 0 && i >= headers.length - 8; i--) {
    const h = headers[i]!;
    try {
      const lexer = new PdfLexer(buf.subarray(0, at + 6), from + h.index + h[0].length);
      const value = lexer.value();
      lexer.skipSpace();
      if (lexer.pos === at && isDict(value)) return value;
    } catch {
      // Not this header: try the one before.
    }
  }
  return undefined;
}

/** The stream's raw bytes: /Length when it is a direct number that fits, else up to `endstream`. */
export function streamData(buf: Buffer, keyword: number, length: PdfValue | undefined): Buffer {
  let start = keyword + 6;
  if (buf[start] === 0x0d) start++;
  if (buf[start] === 0x0a) start++;
  if (typeof length === 'number' && Number.isInteger(length) && length >= 0 && start + length <= buf.length) {
    return buf.subarray(start, start + length);
  }
  const end = buf.indexOf('endstream', start);
  return buf.subarray(start, end < 0 ? buf.length : end);
}

/** How a stream's /Filter is decoded here: not at all, by inflating, or not (undefined). */
export function decoding(filter: PdfValue | undefined): 'none' | 'flate' | undefined {
  const filters = Array.isArray(filter)
    ? filter.map(nameOf)
    : filter === undefined || filter === null
      ? []
      : [nameOf(filter)];
  if (filters.length === 0) return 'none';
  return filters.length === 1 && (filters[0] === 'FlateDecode' || filters[0] === 'Fl') ? 'flate' : undefined;
}

/**
 * Bytes `data` decodes to, counting at most `room` + 1 (then the caller refuses); undefined
 * for a filter other than none or FlateDecode. A truncated deflate stream counts what it
 * yields, as pdf-lib's lenient inflater would.
 */
function decodedSize(data: Buffer, filter: PdfValue | undefined, room: number): number | undefined {
  const kind = decoding(filter);
  if (kind === 'none') return data.length;
  if (kind === undefined) return undefined;
  try {
    return inflateSync(data, { maxOutputLength: Math.max(1, room + 1), finishFlush: constants.Z_SYNC_FLUSH }).length;
  } catch (error) {
    // Over the ceiling: report one byte too many. Corrupt data: pdf-lib fails on it by itself.
    return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? room + 1 : 0;
  }
}
