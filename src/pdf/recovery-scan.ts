import type { ByteSource } from './byte-source.js';
import { ObjectResolver } from './object-resolver.js';
import { PdfSyntaxError, dictGet, isDict, isRef, type PdfDict, type PdfRef } from './pdf-syntax.js';
import { parseAt, readObjectAt } from './window-parse.js';
import type { XrefEntry } from './xref-table.js';

/** What a linear scan finds when the cross-reference data cannot be used. */
export interface RecoveredStructure {
  readonly resolver: ObjectResolver;
  /** The document catalog, from the newest trailer or cross-reference stream, else a /Type /Catalog object. */
  readonly root: PdfRef | undefined;
  readonly encrypted: boolean;
}

/** Read size of the scan: memory stays at about this, whatever the file size. */
const CHUNK = 1024 * 1024;
/** Bytes carried between chunks so a marker cut in two is still seen. */
const OVERLAP = 64;
/** More objects than this in a file without a usable xref is refused rather than indexed. */
const MAX_OBJECTS = 1_000_000;

const MARKERS = /(?<![0-9])(\d{1,10})[ \t\r\n\f\0]+(\d{1,5})[ \t\r\n\f\0]+obj(?![A-Za-z])|trailer(?![A-Za-z])|\/Type\s*\/(Catalog|XRef|ObjStm)(?![A-Za-z])/g;

/**
 * Rebuilds an object table by scanning the whole file once in fixed-size chunks, as readers
 * do for a damaged cross-reference table. Memory: one chunk plus one offset per object.
 */
export async function recoverStructure(source: ByteSource): Promise<RecoveredStructure> {
  const offsets = new Map<number, number>();
  const trailers: number[] = [];
  const catalogs: number[] = [];
  const xrefStreams: number[] = [];
  const objectStreams: number[] = [];
  let lastObject: number | undefined;
  let carry = '';
  let carryStart = 0;
  let read = 0;

  for await (const chunk of source.chunks(0, source.size, CHUNK)) {
    read += chunk.length;
    const last = read >= source.size;
    const text = carry + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('latin1');
    const limit = last ? text.length : Math.max(0, text.length - OVERLAP);
    MARKERS.lastIndex = 0;
    for (let m = MARKERS.exec(text); m !== null && m.index < limit; m = MARKERS.exec(text)) {
      const at = carryStart + m.index;
      if (m[1] !== undefined) {
        lastObject = Number(m[1]);
        offsets.set(lastObject, at);
        if (offsets.size > MAX_OBJECTS) throw new PdfSyntaxError('too many objects to recover');
      } else if (m[0].startsWith('trailer')) trailers.push(at);
      else if (lastObject !== undefined) {
        const list = m[3] === 'Catalog' ? catalogs : m[3] === 'XRef' ? xrefStreams : objectStreams;
        if (list.at(-1) !== lastObject) list.push(lastObject);
      }
    }
    carry = text.slice(limit);
    carryStart += limit;
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
  const root = fromTrailer ?? (lastCatalog === undefined ? undefined : { kind: 'ref' as const, num: lastCatalog, gen: 0 });
  return { resolver, root, encrypted };
}

async function indexObjectStreams(resolver: ObjectResolver, streams: readonly number[]): Promise<Map<number, XrefEntry>> {
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
    if (e instanceof PdfSyntaxError || e instanceof RangeError || (e as { code?: string }).code?.startsWith('Z_')) return undefined;
    throw e;
  }
}
