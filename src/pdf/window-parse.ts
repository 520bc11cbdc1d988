import { inflateSync } from 'node:zlib';
import type { ByteSource } from './byte-source.js';
import {
  PdfLexer,
  PdfSyntaxError,
  TruncatedPdfError,
  dictGet,
  nameOf,
  type PdfDict,
  type PdfValue,
} from './pdf-syntax.js';

/** Windows tried in turn when a value does not fit: most objects fit the first. */
const WINDOWS = [4 * 1024, 64 * 1024, 1024 * 1024, 16 * 1024 * 1024];

/** Largest stream (compressed or decoded) the inspection will hold: bounds memory on hostile files. */
export const MAX_STRUCTURE_STREAM = 64 * 1024 * 1024;

/**
 * Runs `parse` on a window of the file starting at `offset`, growing the window while the
 * value runs past its end. Returns the result and the absolute offset where parsing stopped.
 */
export async function parseAt<T>(
  source: ByteSource,
  offset: number,
  parse: (lexer: PdfLexer) => T,
): Promise<{ value: T; end: number }> {
  for (const size of WINDOWS) {
    const window = await source.read(offset, size);
    const lexer = new PdfLexer(window);
    try {
      return { value: parse(lexer), end: offset + lexer.pos };
    } catch (e) {
      if (!(e instanceof TruncatedPdfError)) throw e;
      if (offset + window.length >= source.size) throw new PdfSyntaxError('the file ends inside an object');
    }
  }
  throw new PdfSyntaxError(`object at ${offset} larger than ${WINDOWS.at(-1)} bytes`);
}

/** An indirect object as found at an offset: its value and, for a stream, where its data starts. */
export interface RawObject {
  readonly num: number;
  readonly gen: number;
  readonly value: PdfValue;
  readonly streamStart?: number;
}

/** Parses `num gen obj <value> [stream]` at `offset`. */
export async function readObjectAt(source: ByteSource, offset: number): Promise<RawObject> {
  const { value } = await parseAt(source, offset, (lx) => {
    const num = lx.integer();
    const gen = lx.integer();
    lx.keyword('obj');
    const v = lx.value();
    lx.skipSpace();
    let streamStart: number | undefined;
    if (lx.bytes[lx.pos] === 0x73 /* s */) {
      lx.keyword('stream');
      // §7.3.8.1: the keyword is followed by CRLF or LF; some writers put a lone CR.
      if (lx.bytes[lx.pos] === 0x0d) lx.pos++;
      if (lx.bytes[lx.pos] === 0x0a) lx.pos++;
      if (lx.pos >= lx.bytes.length) throw new TruncatedPdfError('stream data starts past the window');
      streamStart = offset + lx.pos;
    }
    return streamStart === undefined ? { num, gen, value: v } : { num, gen, value: v, streamStart };
  });
  return value;
}

/**
 * Reads and decodes a structural stream (cross-reference or object stream): FlateDecode
 * with an optional PNG predictor (§7.4.4.4), or no filter. `length` must be resolved already.
 */
export async function readStructureStream(
  source: ByteSource,
  dict: PdfDict,
  streamStart: number,
  length: number,
): Promise<Uint8Array> {
  if (!Number.isInteger(length) || length < 0 || length > MAX_STRUCTURE_STREAM)
    throw new PdfSyntaxError(`bad stream length ${length}`);
  const raw = await source.read(streamStart, length);
  if (raw.length !== length) throw new PdfSyntaxError('stream runs past the end of the file');
  let filter = dictGet(dict, 'Filter');
  let parms = dictGet(dict, 'DecodeParms');
  if (Array.isArray(filter)) {
    if (filter.length > 1) throw new PdfSyntaxError('chained filters on a structure stream');
    filter = filter[0];
    parms = Array.isArray(parms) ? parms[0] : parms;
  }
  const filterName = nameOf(filter);
  if (filterName === undefined) return raw;
  if (filterName !== 'FlateDecode') throw new PdfSyntaxError(`unsupported filter ${filterName}`);
  const inflated = new Uint8Array(inflateSync(raw, { maxOutputLength: MAX_STRUCTURE_STREAM }));
  const predictor =
    parms && typeof parms === 'object' && !Array.isArray(parms) && parms.kind === 'dict'
      ? numberOr(dictGet(parms, 'Predictor'), 1)
      : 1;
  if (predictor < 10) return inflated;
  const columns =
    parms && typeof parms === 'object' && !Array.isArray(parms) && parms.kind === 'dict'
      ? numberOr(dictGet(parms, 'Columns'), 1)
      : 1;
  return undoPngPredictor(inflated, columns);
}

function numberOr(v: PdfValue | undefined, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

/** Reverses PNG row filters with one byte per pixel, as cross-reference streams use them. */
export function undoPngPredictor(data: Uint8Array, columns: number): Uint8Array {
  const rowIn = columns + 1;
  const rows = Math.floor(data.length / rowIn);
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const type = data[r * rowIn]!;
    for (let c = 0; c < columns; c++) {
      const x = data[r * rowIn + 1 + c]!;
      const left = c > 0 ? out[r * columns + c - 1]! : 0;
      const up = r > 0 ? out[(r - 1) * columns + c]! : 0;
      const upLeft = r > 0 && c > 0 ? out[(r - 1) * columns + c - 1]! : 0;
      let v: number;
      if (type === 0) v = x;
      else if (type === 1) v = x + left;
      else if (type === 2) v = x + up;
      else if (type === 3) v = x + ((left + up) >> 1);
      else if (type === 4) v = x + paeth(left, up, upLeft);
      else throw new PdfSyntaxError(`bad PNG predictor row type ${type}`);
      out[r * columns + c] = v & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
