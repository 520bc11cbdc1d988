/**
 * The admin web's PDF work runs on a PDF thread, through the pool: the cover preview
 * (src/pdf/cover-preview.ts: pdf.js and the canvas never load on the main thread, which
 * answers requests) and the manual-print batch (src/pdf/print-batch.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { startPdfWorkers, type ForsideInput, type PdfWorkers } from '../../../src/pdf/index.js';
import { makeLetterPdf } from '../../fixtures/index.js';

const input: ForsideInput = {
  avsender: {
    navn: 'Kárášjoga gielda',
    adresselinjer: ['Postboks 84'],
    postnr: '9735',
    poststed: 'Kárášjohka',
    tekst: 'Forhåndsvisning av forsiden.',
  },
  mottaker: { navn: 'Kari Nordmann', adresse1: 'Eksempelveien 1', postnr: '0150', poststed: 'OSLO' },
  tittel: 'Eksempel: Vedtak om tildeling av barnehageplass',
  dato: Date.UTC(2026, 11, 4),
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  assert.deepEqual([...view.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
  assert.equal(view.toString('latin1', 12, 16), 'IHDR');
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

describe('cover preview on a PDF thread', () => {
  let pool: PdfWorkers;
  before(() => {
    pool = startPdfWorkers(1);
  });
  after(() => pool.close());

  it('draws the page as a 1000-pixel-wide PNG, A4 in proportion, without loading pdf.js on the main thread', async () => {
    const { width, height } = pngSize(await pool.coverPreview(input, 'png'));
    assert.equal(width, 1000);
    assert.equal(height, Math.round((1000 * 841.89) / 595.28));
    assert.equal(
      (globalThis as { pdfjsLib?: unknown }).pdfjsLib,
      undefined,
      'pdf.js was loaded on the PDF thread only',
    );
  });

  it('gives the cover as a one-page PDF, byte for byte what the main thread would make', async () => {
    const onThread = await pool.coverPreview(input, 'pdf');
    assert.equal(Buffer.from(onThread.subarray(0, 5)).toString('latin1'), '%PDF-');
    assert.equal((await PDFDocument.load(onThread)).getPageCount(), 1);
    const inline = startPdfWorkers(0);
    assert.deepEqual(Buffer.from(await inline.coverPreview(input, 'pdf')), Buffer.from(onThread));
  });

  it('merges a manual-print batch in order, a duplex letter of odd length padded to whole sheets', async () => {
    const [three, two] = await Promise.all([
      makeLetterPdf({ seed: 31, pages: 3 }),
      makeLetterPdf({ seed: 32, pages: 2 }),
    ]);
    const letters = [
      { bytes: three, duplex: true },
      { bytes: two, duplex: false },
      { bytes: three, duplex: false },
    ];
    const batch = await pool.printBatch(letters, 'Bunke');
    assert.equal(batch.pages, 4 + 2 + 3);
    const doc = await PDFDocument.load(batch.bytes);
    assert.equal(doc.getPageCount(), batch.pages);
    assert.equal(doc.getTitle(), 'Bunke');
    const inline = await startPdfWorkers(0).printBatch(letters, 'Bunke');
    assert.equal(inline.pages, batch.pages, 'the same batch as on the main thread');
  });
});
