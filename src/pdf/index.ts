/** The PDF module: validate, cover page (forside), compose the forsendelsesfil (docs/architecture.md step 2 and 4). */
export { byteSourceFromBytes, byteSourceFromRangeOpener } from './byte-source.js';
export type { ByteSource, RangeOpener } from './byte-source.js';
export { composeForsendelsesfil } from './compose.js';
export type { ComposeDocument, ComposeInput, ComposedPdf } from './compose.js';
export {
  A4,
  ADDRESS_BLOCK_MM,
  ADDRESS_FONT_SIZE,
  ADDRESS_LEADING,
  ADDRESS_MAX_LINES,
  BODY_TOP_MM,
  C5_WINDOW_MM,
  MM,
  mmBoxToPdfRect,
} from './envelope-window.js';
export type { PdfRect } from './envelope-window.js';
export { dejaVuSansBytes, embedDejaVuSans } from './fonts.js';
export type { FontFace } from './fonts.js';
export { addressWarnings, unprintableAddressProblems } from './address-fit.js';
export { renderPagePng } from './page-image.js';
export {
  drawForside,
  forsideFor,
  mottakerLines,
  PAPIR_MERKNAD,
  PAPIR_MERKNADER,
  renderForside,
  utenPapirmerknad,
} from './forside.js';
export type { ForsideInput } from './forside.js';
export { inspectPdf, WHOLE_PDF_LIMIT } from './inspect-pdf.js';
export type { PdfInfo } from './inspect-pdf.js';
export { inspectPdfSource, inspectPdfStream } from './inspect-pdf-stream.js';
export { pdfProblem } from './pdf-problems.js';
export { PdfWorkStopped, startPdfWorkers } from './pdf-worker-pool.js';
export type { PdfWorkers, PdfWorkersOptions } from './pdf-worker-pool.js';
export type { PdfWork } from './pdf-worker-protocol.js';
export type { DokumentRef, PdfProblemKind } from './pdf-problems.js';
export { wrapText } from './text-layout.js';
export { mergePrintBatch } from './print-batch.js';
export type { BatchLetter, PrintBatch } from './print-batch.js';
