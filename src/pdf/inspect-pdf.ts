import { PDFDocument } from 'pdf-lib';
import { pdfProblem, type DokumentRef } from './pdf-problems.js';

/** What intake needs to know about a valid PDF. */
export interface PdfInfo {
  readonly pages: number;
}

/**
 * Validates a PDF held in memory the way composing will read it later: pdf-lib must parse
 * it, it must not be encrypted, and it must have at least one page (API.md §8). pdf-lib
 * only parses bytes; it fetches nothing, so nothing external is resolved. Async because
 * pdf-lib's parser is. For files too large to hold, use inspectPdfStream.
 */
export async function inspectPdf(bytes: Uint8Array, dokument: DokumentRef): Promise<PdfInfo> {
  // Cheap header check first: pdf-lib would also refuse, but after more work.
  if (!hasPdfHeader(bytes)) throw pdfProblem(dokument, 'ikke-pdf');
  let doc: PDFDocument;
  try {
    // ignoreEncryption: load it anyway so an encrypted file gets its own message below.
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    throw pdfProblem(dokument, 'ikke-pdf');
  }
  if (doc.isEncrypted) throw pdfProblem(dokument, 'kryptert');
  let pages: number;
  try {
    pages = doc.getPageCount();
  } catch {
    // A catalog or page tree pdf-lib cannot walk: compose would fail the same way.
    throw pdfProblem(dokument, 'ikke-pdf');
  }
  if (pages === 0) throw pdfProblem(dokument, 'ingen-sider');
  return { pages };
}

/** §7.5.2: `%PDF-` within the first 1024 bytes (readers tolerate leading junk there). */
function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(1024, bytes.length)).toString('latin1');
  return /%PDF-\d\.\d/.test(head);
}
