/**
 * One print-ready PDF of several letters (manual print, docs/architecture.md step 8): their files
 * merged in the given order, a duplex letter with an odd page count padded with a blank
 * page so the next letter starts on a fresh sheet. The node runs it on a PDF thread
 * (pdf-worker-pool.ts): a batch of 200 letters is pdf-lib work the main thread should not do.
 */
import { PDFDocument } from 'pdf-lib';
import './pdf-lib-runtime.js';
import { copyPagesWithLayers } from './optional-content.js';

/** One letter of a batch: its print file's bytes and whether it is printed on both sides. */
export interface BatchLetter {
  readonly bytes: Uint8Array;
  readonly duplex: boolean;
}

/** The merged PDF and its page count. */
export interface PrintBatch {
  readonly bytes: Uint8Array;
  readonly pages: number;
}

/** Merges the letters' files into one PDF titled `title`, in order. */
export async function mergePrintBatch(letters: readonly BatchLetter[], title: string): Promise<PrintBatch> {
  const batch = await PDFDocument.create();
  for (const letter of letters) {
    const doc = await PDFDocument.load(letter.bytes, { updateMetadata: false });
    // With the letter's layer settings: plain copyPages leaves them behind, and every layer,
    // a hidden draft and a screen-only one too, was printed (found in review).
    const pages = await copyPagesWithLayers(batch, doc, 'Print');
    for (const p of pages) batch.addPage(p);
    // Duplex: an odd page count would put the next letter's cover on this letter's last back side.
    if (letter.duplex && pages.length % 2 === 1) {
      const last = pages[pages.length - 1];
      batch.addPage(last === undefined ? undefined : [last.getWidth(), last.getHeight()]);
    }
  }
  batch.setTitle(title);
  return { bytes: await batch.save(), pages: batch.getPageCount() };
}
