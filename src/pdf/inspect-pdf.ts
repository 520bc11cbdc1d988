import type { PDFDocument } from 'pdf-lib';
import './pdf-lib-runtime.js';
import { hasActiveContent } from './active-content.js';
import { byteSourceFromBytes } from './byte-source.js';
import { isDynamicXfa } from './document-hygiene.js';
import { pageCopyProblem } from './page-copyability.js';
import { MAX_PAGES, PageTreeError, checkPageTree } from './page-tree.js';
import { pdfProblem, type DokumentRef } from './pdf-problems.js';
import { loadRecordingDefinitions, type PdfLibDefinition } from './pdf-lib-definitions.js';
import { prescanPdf } from './pdf-prescan.js';
import { twoReadingsProblem } from './two-readings.js';
import { unparsedDrawingProblem } from './unparsed-objects.js';
import { fileTail } from './xref-page-count.js';

/**
 * Above this size a PDF is checked by range reads (inspectPdfStream) instead of whole: the
 * intake's document inspectors choose by it, and compose repeats the prescan only above it.
 */
export const WHOLE_PDF_LIMIT = 16 * 1024 * 1024;

/** What intake needs to know about a valid PDF. */
export interface PdfInfo {
  readonly pages: number;
  /**
   * Set when inspectPdf found script, additional or unsafe actions or an XFA form
   * (active-content.ts). A file checked by range reads (inspectPdfStream) is not looked at
   * for it: the caller treats that as unknown.
   */
  readonly activeContent?: true;
}

/**
 * Validates a PDF held in memory the way composing will read it later: the same pdf-lib
 * load and the same bounded page-tree walk (page-tree.ts) compose runs, so the pages counted
 * here are the pages compose copies, and every page has what compose needs to copy it
 * (page-copyability.ts). Before pdf-lib touches the bytes, a cheap scan bounds
 * the objects and the inflated size (pdf-prescan.ts). The file must not be encrypted or
 * truncated and must have 1 to MAX_PAGES pages (docs/interfaces.md §8). pdf-lib only parses bytes; it
 * fetches nothing, so nothing external is resolved. For files too large to hold, use
 * inspectPdfStream. Runs on a PDF worker thread in a node, under a time budget there.
 */
export async function inspectPdf(bytes: Uint8Array, dokument: DokumentRef): Promise<PdfInfo> {
  // Cheap header and trailer checks first: pdf-lib would also refuse some, but after more work.
  if (!hasPdfHeader(bytes)) throw pdfProblem(dokument, 'ikke-pdf');
  // A missing %%EOF is most often a truncated upload: pdf-lib would read the objects that
  // arrived and compose a letter without the rest.
  if (!(await fileTail(byteSourceFromBytes(bytes))).includes('%%EOF')) throw pdfProblem(dokument, 'ikke-pdf');
  const tooMuch = prescanPdf(bytes);
  if (tooMuch !== undefined) throw pdfProblem(dokument, 'for-kompleks', tooMuch);
  let doc: PDFDocument;
  let kept: ReadonlyMap<string, PdfLibDefinition>;
  try {
    // ignoreEncryption: load it anyway so an encrypted file gets its own message below.
    ({ doc, definitions: kept } = await loadRecordingDefinitions(bytes, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: false,
    }));
  } catch {
    throw pdfProblem(dokument, 'ikke-pdf');
  }
  if (doc.isEncrypted) throw pdfProblem(dokument, 'kryptert');
  let pages: number;
  try {
    pages = checkPageTree(doc, MAX_PAGES);
    // pdf-lib's own count, now that its walk is known to end: the same leaves.
    if (doc.getPageCount() !== pages)
      throw new PageTreeError(`pdf-lib fant ${doc.getPageCount()} sider, sidetreet ${pages}`);
  } catch (error) {
    if (error instanceof PageTreeError)
      throw pdfProblem(dokument, error.tooManyPages ? 'for-mange-sider' : 'sidetre', error.message);
    // A catalog or page tree pdf-lib cannot walk: compose would fail the same way.
    throw pdfProblem(dokument, 'ikke-pdf');
  }
  if (pages === 0) throw pdfProblem(dokument, 'ingen-sider');
  // pdf-lib read the file front to back; readers follow its cross-reference table: the same
  // pages, the same catalog and the same definition of every object (two-readings.ts).
  const differ = await twoReadingsProblem(bytes, doc, kept, pages);
  if (differ !== undefined) throw pdfProblem(dokument, differ.kind, differ.detail);
  if (isDynamicXfa(doc)) throw pdfProblem(dokument, 'dynamisk-xfa');
  const uncopyable = pageCopyProblem(doc);
  if (uncopyable !== undefined) throw pdfProblem(dokument, 'sidetre', uncopyable);
  const unreadable = unparsedDrawingProblem(doc);
  if (unreadable !== undefined) throw pdfProblem(dokument, 'ikke-pdf', unreadable);
  return hasActiveContent(doc, bytes) ? { pages, activeContent: true } : { pages };
}

/** §7.5.2: `%PDF-` within the first 1024 bytes (readers tolerate leading junk there). */
function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(1024, bytes.length)).toString('latin1');
  return /%PDF-\d\.\d/.test(head);
}
