/**
 * Whether readers (pdf.js, poppler, Acrobat), which follow the cross-reference chain, and
 * pdf-lib, which reads the file front to back and builds the print copy and the inbox file,
 * read a PDF held whole the same way: the same pages (also by a linearized file's first
 * object), the same catalog, the same definition and the same end of every object, no
 * object a page uses that readers take as null, and no object referred to that only readers
 * find (hidden-objects.ts). Intake asks it of
 * every file up to the whole-file limit (inspect-pdf.ts); compose asks it again of a larger
 * one, which intake could only check by range against a model of pdf-lib's reading
 * (readings-by-range.ts), now that pdf-lib has parsed it (compose.ts).
 */
import { PDFDict, PDFName, PDFRef, type PDFDocument } from 'pdf-lib';
import { byteSourceFromBytes } from './byte-source.js';
import { catalogsDiffer, oddChainLink, severalCatalogs, type PrintedCatalog } from './catalog-choice.js';
import { freedObjectInUse } from './freed-objects.js';
import { hiddenObjectProblem } from './hidden-objects.js';
import type { PdfLibDefinition } from './pdf-lib-definitions.js';
import { PageTreeError } from './page-tree.js';
import { dictGet, PdfNestingError } from './pdf-syntax.js';
import { linearizationDiffers } from './linearization.js';
import { recoverStructure, type RecoveredStructure } from './recovery-scan.js';
import type { EntryLookup } from './object-resolver.js';
import { streamEndsDiffer } from './stream-ends.js';
import { definitionsDiffer } from './xref-definitions.js';
import { pagesByCrossReference, readersXref, readingsDiffer } from './xref-page-count.js';

/** Why the two readings differ: as intake names the problem (pdf-problems.ts), and the detail. */
export interface ReadingsProblem {
  readonly kind: 'sidetre' | 'tvetydig' | 'for-kompleks';
  readonly detail: string;
}

/**
 * The first difference between readers' reading of `bytes` and pdf-lib's (`doc`, with the
 * definitions it kept, of `pages` pages), or undefined when they read it alike.
 */
export async function twoReadingsProblem(
  bytes: Uint8Array,
  doc: PDFDocument,
  kept: ReadonlyMap<string, PdfLibDefinition>,
  pages: number,
): Promise<ReadingsProblem | undefined> {
  const source = byteSourceFromBytes(bytes);
  const firstPage =
    pages > 0 ? { num: doc.getPage(0).ref.objectNumber, isPage: (num: number) => pageLike(doc, num) } : undefined;
  const linearized = await linearizationDiffers(source, pages, firstPage);
  if (linearized !== undefined) return { kind: 'tvetydig', detail: linearized };
  const ends = await streamEndsDiffer(source, bytes, doc, kept);
  if (ends !== undefined) return { kind: 'tvetydig', detail: ends };
  const xref = await readersXref(source);
  let byXref: number | undefined;
  try {
    byXref = xref === undefined ? undefined : await pagesByCrossReference(source, xref);
  } catch (error) {
    if (error instanceof PageTreeError) return { kind: 'sidetre', detail: error.message };
    // The page tree by the table holds values nested deeper than the check follows: readers
    // may read it, so skipping the checks that rely on it would let a file past them (found in a review).
    if (error instanceof PdfNestingError)
      return { kind: 'for-kompleks', detail: 'sidetreet har verdier nøstet dypere enn 64 nivåer' };
    throw error;
  }
  if (byXref !== undefined && byXref !== pages) return { kind: 'sidetre', detail: readingsDiffer(byXref, pages) };
  const link = xref === undefined ? undefined : await xref.oddLink();
  let recovered: Promise<RecoveredStructure> | undefined;
  const rebuilt = (): Promise<RecoveredStructure> => (recovered ??= recoverStructure(source));
  const rebuild = async (): Promise<EntryLookup> => (await rebuilt()).entry;
  const differ =
    link !== undefined
      ? oddChainLink(link)
      : xref === undefined || byXref === undefined
        ? // Readers rebuild the table from the file and choose a trailer by rules of their own.
          (severalCatalogs((await rebuilt()).rootsNamed) ??
          (await definitionsDiffer(source, bytes, kept, undefined, rebuild)) ??
          (await hiddenObjectProblem(source, bytes, doc, kept, undefined, rebuild)))
        : (catalogsDiffer(dictGet(xref.trailer, 'Root'), printedCatalog(doc)) ??
          (await definitionsDiffer(source, bytes, kept, (num) => xref.entry(num), rebuild)) ??
          (await hiddenObjectProblem(source, bytes, doc, kept, (num) => xref.entry(num), rebuild)) ??
          // Only where readers walk the pages by the table: where they cannot (a freed catalog
          // or page tree among them), they rebuild it from the file.
          (await freedObjectInUse(doc, xref)));
  return differ === undefined ? undefined : { kind: 'tvetydig', detail: differ };
}

/** Whether object `num` is a page as pdf.js takes one: /Type /Page, or /Contents and no /Type. */
function pageLike(doc: PDFDocument, num: number): boolean {
  const object = doc.context.lookup(PDFRef.of(num, 0));
  if (!(object instanceof PDFDict)) return false;
  const type = object.get(PDFName.of('Type'));
  return type === PDFName.of('Page') || (type === undefined && object.get(PDFName.of('Contents')) !== undefined);
}

/** The catalog pdf-lib took: the last trailer's /Root, or the catalog it found without one. */
function printedCatalog(doc: PDFDocument): PrintedCatalog | undefined {
  const root = doc.context.trailerInfo.Root;
  if (root instanceof PDFRef) return { num: root.objectNumber, gen: root.generationNumber };
  return root instanceof PDFDict ? 'direct' : undefined;
}
