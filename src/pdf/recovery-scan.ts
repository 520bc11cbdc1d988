import type { ByteSource } from './byte-source.js';
import { ObjectResolver } from './object-resolver.js';
import { PdfSyntaxError, dictGet, isDict, isPdfWhitespace, isRef, type PdfDict, type PdfRef } from './pdf-syntax.js';
import { parseAt, readObjectAt } from './window-parse.js';
import type { XrefEntry } from './xref-table.js';

/** What a linear scan finds when the cross-reference data cannot be used. */
export interface RecoveredStructure {
  readonly resolver: ObjectResolver;
  /** The document catalog, from the newest trailer or cross-reference stream, else a /Type /Catalog object. */
  readonly root: PdfRef | undefined;
  readonly encrypted: boolean;
}

/** Chunk size asked of an in-memory source; a stream source passes its own chunks through. */
const CHUNK = 256 * 1024;
/** Bytes kept between chunks so a marker cut in two is still seen (markers are < 30 bytes). */
const OVERLAP = 64;
/** More objects than this in a file without a usable xref is refused rather than indexed. */
const MAX_OBJECTS = 1_000_000;

type Hit =
  | { at: number; kind: 'obj'; num: number }
  | { at: number; kind: 'trailer' }
  | { at: number; kind: 'type'; type: 'Catalog' | 'XRef' | 'ObjStm' };

/**
 * Rebuilds an object table by scanning the whole file once, as readers do for a damaged
 * cross-reference table. It searches with Buffer.indexOf in one reused window, so the scan
 * allocates no per-chunk strings or copies: memory is the window plus one offset per object.
 */
export async function recoverStructure(source: ByteSource): Promise<RecoveredStructure> {
  const offsets = new Map<number, number>();
  const trailers: number[] = [];
  const catalogs: number[] = [];
  const xrefStreams: number[] = [];
  const objectStreams: number[] = [];
  let lastObject: number | undefined;
  let window = Buffer.alloc(CHUNK + 2 * OVERLAP);
  let windowStart = 0; // file offset of window[0]
  let filled = 0; // bytes in the window
  let acceptFrom = 0; // hits before this index were handled with the previous window
  let read = 0;

  for await (const chunk of source.chunks(0, source.size, CHUNK)) {
    read += chunk.length;
    if (filled + chunk.length > window.length) {
      const bigger = Buffer.alloc(filled + chunk.length);
      window.copy(bigger, 0, 0, filled);
      window = bigger;
    }
    window.set(chunk, filled);
    filled += chunk.length;
    const view = window.subarray(0, filled);
    const limit = read >= source.size ? filled : Math.max(acceptFrom, filled - OVERLAP);
    for (const hit of findMarkers(view, acceptFrom, limit)) {
      const at = windowStart + hit.at;
      if (hit.kind === 'obj') {
        lastObject = hit.num;
        offsets.set(hit.num, at);
        if (offsets.size > MAX_OBJECTS) throw new PdfSyntaxError('too many objects to recover');
      } else if (hit.kind === 'trailer') trailers.push(at);
      else if (lastObject !== undefined) {
        const list = hit.type === 'Catalog' ? catalogs : hit.type === 'XRef' ? xrefStreams : objectStreams;
        if (list.at(-1) !== lastObject) list.push(lastObject);
      }
    }
    // Keep OVERLAP bytes before `limit` too: an object header's digits precede its `obj`.
    const keepFrom = Math.max(0, limit - OVERLAP);
    window.copy(window, 0, keepFrom, filled);
    filled -= keepFrom;
    windowStart += keepFrom;
    acceptFrom = limit - keepFrom;
  }

  let compressed: Map<number, XrefEntry> | undefined;
  const resolver: ObjectResolver = new ObjectResolver(source, async (num) => {
    const offset = offsets.get(num);
    if (offset !== undefined) return { type: 'offset', offset };
    compressed ??= await indexObjectStreams(resolver, objectStreams);
    return compressed.get(num);
  });

  // Newest first: a later trailer (incremental update) overrides an earlier one.
  const dicts: PdfDict[] = [];
  for (const at of trailers.reverse()) {
    const t = await tryParse(() => parseAt(source, at, (lx) => (lx.keyword('trailer'), lx.value())));
    if (isDict(t?.value)) dicts.push(t.value);
  }
  for (const num of xrefStreams.reverse()) {
    const offset = offsets.get(num);
    const obj = offset === undefined ? undefined : await tryParse(() => readObjectAt(source, offset));
    if (isDict(obj?.value)) dicts.push(obj.value);
  }
  const encrypted = dicts.some((d) => dictGet(d, 'Encrypt') !== undefined);
  const fromTrailer = dicts.map((d) => dictGet(d, 'Root')).find(isRef);
  const lastCatalog = catalogs.at(-1);
  const root =
    fromTrailer ?? (lastCatalog === undefined ? undefined : { kind: 'ref' as const, num: lastCatalog, gen: 0 });
  return { resolver, root, encrypted };
}

async function indexObjectStreams(
  resolver: ObjectResolver,
  streams: readonly number[],
): Promise<Map<number, XrefEntry>> {
  const index = new Map<number, XrefEntry>();
  // Newest first, as for plain objects: a later object stream overrides an earlier one.
  for (const stream of [...streams].reverse()) {
    const members = await tryParse(() => resolver.objectStreamMembers(stream));
    members?.forEach(([num], i) => {
      if (!index.has(num)) index.set(num, { type: 'compressed', stream, index: i });
    });
    if (index.size > MAX_OBJECTS) throw new PdfSyntaxError('too many objects to recover');
  }
  return index;
}

/** A damaged part is skipped, not fatal: recovery takes what it can read. */
async function tryParse<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof PdfSyntaxError || e instanceof RangeError || (e as { code?: string }).code?.startsWith('Z_'))
      return undefined;
    throw e;
  }
}

/** Markers in view[from, to), in file order: `N G obj`, `trailer`, `/Type /Catalog|XRef|ObjStm`. */
function findMarkers(view: Buffer, from: number, to: number): Hit[] {
  const hits: Hit[] = [];
  for (let i = view.indexOf('obj', from, 'latin1'); i >= 0 && i < to; i = view.indexOf('obj', i + 3, 'latin1')) {
    if (isLetter(view[i + 3])) continue; // `objstm`-like words
    const num = objectHeaderBefore(view, i);
    if (num !== undefined) hits.push({ at: num.start, kind: 'obj', num: num.num });
  }
  for (
    let i = view.indexOf('trailer', from, 'latin1');
    i >= 0 && i < to;
    i = view.indexOf('trailer', i + 7, 'latin1')
  ) {
    if (!isLetter(view[i + 7])) hits.push({ at: i, kind: 'trailer' });
  }
  for (let i = view.indexOf('/Type', from, 'latin1'); i >= 0 && i < to; i = view.indexOf('/Type', i + 5, 'latin1')) {
    let j = i + 5;
    while (j < view.length && isPdfWhitespace(view[j]!)) j++;
    for (const type of ['Catalog', 'XRef', 'ObjStm'] as const) {
      if (
        view[j] === 0x2f &&
        view.toString('latin1', j + 1, j + 1 + type.length) === type &&
        !isLetter(view[j + 1 + type.length])
      ) {
        hits.push({ at: i, kind: 'type', type });
      }
    }
  }
  return hits.sort((a, b) => a.at - b.at);
}

/** For `obj` at `i`: the object number if preceded by `num ws gen ws` (§7.3.10), and where `num` starts. */
function objectHeaderBefore(view: Buffer, i: number): { num: number; start: number } | undefined {
  let j = i - 1;
  if (j < 0 || !isPdfWhitespace(view[j]!)) return undefined;
  while (j >= 0 && isPdfWhitespace(view[j]!)) j--;
  const genEnd = j;
  while (j >= 0 && isDigit(view[j])) j--;
  if (j === genEnd || genEnd - j > 5 || j < 0 || !isPdfWhitespace(view[j]!)) return undefined;
  while (j >= 0 && isPdfWhitespace(view[j]!)) j--;
  const numEnd = j;
  while (j >= 0 && isDigit(view[j])) j--;
  if (j === numEnd || numEnd - j > 10) return undefined;
  if (j >= 0 && (isDigit(view[j]) || isLetter(view[j]))) return undefined;
  return { num: Number(view.toString('latin1', j + 1, numEnd + 1)), start: j + 1 };
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

function isLetter(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
}
