import type { ByteSource } from './byte-source.js';
import { PdfSyntaxError, dictGet, isDict, latin1, nameOf, type PdfDict, type PdfValue } from './pdf-syntax.js';
import { parseAt, readObjectAt, readStructureStream } from './window-parse.js';

/** Where an object lives (§7.5.4 cross-reference entries, §7.5.8.3 stream entry types). */
export type XrefEntry =
  | { readonly type: 'free' }
  | { readonly type: 'offset'; readonly offset: number }
  | { readonly type: 'compressed'; readonly stream: number; readonly index: number };

/** Finds objects by number; the newest definition wins. */
export interface XrefTable {
  /** The newest trailer (or cross-reference stream dictionary). */
  readonly trailer: PdfDict;
  /** True when any trailer in the chain has /Encrypt (§7.6.1). */
  encrypted(): Promise<boolean>;
  entry(num: number): Promise<XrefEntry | undefined>;
  /**
   * Which of `numbers` readers take as null, and why: the chain's newest entry marks it free,
   * or gives it offset 0 (pdf.js takes that as no object), or, when every section could be
   * read, no section lists it (pdf.js takes that as null too). One pass over the sections,
   * newest first, each entry read once, stopping when every number is decided.
   */
  nullToReaders(refs: ReadonlyMap<number, number>): Promise<Map<number, NullEntry>>;
  /** A /Prev or /XRefStm in the chain that is not a number (§7.5.5: an integer), which readers follow differently. */
  oddLink(): Promise<'Prev' | 'XRefStm' | undefined>;
}

/**
 * Why readers take an object as null: marked free, at offset 0, listed nowhere, or listed
 * with another generation than the one it is referred to by (pdf.js: "Inconsistent generation").
 */
export type NullEntry = 'free' | 'offset 0' | 'unlisted' | 'other generation';

/** An entry as a section lists it: in use, free, or in use at offset 0. */
type Listed = 'used' | 'free' | 'offset 0';

interface Section {
  readonly trailer: PdfDict;
  lookup(num: number): Promise<XrefEntry | undefined>;
  /** Calls `visit` for every entry the section lists, in one pass (no lookup per object). */
  eachEntry(visit: (num: number, listed: Listed, gen: number) => void): Promise<void>;
}

/** Upper bound on linked sections (incremental updates): guards against loops and hostile chains. */
const MAX_SECTIONS = 2000;

/** Reads the cross-reference chain that starts at `startxref`, section by section, lazily. */
export async function openXrefChain(source: ByteSource, startxref: number): Promise<XrefTable> {
  const loaded: Section[] = [];
  const pending: number[] = [startxref];
  const seen = new Set<number>();
  let oddLink: 'Prev' | 'XRefStm' | undefined;
  /** False once a section could not be read: the chain ends there, as readers keep what they read. */
  let whole = true;

  const loadNext = async (): Promise<boolean> => {
    const offset = pending.shift();
    if (offset === undefined) return false;
    if (seen.has(offset) || seen.size >= MAX_SECTIONS) throw new PdfSyntaxError('cross-reference chain loops');
    seen.add(offset);
    const section = await readSection(source, offset);
    loaded.push(section);
    // A hybrid file's /XRefStm is consulted before /Prev (§7.5.8.4).
    for (const key of ['XRefStm', 'Prev'] as const) {
      const n = dictGet(section.trailer, key);
      if (typeof n === 'number') pending.push(n);
      else if (n !== undefined && n !== null) oddLink ??= key;
    }
    return true;
  };
  /** Every section that can be read. */
  const loadReadable = async (): Promise<void> => {
    for (;;) {
      try {
        if (!(await loadNext())) return;
      } catch (error) {
        if (!(error instanceof PdfSyntaxError)) throw error;
        whole = false;
        return;
      }
    }
  };
  await loadNext();
  const first = loaded[0];
  if (first === undefined) throw new PdfSyntaxError('no cross-reference section');

  return {
    trailer: first.trailer,
    async encrypted() {
      while (await loadNext());
      return loaded.some((s) => dictGet(s.trailer, 'Encrypt') !== undefined);
    },
    async oddLink() {
      await loadReadable();
      return oddLink;
    },
    async nullToReaders(refs) {
      // The sections that can be read, as readers keep the tables they could read (a /Prev to
      // junk or back into the chain ends it there, found in a review).
      await loadReadable();
      // Decided by the newest section that lists the number; the map holds only `numbers`.
      const decided = new Map<number, { readonly listed: Listed; readonly gen: number }>();
      for (const section of loaded) {
        // A hybrid file's table marks free what its /XRefStm places (§7.5.8.4): there the
        // stream, read next, decides.
        const hybrid = dictGet(section.trailer, 'XRefStm') !== undefined;
        await section.eachEntry((num, listed, gen) => {
          if (refs.has(num) && !decided.has(num) && !(listed === 'free' && hybrid)) decided.set(num, { listed, gen });
        });
        if (decided.size === refs.size) break;
      }
      const nulls = new Map<number, NullEntry>();
      for (const [num, gen] of refs) {
        if (num === 0) continue;
        const entry = decided.get(num);
        if (entry?.listed === 'free' || entry?.listed === 'offset 0') nulls.set(num, entry.listed);
        else if (entry !== undefined && entry.gen !== gen) nulls.set(num, 'other generation');
        // Where the chain broke, an object of the sections past it is not known to be unlisted.
        else if (entry === undefined && whole) nulls.set(num, 'unlisted');
      }
      return nulls;
    },
    async entry(num) {
      for (let i = 0; ; i++) {
        // The next section, loaded when no lookup has needed it yet (`continue` would skip it).
        while (loaded[i] === undefined) if (!(await loadNext())) return undefined;
        const e = await loaded[i]!.lookup(num);
        if (e !== undefined) return e;
      }
    },
  };
}

async function readSection(source: ByteSource, offset: number): Promise<Section> {
  const head = latin1(await source.read(offset, 16)).trimStart();
  if (head.startsWith('xref')) return readClassicSection(source, offset);
  return readStreamSection(source, offset);
}

interface Subsection {
  readonly first: number;
  readonly count: number;
  readonly entriesAt: number;
  readonly entryLength: number;
}

/** A classic `xref` table (§7.5.4): subsections of fixed-width lines, then `trailer`. */
async function readClassicSection(source: ByteSource, offset: number): Promise<Section> {
  const subsections: Subsection[] = [];
  let { end: at } = await parseAt(source, offset, (lx) => lx.keyword('xref'));
  for (;;) {
    const step = await parseAt(source, at, (lx) => {
      lx.skipSpace();
      if (lx.bytes[lx.pos] === 0x74 /* t */) {
        lx.keyword('trailer');
        const trailer = lx.value();
        if (!isDict(trailer)) throw new PdfSyntaxError('trailer is not a dictionary');
        return { trailer, first: 0, count: 0 };
      }
      const first = lx.integer();
      const count = lx.integer();
      lx.skipSpace();
      return { trailer: undefined, first, count };
    });
    const { trailer } = step.value;
    if (trailer !== undefined) {
      return {
        trailer,
        lookup: (num) => lookupClassic(source, subsections, num),
        eachEntry: (visit) => eachClassicEntry(source, subsections, visit),
      };
    }
    const { first, count } = step.value;
    const entryLength = count > 0 ? await measureEntry(source, step.end) : 20;
    subsections.push({ first, count, entriesAt: step.end, entryLength });
    at = step.end + count * entryLength;
    if (subsections.length > 100_000 || at > source.size)
      throw new PdfSyntaxError('cross-reference table runs past the file');
  }
}

/** §7.5.4 says 20 bytes a line; some writers use a one-byte end of line, so measure the first. */
async function measureEntry(source: ByteSource, at: number): Promise<number> {
  const line = latin1(await source.read(at, 24));
  const m = /^\d{10} \d{5} [nf]([ \r\n]{1,3})\d?/.exec(line);
  if (m === null) throw new PdfSyntaxError('malformed cross-reference entry');
  return 18 + m[1]!.length;
}

async function lookupClassic(
  source: ByteSource,
  subsections: readonly Subsection[],
  num: number,
): Promise<XrefEntry | undefined> {
  for (const s of subsections) {
    if (num < s.first || num >= s.first + s.count) continue;
    const line = latin1(await source.read(s.entriesAt + (num - s.first) * s.entryLength, 18));
    const m = /^(\d{10}) (\d{5}) ([nf])$/.exec(line);
    if (m === null) throw new PdfSyntaxError('malformed cross-reference entry');
    return m[3] === 'f' ? { type: 'free' } : { type: 'offset', offset: Number(m[1]) };
  }
  return undefined;
}

/** A cross-reference stream (§7.5.8): fixed-width binary rows after FlateDecode + predictor. */
/**
 * Every entry of a classic section: the type letter is byte 17 of an entry (`n` in use,
 * `f` free); an entry with neither is left out, as a lookup of it would fail.
 */
async function eachClassicEntry(
  source: ByteSource,
  subsections: readonly Subsection[],
  visit: (num: number, listed: Listed, gen: number) => void,
): Promise<void> {
  for (const s of subsections) {
    const entries = await source.read(s.entriesAt, s.count * s.entryLength);
    for (let i = 0; i < s.count; i++) {
      const at = i * s.entryLength;
      const type = entries[at + 17];
      const gen = digitsAt(entries, at + 11, 5);
      if (type === 0x66 /* f */) visit(s.first + i, 'free', gen);
      else if (type === 0x6e /* n */) visit(s.first + i, zeroOffset(entries, at) ? 'offset 0' : 'used', gen);
    }
  }
}

/** The number written in `n` ASCII digits at `at` (NaN when they are not digits). */
function digitsAt(entries: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = (entries[at + k] ?? 0) - 0x30;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
}

/** Whether the ten offset digits of the classic entry at `at` are all `0`. */
function zeroOffset(entries: Uint8Array, at: number): boolean {
  for (let k = 0; k < 10; k++) if (entries[at + k] !== 0x30) return false;
  return true;
}

async function readStreamSection(source: ByteSource, offset: number): Promise<Section> {
  const obj = await readObjectAt(source, offset);
  const dict = obj.value;
  if (!isDict(dict) || nameOf(dictGet(dict, 'Type')) !== 'XRef' || obj.streamStart === undefined) {
    throw new PdfSyntaxError('startxref does not point at a cross-reference table or stream');
  }
  // §7.5.8.2: the entries of a cross-reference stream dictionary are direct objects.
  const length = dictGet(dict, 'Length');
  if (typeof length !== 'number') throw new PdfSyntaxError('cross-reference stream /Length is not direct');
  const widths = numbers(dictGet(dict, 'W'));
  const size = dictGet(dict, 'Size');
  if (widths.length !== 3 || typeof size !== 'number') throw new PdfSyntaxError('bad /W or /Size');
  const index = dictGet(dict, 'Index') === undefined ? [0, size] : numbers(dictGet(dict, 'Index'));
  const rows = await readStructureStream(source, dict, obj.streamStart, length);
  const [w0, w1, w2] = widths as [number, number, number];
  const rowLength = w0 + w1 + w2;
  // Every reader needs each entry's fields; a row of no bytes would make any /Index count a loop.
  if (rowLength === 0 || widths.some((w) => w < 0 || w > 8)) throw new PdfSyntaxError('bad /W');
  return {
    trailer: dict,
    lookup(num) {
      let row = 0;
      for (let i = 0; i + 1 < index.length; i += 2) {
        const first = index[i]!;
        const count = index[i + 1]!;
        if (num >= first && num < first + count) {
          const at = (row + num - first) * rowLength;
          if (at + rowLength > rows.length) return Promise.resolve(undefined);
          const type = w0 === 0 ? 1 : field(rows, at, w0);
          const f1 = field(rows, at + w0, w1);
          const f2 = field(rows, at + w0 + w1, w2);
          if (type === 0) return Promise.resolve({ type: 'free' });
          if (type === 1) return Promise.resolve({ type: 'offset', offset: f1 });
          if (type === 2) return Promise.resolve({ type: 'compressed', stream: f1, index: f2 });
          return Promise.resolve(undefined);
        }
        row += count;
      }
      return Promise.resolve(undefined);
    },
    eachEntry(visit) {
      let row = 0;
      for (let i = 0; i + 1 < index.length; i += 2) {
        const first = index[i]!;
        const count = index[i + 1]!;
        for (let k = 0; k < count && (row + k + 1) * rowLength <= rows.length; k++) {
          const at = (row + k) * rowLength;
          const type = w0 === 0 ? 1 : field(rows, at, w0);
          const gen = field(rows, at + w0 + w1, w2);
          if (type === 0) visit(first + k, 'free', gen);
          else if (type === 1) visit(first + k, field(rows, at + w0, w1) === 0 ? 'offset 0' : 'used', gen);
          else if (type === 2) visit(first + k, 'used', 0);
        }
        row += count;
      }
      return Promise.resolve();
    },
  };
}

function field(rows: Uint8Array, at: number, width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + rows[at + i]!;
  return v;
}

function numbers(v: PdfValue | undefined): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number'))
    throw new PdfSyntaxError('expected an array of numbers');
  return v as number[];
}
