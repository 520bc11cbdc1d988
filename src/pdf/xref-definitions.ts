/**
 * Whether readers and pdf-lib take the same definition of every object. Readers (pdf.js,
 * poppler, Acrobat) fetch an object where the cross-reference chain says it is; pdf-lib, which
 * composes the print copy, reads the file front to back and keeps the last definition of each
 * object, an object stream's members where the stream is. A file can define an object twice
 * and point its table at the first: the page count agrees (xref-page-count.ts), but the page's
 * content a viewer, the archive and SvarInn show is not the content printed (found in a
 * review: "ORIGINAL" on screen, "SWAPPED" on paper, with the same page count).
 *
 * A legitimate incremental update appends the new definition and a table pointing at it, so
 * the table names the last definition. A table that points at an earlier definition of the
 * same object, or at an object stream's member where a later top-level definition exists,
 * makes the two readings differ: the file is refused. A table entry that points at no
 * definition at all (a broken offset) is left alone: readers then rebuild the table from the
 * file in order, as pdf-lib reads it.
 */
import type { ByteSource } from './byte-source.js';
import { isPdfWhitespace } from './pdf-syntax.js';
import { readObjectAt } from './window-parse.js';
import type { XrefTable } from './xref-table.js';

/**
 * Where `n g obj` headers start, by objectKey: the first of each object, and for an object
 * defined more than once every offset in file order (most files define each object once:
 * no array for those, which kept a 490 000-object file's scan to a fraction of a second).
 */
export interface ObjectHeaders {
  readonly first: Map<number, number>;
  readonly repeated: Map<number, number[]>;
}

/** One number for object `num`, generation `gen` (§7.3.10: generations are below 65 536). */
export function objectKey(num: number, gen: number): number {
  return num * 65_536 + gen;
}

const DIGIT_0 = 0x30;
const isDigit = (b: number | undefined): boolean => b !== undefined && b >= DIGIT_0 && b <= DIGIT_0 + 9;
/** `<`, `[`, `/`, `%`, `(`: what may follow `obj` directly. */
const AFTER_OBJ = new Set([0x3c, 0x5b, 0x2f, 0x25, 0x28]);
/** `>`, `]`: what may end the value before a header without whitespace. */
const BEFORE_HEADER = new Set([0x3e, 0x5d]);

/**
 * The offsets of every `n g obj` header in the bytes: the keyword `obj` (not `endobj`),
 * preceded by whitespace, a generation number, whitespace and an object number that starts
 * the file or follows whitespace or the end of a dictionary or array.
 */
export function objectHeaders(bytes: Uint8Array): ObjectHeaders {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = new Map<number, number>();
  const repeated = new Map<number, number[]>();
  for (let at = buf.indexOf('obj'); at >= 0; at = buf.indexOf('obj', at + 3)) {
    const after = bytes[at + 3];
    if (after !== undefined && !isPdfWhitespace(after) && !AFTER_OBJ.has(after)) continue;
    let p = at - 1;
    if (p < 0 || !isPdfWhitespace(bytes[p] as number)) continue;
    while (p >= 0 && isPdfWhitespace(bytes[p] as number)) p--;
    const genEnd = p + 1;
    while (p >= 0 && isDigit(bytes[p])) p--;
    const genStart = p + 1;
    if (genStart === genEnd || p < 0 || !isPdfWhitespace(bytes[p] as number)) continue;
    while (p >= 0 && isPdfWhitespace(bytes[p] as number)) p--;
    const numEnd = p + 1;
    while (p >= 0 && isDigit(bytes[p])) p--;
    const numStart = p + 1;
    if (numStart === numEnd || numEnd - numStart > 10 || genEnd - genStart > 5) continue;
    if (p >= 0 && !isPdfWhitespace(bytes[p] as number) && !BEFORE_HEADER.has(bytes[p] as number)) continue;
    const key = objectKey(digits(bytes, numStart, numEnd), digits(bytes, genStart, genEnd));
    const seen = first.get(key);
    if (seen === undefined) first.set(key, numStart);
    else {
      const list = repeated.get(key);
      if (list === undefined) repeated.set(key, [seen, numStart]);
      else list.push(numStart);
    }
  }
  return { first, repeated };
}

/** The number written in ASCII digits at [start, end). */
function digits(bytes: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + ((bytes[i] as number) - DIGIT_0);
  return n;
}

/** The first non-whitespace byte at or after `offset`. */
function skipWhitespace(bytes: Uint8Array, offset: number): number {
  let at = offset;
  while (at < bytes.length && isPdfWhitespace(bytes[at] as number)) at++;
  return at;
}

/** Whether a whole object parses at `offset` (a header inside binary stream data does not, as a rule). */
async function parsesAt(source: ByteSource, offset: number, key: number): Promise<boolean> {
  try {
    const obj = await readObjectAt(source, offset);
    return objectKey(obj.num, obj.gen) === key;
  } catch {
    return false;
  }
}

/**
 * The reason, in Norwegian, when the cross-reference chain names another definition of an
 * object than the last one in the file; undefined when both readings take the same ones.
 */
export async function definitionsDiffer(
  source: ByteSource,
  bytes: Uint8Array,
  xref: XrefTable,
): Promise<string | undefined> {
  // One lookup per object number: the prescan bounds the objects, and the task's time budget
  // a table built to make lookups slow (pdf-worker-pool.ts); no cap a padded file could pass.
  const { first, repeated } = objectHeaders(bytes);
  // Only a cross-reference stream (`/Type /XRef`, a direct name as xref-table.ts reads it)
  // can place an object in an object stream; without one, only objects defined twice matter.
  const mayBeCompressed = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf('/XRef') >= 0;
  for (const [key, offsets] of repeated) {
    const entry = await xref.entry(Math.floor(key / 65_536));
    if (entry?.type !== 'offset') continue;
    const index = offsets.indexOf(skipWhitespace(bytes, entry.offset));
    if (index < 0 || index === offsets.length - 1) continue; // a broken offset, or the last one
    for (const later of offsets.slice(index + 1)) if (await parsesAt(source, later, key)) return differ(key);
  }
  if (!mayBeCompressed) return undefined;
  // In an object stream: pdf-lib takes a top-level definition that comes after the stream.
  for (const [key, firstAt] of first) {
    const entry = await xref.entry(Math.floor(key / 65_536));
    if (entry?.type !== 'compressed') continue;
    const stream = await xref.entry(entry.stream);
    if (stream?.type !== 'offset') continue;
    const streamAt = skipWhitespace(bytes, stream.offset);
    for (const at of repeated.get(key) ?? [firstAt]) {
      if (at > streamAt && (await parsesAt(source, at, key))) return differ(key);
    }
  }
  return undefined;
}

function differ(key: number): string {
  const num = Math.floor(key / 65_536);
  const gen = key % 65_536;
  return `objekt ${num} ${gen} er definert flere ganger, og kryssreferansetabellen peker på en annen definisjon enn den siste i filen, så innholdet vises ulikt i ulike PDF-lesere`;
}
