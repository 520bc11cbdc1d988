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
 * the table names the definition pdf-lib keeps. A table that names another definition of an
 * object pdf-lib has (an earlier one, one pdf-lib never parsed, an object stream's member
 * where pdf-lib kept a later top-level one), and readers can read there, makes the two
 * readings differ: the file is refused. A table entry that points at no definition at all (a
 * broken offset) is left alone: readers then rebuild the table from the file in order, as
 * pdf-lib reads it. pdf-lib's side is what its parser recorded (pdf-lib-definitions.ts), not
 * a search of the bytes.
 */
import type { ByteSource } from './byte-source.js';
import { ObjectResolver, type EntryLookup } from './object-resolver.js';
import type { PdfLibDefinition } from './pdf-lib-definitions.js';
import { PdfLexer, PdfSyntaxError } from './pdf-syntax.js';
import { readObjectAt } from './window-parse.js';
import type { XrefEntry, XrefTable } from './xref-table.js';

/** Where the definition at `offset` starts: past white space and comments, as pdf-lib's parser skips them. */
export function definitionStart(bytes: Uint8Array, offset: number): number {
  const lexer = new PdfLexer(bytes, offset);
  lexer.skipSpace();
  return lexer.pos;
}

/** Whether object `num` `gen` parses at `offset` (a header inside binary stream data does not, as a rule). */
export async function parsesAt(source: ByteSource, offset: number, num: number, gen: number): Promise<boolean> {
  try {
    const obj = await readObjectAt(source, offset);
    return obj.num === num && obj.gen === gen;
  } catch {
    return false;
  }
}

/** How often the object stream `stream` lists object `num`, as readers decode it (0 when it cannot be read). */
export async function timesInObjectStream(readers: ObjectResolver, stream: number, num: number): Promise<number> {
  try {
    return (await readers.objectStreamMembers(stream)).filter(([member]) => member === num).length;
  } catch (error) {
    if (error instanceof PdfSyntaxError || error instanceof RangeError) return 0;
    throw error;
  }
}

/** The objects by the cross-reference chain, as readers fetch them (each object stream decoded once, a few kept). */
export function readersResolver(source: ByteSource, xref: XrefTable): ObjectResolver {
  return new ObjectResolver(source, (n) => xref.entry(n));
}

/** Where readers look objects up: the cross-reference chain, or a table rebuilt from the file. */
interface Reading {
  readonly entry: EntryLookup;
  readonly resolver: ObjectResolver;
}

/**
 * The reason, in Norwegian, when readers take another definition of an object than the one
 * pdf-lib kept; undefined when both readings take the same ones. Readers follow the chain
 * (`table`); where it has none, or an entry names no definition there, they rebuild the table
 * from the file (`rebuild`: the recovery scan's, which like pdf.js finds headers by search,
 * also inside a stream's data that pdf-lib skips; found in a review).
 */
export async function definitionsDiffer(
  source: ByteSource,
  bytes: Uint8Array,
  kept: ReadonlyMap<string, PdfLibDefinition>,
  table: EntryLookup | undefined,
  rebuild: () => Promise<EntryLookup>,
): Promise<string | undefined> {
  const byTable: Reading | undefined =
    table === undefined ? undefined : { entry: table, resolver: new ObjectResolver(source, table) };
  let rebuilt: Reading | undefined;
  const byRebuilt = async (): Promise<Reading> => {
    if (rebuilt === undefined) {
      const entry = await rebuild();
      rebuilt = { entry, resolver: new ObjectResolver(source, entry) };
    }
    return rebuilt;
  };
  // One lookup per object: the prescan bounds the objects, and the task's time budget a
  // table built to make lookups slow (pdf-worker-pool.ts).
  for (const definition of kept.values()) {
    const { num, gen } = definition;
    let reading = byTable ?? (await byRebuilt());
    let entry = await reading.entry(num);
    // A table entry that names no definition: readers rebuild (poppler) or show nothing (pdf.js).
    if (byTable !== undefined && entry?.type === 'offset' && !(await parsesAt(source, entry.offset, num, gen))) {
      reading = await byRebuilt();
      entry = await reading.entry(num);
    }
    const why = entry === undefined ? undefined : await differsFrom(source, bytes, definition, entry, reading);
    if (why !== undefined) return why;
  }
  return undefined;
}

/** Whether readers' `entry` for the object (in `reading`) is another definition than pdf-lib's. */
async function differsFrom(
  source: ByteSource,
  bytes: Uint8Array,
  definition: PdfLibDefinition,
  entry: XrefEntry,
  reading: Reading,
): Promise<string | undefined> {
  const { num, gen } = definition;
  if (entry.type === 'free') return undefined;
  if (entry.type === 'offset') {
    if (definition.kind === 'plain' && definition.at === definitionStart(bytes, entry.offset)) return undefined;
    return (await parsesAt(source, entry.offset, num, gen)) ? differ(num, gen) : undefined;
  }
  // An object stream that lists the object twice: pdf-lib keeps the last, poppler the one
  // at the table's index (found in a review). pdf-lib's parse says so of the stream it took
  // the object from; another stream is decoded to see whether readers find it there.
  const stream = await reading.entry(entry.stream);
  const sameStream =
    definition.kind === 'member' &&
    stream?.type === 'offset' &&
    definition.streamAt === definitionStart(bytes, stream.offset);
  if (sameStream) return definition.twice === true ? twiceInObjectStream(entry.stream, num) : undefined;
  const times = await timesInObjectStream(reading.resolver, entry.stream, num);
  if (times > 1) return twiceInObjectStream(entry.stream, num);
  return times === 0 ? undefined : differ(num, gen);
}

/** The reason for an object stream that lists an object more than once, in Norwegian. */
export function twiceInObjectStream(stream: number, num: number): string {
  return `objektstrømmen i objekt ${stream} inneholder objekt ${num} flere ganger, så PDF-lesere og utskriften kan ta ulike definisjoner`;
}

/** The reason for object `num` `gen`, in Norwegian. */
export function differ(num: number, gen: number): string {
  return `objekt ${num} ${gen} er definert flere ganger, og kryssreferansetabellen peker på en annen definisjon enn den siste i filen, så innholdet vises ulikt i ulike PDF-lesere`;
}
