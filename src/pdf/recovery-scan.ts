import type { ByteSource } from './byte-source.js';
import { ObjectResolver } from './object-resolver.js';
import {
  PdfSyntaxError,
  dictGet,
  isDict,
  isPdfWhitespace,
  isRef,
  nameOf,
  type PdfRef,
  type PdfValue,
} from './pdf-syntax.js';
import { parseAt, readObjectAt } from './window-parse.js';
import type { XrefEntry } from './xref-table.js';

/** What a linear scan finds when the cross-reference data cannot be used. */
export interface RecoveredStructure {
  readonly resolver: ObjectResolver;
  /** The document catalog, from the newest trailer or cross-reference stream, else a /Type /Catalog object. */
  readonly root: PdfRef | undefined;
  /** Every /Root the trailers and cross-reference streams name, a reference once, in file order. */
  readonly rootsNamed: readonly PdfValue[];
  /** Where each object's last definition in file order is (what `resolver` reads). */
  readonly entry: (num: number) => Promise<XrefEntry | undefined>;
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
  /** Trailers and cross-reference streams, in file order. */
  const sections: Section[] = [];
  const catalogs: number[] = [];
  const objectStreams: Placed[] = [];
  let lastObject: Placed | undefined;
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
        lastObject = { num: hit.num, at };
        offsets.set(hit.num, at);
        if (offsets.size > MAX_OBJECTS) throw new PdfSyntaxError('too many objects to recover');
      } else if (hit.kind === 'trailer') sections.push({ kind: 'trailer', at });
      else if (lastObject !== undefined) {
        if (hit.type === 'Catalog') {
          if (catalogs.at(-1) !== lastObject.num) catalogs.push(lastObject.num);
        } else if (hit.type === 'XRef') {
          if (sections.at(-1)?.at !== lastObject.at) sections.push({ kind: 'xref', at: lastObject.at });
        } else if (objectStreams.at(-1)?.at !== lastObject.at) objectStreams.push(lastObject);
      }
    }
    // Keep OVERLAP bytes before `limit` too: an object header's digits precede its `obj`.
    const keepFrom = Math.max(0, limit - OVERLAP);
    window.copy(window, 0, keepFrom, filled);
    filled -= keepFrom;
    windowStart += keepFrom;
    acceptFrom = limit - keepFrom;
  }

  const entry = lastDefinition(offsets, objectStreams, source);
  const resolver: ObjectResolver = new ObjectResolver(source, entry);
  const { root: fromSections, rootsNamed, encrypted } = await readSections(source, sections);
  const catalog = fromSections === undefined ? undefined : await tryParse(() => resolver.resolve(fromSections));
  const lastCatalog = catalogs.at(-1);
  // pdf-lib's fallback when the sections name no catalog: the last object that is one.
  const root =
    isDict(catalog) && nameOf(dictGet(catalog, 'Type')) === 'Catalog'
      ? fromSections
      : lastCatalog === undefined
        ? fromSections
        : { kind: 'ref' as const, num: lastCatalog, gen: 0 };
  return { resolver, root, rootsNamed, entry, encrypted };
}

/** An object's header: its number and where it starts in the file. */
interface Placed {
  readonly num: number;
  readonly at: number;
}

/** A classic trailer (at its keyword) or a cross-reference stream (at its object's header). */
interface Section {
  readonly kind: 'trailer' | 'xref';
  readonly at: number;
}

/**
 * Where each object's last definition in file order lives, as pdf-lib reads a file front to
 * back: a plain object where its header stands, an object stream's members where the stream
 * stands (pdf-lib parses them when it meets the stream), whichever comes later. The members
 * are indexed only when an object stream follows a plain definition of the object asked for.
 */
function lastDefinition(
  offsets: ReadonlyMap<number, number>,
  objectStreams: readonly Placed[],
  source: ByteSource,
): (num: number) => Promise<XrefEntry | undefined> {
  const lastStreamAt = objectStreams.reduce((last, s) => Math.max(last, s.at), -1);
  const plainEntry = (num: number): XrefEntry | undefined => {
    const offset = offsets.get(num);
    return offset === undefined ? undefined : { type: 'offset', offset };
  };
  // The streams are indexed through their plain definitions (an object stream and its /Length
  // are never themselves compressed, §7.5.7): indexing through this lookup asked for the
  // index again for each stream's own number and recursed without end, taking the node down
  // on large PDFs with object streams (found in a review, pdfTeX and qpdf output).
  let members: Promise<Map<number, { entry: XrefEntry; at: number }>> | undefined;
  return async (num) => {
    const offset = offsets.get(num);
    const plain = plainEntry(num);
    if (offset !== undefined && offset > lastStreamAt) return plain;
    members ??= indexObjectStreams(new ObjectResolver(source, async (n) => plainEntry(n)), objectStreams);
    const index = await members;
    const member = index.get(num);
    return member === undefined || (offset !== undefined && offset > member.at) ? plain : member.entry;
  };
}

async function indexObjectStreams(
  resolver: ObjectResolver,
  streams: readonly Placed[],
): Promise<Map<number, { entry: XrefEntry; at: number }>> {
  const index = new Map<number, { entry: XrefEntry; at: number }>();
  // Newest first, as for plain objects: a later object stream overrides an earlier one.
  for (const stream of [...streams].reverse()) {
    const members = await tryParse(() => resolver.objectStreamMembers(stream.num));
    members?.forEach(([num], i) => {
      if (!index.has(num))
        index.set(num, { entry: { type: 'compressed', stream: stream.num, index: i }, at: stream.at });
    });
    if (index.size > MAX_OBJECTS) throw new PdfSyntaxError('too many objects to recover');
  }
  return index;
}

/**
 * The catalog and encryption as pdf-lib takes them, reading the sections in file order: a
 * cross-reference stream sets the root (also to none), a classic trailer only when it names
 * one. Any section with /Encrypt makes the file encrypted.
 */
async function readSections(
  source: ByteSource,
  sections: readonly Section[],
): Promise<{ root: PdfRef | undefined; rootsNamed: PdfValue[]; encrypted: boolean }> {
  let root: PdfRef | undefined;
  const rootsNamed: PdfValue[] = [];
  let encrypted = false;
  for (const section of sections) {
    const dict =
      section.kind === 'trailer'
        ? (await tryParse(() => parseAt(source, section.at, (lx) => (lx.keyword('trailer'), lx.value()))))?.value
        : (await tryParse(() => readObjectAt(source, section.at)))?.value;
    if (!isDict(dict)) continue;
    if (dictGet(dict, 'Encrypt') !== undefined) encrypted = true;
    const named = dictGet(dict, 'Root');
    if (named !== undefined && named !== null && !rootsNamed.some((r) => sameRef(r, named))) rootsNamed.push(named);
    if (section.kind === 'xref') root = isRef(named) ? named : undefined;
    else if (isRef(named)) root = named;
  }
  return { root, rootsNamed, encrypted };
}

/** Whether `a` and `b` are the same indirect reference. */
function sameRef(a: PdfValue, b: PdfValue): boolean {
  return isRef(a) && isRef(b) && a.num === b.num && a.gen === b.gen;
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

/**
 * For `obj` at `i`: the object number if preceded by `num gen` (§7.3.10), and where `num`
 * starts, as pdf-lib's parser reads a header: white space or comments between the numbers,
 * and optionally between `gen` and `obj` (`4 0 %x⏎obj`, `4 0obj`; found in a review, where
 * such a header hid a later definition from this scan).
 */
function objectHeaderBefore(view: Buffer, i: number): { num: number; start: number } | undefined {
  let j = skipSpaceBackward(view, i - 1);
  if (j === undefined) return undefined;
  const genEnd = j;
  while (j >= 0 && isDigit(view[j])) j--;
  if (j === genEnd || genEnd - j > 5 || j < 0) return undefined;
  const beforeGen = skipSpaceBackward(view, j);
  if (beforeGen === undefined || beforeGen === j) return undefined;
  j = beforeGen;
  const numEnd = j;
  while (j >= 0 && isDigit(view[j])) j--;
  if (j === numEnd || numEnd - j > 10) return undefined;
  // Right after `%%EOF` is a header too: pdf-lib reads the keyword and goes on, and pypdf's
  // incremental save writes its first object there (`%%EOF6 0 obj`; found in a review).
  if (j >= 0 && (isDigit(view[j]) || isLetter(view[j])) && !endsWithEof(view, j)) return undefined;
  return { num: Number(view.toString('latin1', j + 1, numEnd + 1)), start: j + 1 };
}

/**
 * From `j` backwards past white space and comments: the index of the byte before them, or
 * undefined when `j` ends a comment that runs on past it (the byte after `j` is commented out).
 * A comment runs from `%` to the end of its line; here, from the first `%` on the line that
 * does not start `%%EOF`.
 */
function skipSpaceBackward(view: Buffer, from: number): number | undefined {
  let j = from;
  for (;;) {
    let lineEnded = false;
    while (j >= 0 && isPdfWhitespace(view[j]!)) {
      if (view[j] === 0x0a || view[j] === 0x0d) lineEnded = true;
      j--;
    }
    if (j < 0) return j;
    let lineStart = j;
    while (lineStart >= 0 && view[lineStart] !== 0x0a && view[lineStart] !== 0x0d) lineStart--;
    // `%%EOF` is a keyword to pdf-lib, not a comment: a header may follow it on its line.
    let percent = view.indexOf(0x25, lineStart + 1);
    while (percent >= 0 && percent <= j && view.toString('latin1', percent, percent + 5) === '%%EOF')
      percent = view.indexOf(0x25, percent + 5);
    if (percent < 0 || percent > j) return j;
    // The bytes up to `from` are on the comment's line: they are part of it.
    if (!lineEnded) return undefined;
    j = percent - 1;
  }
}

/** Whether `view` holds `%%EOF` ending at `j`. */
function endsWithEof(view: Buffer, j: number): boolean {
  return j >= 4 && view.toString('latin1', j - 4, j + 1) === '%%EOF';
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

function isLetter(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
}
