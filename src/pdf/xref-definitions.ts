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

/** Object numbers looked up at most (the prescan bounds the objects; this bounds the lookups). */
const MAX_LOOKUPS = 200_000;

/** Where `n g obj` headers start, in file order, by "n g". */
type Headers = Map<string, number[]>;

const DIGIT_0 = 0x30;
const isDigit = (b: number | undefined): boolean => b !== undefined && b >= DIGIT_0 && b <= DIGIT_0 + 9;

/**
 * The offsets of every `n g obj` header in the bytes: the keyword `obj` (not `endobj`),
 * preceded by whitespace, a generation number, whitespace and an object number that starts
 * the file or follows whitespace or a delimiter.
 */
export function objectHeaders(bytes: Uint8Array): Headers {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headers: Headers = new Map();
  for (let at = buf.indexOf('obj'); at >= 0; at = buf.indexOf('obj', at + 3)) {
    const after = bytes[at + 3];
    if (after !== undefined && !isPdfWhitespace(after) && !'<[/%('.includes(String.fromCharCode(after))) continue;
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
    if (numStart === numEnd) continue;
    const before = bytes[p];
    if (p >= 0 && !isPdfWhitespace(before as number) && !'>]'.includes(String.fromCharCode(before as number))) continue;
    const key = `${Number(buf.toString('latin1', numStart, numEnd))} ${Number(buf.toString('latin1', genStart, genEnd))}`;
    const list = headers.get(key);
    if (list === undefined) headers.set(key, [numStart]);
    else list.push(numStart);
  }
  return headers;
}

/** The first non-whitespace byte at or after `offset`. */
function skipWhitespace(bytes: Uint8Array, offset: number): number {
  let at = offset;
  while (at < bytes.length && isPdfWhitespace(bytes[at] as number)) at++;
  return at;
}

/** Whether a whole object parses at `offset` (a header inside binary stream data does not, as a rule). */
async function parsesAt(source: ByteSource, offset: number, key: string): Promise<boolean> {
  try {
    const obj = await readObjectAt(source, offset);
    return `${obj.num} ${obj.gen}` === key;
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
  const headers = objectHeaders(bytes);
  let lookups = 0;
  for (const [key, offsets] of headers) {
    if (++lookups > MAX_LOOKUPS) return undefined;
    const num = Number(key.split(' ')[0]);
    const entry = await xref.entry(num);
    if (entry === undefined || entry.type === 'free') continue;
    if (entry.type === 'offset') {
      if (offsets.length < 2) continue;
      const named = skipWhitespace(bytes, entry.offset);
      const index = offsets.indexOf(named);
      if (index < 0 || index === offsets.length - 1) continue; // a broken offset, or the last one
      for (const later of offsets.slice(index + 1)) {
        if (await parsesAt(source, later, key)) return differ(key);
      }
      continue;
    }
    // In an object stream: pdf-lib takes a top-level definition that comes after the stream.
    const stream = await xref.entry(entry.stream);
    if (stream?.type !== 'offset') continue;
    const streamAt = skipWhitespace(bytes, stream.offset);
    for (const at of offsets) {
      if (at > streamAt && (await parsesAt(source, at, key))) return differ(key);
    }
  }
  return undefined;
}

function differ(key: string): string {
  const [num, gen] = key.split(' ');
  return `objekt ${num} ${gen} er definert flere ganger, og kryssreferansetabellen peker på en annen definisjon enn den siste i filen, så innholdet vises ulikt i ulike PDF-lesere`;
}
