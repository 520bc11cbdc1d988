import { ValidationError } from '../domain/errors.js';
import { byteSourceFromRangeOpener, type ByteSource, type RangeOpener } from './byte-source.js';
import type { PdfInfo } from './inspect-pdf.js';
import { MAX_PAGES, PageTreeError } from './page-tree.js';
import { prescanPdfSource } from './pdf-prescan-stream.js';
import { walkPageTree } from './page-tree-stream.js';
import { pdfProblem, type DokumentRef } from './pdf-problems.js';
import { dictGet, latin1, PdfSyntaxError } from './pdf-syntax.js';
import { copyProblemByRange } from './page-copyability-stream.js';
import { recoverStructure, type RecoveredStructure } from './recovery-scan.js';
import { fileTail, pagesByCrossReference, readersXref, readingsDiffer } from './xref-page-count.js';
import type { XrefTable } from './xref-table.js';
import { oddChainLink, severalCatalogs } from './catalog-choice.js';
import { linearizationDiffers } from './linearization.js';
import { readingsDifferByRange } from './readings-by-range.js';

/** §7.5.2: the header may be preceded by junk; readers accept it within the first 1024 bytes. */
const HEADER_WINDOW = 1024;

/**
 * Validates a PDF that is too large to load whole (several hundred MB): header, `%%EOF`,
 * trailer and cross-reference data read from the tail, /Encrypt, and the pages counted by a
 * bounded walk of the page tree (page-tree-stream.ts, the rules compose holds it to). Falls
 * back to a chunked scan when the xref is damaged. Then the whole file is read front to back
 * as pdf-lib will read it at compose: prescanned (pdf-prescan-stream.ts), and its pages
 * counted again from the last definition of each object. Reads through `open` a window at a
 * time, so memory stays far below the file size. Last, the two readings are compared as for
 * a small file: the catalog, and each object a page prints (readings-by-range.ts).
 */
export async function inspectPdfStream(open: RangeOpener, size: number, dokument: DokumentRef): Promise<PdfInfo> {
  const source = byteSourceFromRangeOpener(open, size);
  const { info, fileOrder: scanned, readers } = await inspectOrRefuse(source, dokument);
  const finding = await prescanPdfSource(source);
  if (finding?.kind === 'kryptert') throw pdfProblem(dokument, 'kryptert');
  if (finding !== undefined) throw pdfProblem(dokument, 'for-kompleks', finding.why);
  // A damaged table already had its pages counted so (the recovery scan).
  const fileOrder = scanned ?? (await pagesInFileOrder(source));
  if (fileOrder === undefined) return info;
  if (fileOrder.pages !== info.pages)
    throw pdfProblem(dokument, 'sidetre', readingsDiffer(info.pages, fileOrder.pages));
  // What compose needs of every page, checked as compose (pdf-lib) will read the file.
  let problem: string | undefined;
  try {
    problem = await copyProblemByRange(fileOrder.structure.resolver, fileOrder.structure.root);
  } catch {
    throw pdfProblem(dokument, 'ikke-pdf');
  }
  if (problem === 'dynamisk-xfa') throw pdfProblem(dokument, 'dynamisk-xfa');
  if (problem !== undefined) throw pdfProblem(dokument, 'sidetre', problem);
  // Readers took the pages by the table: the print copy must take the same objects. Where
  // they rebuild it, they choose among the trailers by rules of their own.
  const differ =
    (await linearizationDiffers(source, info.pages, undefined)) ??
    (readers === undefined
      ? severalCatalogs(fileOrder.structure.rootsNamed)
      : await readingsDifferByRange(source, readers, fileOrder.structure));
  if (differ !== undefined) throw pdfProblem(dokument, 'tvetydig', differ);
  return info;
}

/** The file read front to back, as pdf-lib reads it, and the pages that reading has. */
interface FileOrderReading {
  readonly structure: RecoveredStructure;
  readonly pages: number;
}

/**
 * The pages as pdf-lib will count them at compose: it reads the file front to back and keeps
 * the last definition of each object, also one the cross-reference table does not name (an
 * object redefined after the table was written). Undefined when that reading finds no page
 * tree it can walk: compose then has its own checks, and intake refuses nothing on a guess.
 */
async function pagesInFileOrder(source: ByteSource): Promise<FileOrderReading | undefined> {
  try {
    const structure = await recoverStructure(source);
    const pages = await walkPageTree(structure.resolver, structure.root);
    return pages === undefined ? undefined : { structure, pages };
  } catch {
    return undefined;
  }
}

/** As inspectPdfStream, over any random-access ByteSource. */
export async function inspectPdfSource(source: ByteSource, dokument: DokumentRef): Promise<PdfInfo> {
  return (await inspectOrRefuse(source, dokument)).info;
}

/**
 * What the structure check found: by the cross-reference chain readers follow (`readers`),
 * or by the recovery scan, with the reading in file order it made.
 */
interface Inspected {
  readonly info: PdfInfo;
  readonly readers?: XrefTable;
  readonly fileOrder?: FileOrderReading;
}

async function inspectOrRefuse(source: ByteSource, dokument: DokumentRef): Promise<Inspected> {
  try {
    return await inspectStructure(source, dokument);
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    if (e instanceof PageTreeError)
      throw pdfProblem(dokument, e.tooManyPages ? 'for-mange-sider' : 'sidetre', e.message);
    throw pdfProblem(dokument, 'ikke-pdf');
  }
}

async function inspectStructure(source: ByteSource, dokument: DokumentRef): Promise<Inspected> {
  const head = latin1(await source.read(0, HEADER_WINDOW));
  if (!/%PDF-\d\.\d/.test(head)) throw pdfProblem(dokument, 'ikke-pdf');
  const tail = await fileTail(source);
  // A missing %%EOF is most often a truncated upload: refuse it rather than guess.
  if (!tail.includes('%%EOF')) throw pdfProblem(dokument, 'ikke-pdf');
  // The table a reader follows (the last startxref, also one with objects appended after it).
  const table = await readersXref(source);
  if (table !== undefined) {
    // A link readers follow each their own way: no reading of the table can be trusted.
    const link = await table.oddLink();
    if (link !== undefined) throw pdfProblem(dokument, 'tvetydig', oddChainLink(link));
    try {
      if (await encryptedAsFarAsReadable(table)) throw pdfProblem(dokument, 'kryptert');
      const pages = await pagesByCrossReference(source, table);
      if (pages !== undefined) return { info: checked(pages, dokument), readers: table };
    } catch (e) {
      if (e instanceof ValidationError || e instanceof PageTreeError) throw e;
    }
  }
  // Damaged or unusual xref: the recovery scan, as readers do.
  const recovered = await recoverStructure(source);
  if (recovered.encrypted) throw pdfProblem(dokument, 'kryptert');
  const pages = await walkPageTree(recovered.resolver, recovered.root);
  if (pages === undefined) throw pdfProblem(dokument, 'ikke-pdf');
  return { info: checked(pages, dokument), fileOrder: { structure: recovered, pages } };
}

/**
 * Whether the chain's trailers have /Encrypt, as far as the chain can be read: readers keep the
 * tables they could read (a /Prev to junk ends the chain there), and the prescan finds
 * /Encrypt anywhere in the file (pdf-prescan-stream.ts).
 */
async function encryptedAsFarAsReadable(table: XrefTable): Promise<boolean> {
  try {
    return await table.encrypted();
  } catch (error) {
    if (error instanceof PdfSyntaxError) return dictGet(table.trailer, 'Encrypt') !== undefined;
    throw error;
  }
}

function checked(pages: number, dokument: DokumentRef): PdfInfo {
  if (pages === 0) throw pdfProblem(dokument, 'ingen-sider');
  if (pages > MAX_PAGES) throw pdfProblem(dokument, 'for-mange-sider', `høyst ${MAX_PAGES} sider er tillatt`);
  return { pages };
}
