/**
 * Objects the file refers to that pdf-lib does not have and readers do. pdf-lib reads the file
 * front to back and skips every stream's data; readers fetch an object where the
 * cross-reference table (or the table they rebuild by searching the bytes) says it is, also
 * inside another stream's data. A catalog's /OpenAction naming an object written inside a
 * stream that claims to be compressed ran its JavaScript in Chromium from the original document,
 * which the inbox shows inline since every check, pdf-lib's included, found nothing active
 * (found in review). Such a file reads two ways: refused as `tvetydig`.
 */
import { PDFArray, PDFDict, PDFInvalidObject, PDFRef, PDFStream, type PDFDocument, type PDFObject } from 'pdf-lib';
import type { ByteSource } from './byte-source.js';
import { ObjectResolver, type EntryLookup } from './object-resolver.js';
import type { PdfLibDefinition } from './pdf-lib-definitions.js';
import { definitionStart, parsesAt, timesInObjectStream } from './xref-definitions.js';

/** Direct nesting followed in one object; deeper values are bounded by the page checks elsewhere. */
const MAX_DEPTH = 64;

/**
 * The reason, in Norwegian, when an object the file refers to is missing to pdf-lib and found
 * by readers: by the table (`table`), or where it names no definition, or there is none, by
 * the rebuilt one (`rebuild`). Undefined otherwise, and for a file without such references
 * (the usual file) at the cost of one walk over pdf-lib's objects.
 */
export async function hiddenObjectProblem(
  source: ByteSource,
  bytes: Uint8Array,
  doc: PDFDocument,
  kept: ReadonlyMap<string, PdfLibDefinition>,
  table: EntryLookup | undefined,
  rebuild: () => Promise<EntryLookup>,
): Promise<string | undefined> {
  const missing = missingReferences(doc);
  if (missing.size === 0) return undefined;
  // The object streams pdf-lib opened as such: kept as an unparsed object when it could not
  // read them, else known by where its members came from. One it holds as a plain stream (its
  // /Type written so that pdf-lib did not read it as ObjStm, while PDFium did) it never opened:
  // the object is hidden from it (found in review).
  const opened = new Set<number>();
  for (const definition of kept.values()) if (definition.kind === 'member') opened.add(definition.streamAt);
  const seen = (stream: number, at: number): boolean =>
    doc.context.lookup(PDFRef.of(stream, 0)) instanceof PDFInvalidObject || opened.has(definitionStart(bytes, at));
  let rebuilt: EntryLookup | undefined;
  const byRebuilt: EntryLookup = async (n) => (rebuilt ??= await rebuild())(n);
  for (const ref of missing.values()) {
    const { objectNumber: num, generationNumber: gen } = ref;
    // As definitionsDiffer: by the table, and where its entry names no definition, by the table
    // readers rebuild (poppler); without a table, by the rebuilt one only.
    const entry = table === undefined ? undefined : await table(num);
    const found =
      table === undefined || (entry?.type === 'offset' && !(await parsesAt(source, entry.offset, num, gen)))
        ? await readersFind(source, byRebuilt, num, gen, seen)
        : await readersFind(source, table, num, gen, seen);
    if (found)
      return `objekt ${num} ${gen}, som filen viser til, ligger inne i dataene til et annet objekt: PDF-lesere finner det der, utskriften ikke, så filen vises ulikt`;
  }
  return undefined;
}

/**
 * Whether readers looking object `num` up by `lookup` find a definition of it that pdf-lib did
 * not see: at an offset, or in an object stream pdf-lib never opened. One it opened and could
 * not read (a predictor it does not undo) is pdf-lib's blind spot, not a hiding place: the
 * active-name scan reads such a stream as viewers do (active-content.ts).
 */
async function readersFind(
  source: ByteSource,
  lookup: EntryLookup,
  num: number,
  gen: number,
  seen: (stream: number, at: number) => boolean,
): Promise<boolean> {
  const entry = await lookup(num);
  if (entry === undefined || entry.type === 'free') return false;
  if (entry.type === 'offset') return parsesAt(source, entry.offset, num, gen);
  const stream = await lookup(entry.stream);
  if (stream?.type !== 'offset' || seen(entry.stream, stream.offset)) return false;
  return (await timesInObjectStream(new ObjectResolver(source, lookup), entry.stream, num)) > 0;
}

/** Every reference in pdf-lib's objects (and its trailer) to an object it does not have, by tag. */
function missingReferences(doc: PDFDocument): Map<string, PDFRef> {
  const missing = new Map<string, PDFRef>();
  const visit = (value: PDFObject | undefined, depth: number): void => {
    if (value === undefined || depth > MAX_DEPTH) return;
    if (value instanceof PDFRef) {
      if (doc.context.lookup(value) === undefined) missing.set(value.tag, value);
    } else if (value instanceof PDFStream) {
      visit(value.dict, depth + 1);
    } else if (value instanceof PDFDict) {
      for (const [, entry] of value.entries()) visit(entry, depth + 1);
    } else if (value instanceof PDFArray) {
      for (let i = 0; i < value.size(); i++) visit(value.get(i), depth + 1);
    }
  };
  for (const [, object] of doc.context.enumerateIndirectObjects()) visit(object, 0);
  const { Root, Info } = doc.context.trailerInfo;
  visit(Root, 0);
  visit(Info, 0);
  return missing;
}
