/**
 * A PDF page as a PNG image (pdfjs-dist drawing on @napi-rs/canvas): the admin web's
 * cover-page preview is an image any browser shows at any width, not a PDF viewer in a
 * frame. Only our own cover pages are drawn here (never a sender's PDF), scripting off.
 */
import { createCanvas } from '@napi-rs/canvas';

/** pdf.js is large: loaded on the first preview, not at start. */
let pdfjs: Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')> | undefined;

/** Draws page `pageNumber` (1-based) of `pdf` `widthPx` pixels wide; returns PNG bytes. */
export async function renderPagePng(pdf: Uint8Array, widthPx = 1000, pageNumber = 1): Promise<Uint8Array> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const { getDocument } = await pdfjs;
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const task = getDocument({
    data: new Uint8Array(pdf),
    isEvalSupported: false,
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  const doc = await task.promise;
  try {
    const page = await doc.getPage(pageNumber);
    const unscaled = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: widthPx / unscaled.width });
    const canvas = createCanvas(Math.round(viewport.width), Math.round(viewport.height));
    const context = canvas.getContext('2d');
    // A white sheet: a transparent PNG shows the page's background as the browser's.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    // @napi-rs/canvas stands in for the DOM canvas pdf.js types expect (its Node support).
    const params = { canvas, canvasContext: context, viewport } as unknown as Parameters<typeof page.render>[0];
    await page.render(params).promise;
    return new Uint8Array(await canvas.encode('png'));
  } finally {
    await doc.destroy();
  }
}
