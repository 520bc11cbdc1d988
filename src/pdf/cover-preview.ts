/**
 * The admin web's preview of an avsender's cover page: the page as a PDF, or drawn as a PNG
 * (page-image.ts). Run on a PDF thread (pdf-worker-pool.ts), like the rest of the node's PDF
 * work: drawing a page with pdf.js takes tens of milliseconds that the main thread, which
 * answers the senders' requests, should not spend.
 */
import { renderForside, type ForsideInput } from './forside.js';
import { renderPagePng } from './page-image.js';

/** What the preview is delivered as. */
export type CoverPreviewFormat = 'pdf' | 'png';

/** Width of the PNG preview: sharp in the admin page's column on a high-density screen. */
export const COVER_PREVIEW_WIDTH_PX = 1000;

/** The cover page for `input` as a one-page PDF, or its first page as a PNG. */
export async function renderCoverPreview(input: ForsideInput, format: CoverPreviewFormat): Promise<Uint8Array> {
  const pdf = await renderForside(input);
  return format === 'pdf' ? pdf : renderPagePng(pdf, COVER_PREVIEW_WIDTH_PX);
}
