import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { encodePng, makeEncryptedPdf, makeLetterPdf, makeNotPdf, makeTestPixels } from '../../fixtures/index.js';

describe('PDF fixtures', () => {
  it('makeLetterPdf: 2-page A4 letter of 40–80 KB, same bytes for the same arguments', async () => {
    const one = await makeLetterPdf({ seed: 11 });
    assert.deepEqual(await makeLetterPdf({ seed: 11 }), one);
    assert.notDeepEqual(await makeLetterPdf({ seed: 12 }), one);
    assert.ok(one.length >= 40_000 && one.length <= 80_000, `${one.length} bytes`);
    const doc = await PDFDocument.load(one);
    assert.equal(doc.getPageCount(), 2);
    const { width, height } = doc.getPage(0).getSize();
    assert.equal(Math.round((width * 25.4) / 72), 210);
    assert.equal(Math.round((height * 25.4) / 72), 297);
    // Object streams hide the dictionaries from a byte search: walk the parsed objects.
    const dicts = doc.context
      .enumerateIndirectObjects()
      .map(([, o]) => (o instanceof PDFDict ? o : o instanceof PDFRawStream ? o.dict : undefined));
    const names = (key: string) => dicts.map((d) => d?.get(PDFName.of(key))?.toString()).filter((v) => v !== undefined);
    assert.ok(
      dicts.some((d) => d?.has(PDFName.of('FontFile2'))),
      'embedded TrueType font',
    );
    assert.ok(
      names('BaseFont').some((n) => /^\/[A-Z]{6}\+DejaVuSans$/.test(n)),
      'DejaVu subset',
    );
    assert.ok(names('Subtype').includes('/Image'), 'an image');
  });

  it('makeLetterPdf honours pages and title', async () => {
    const doc = await PDFDocument.load(await makeLetterPdf({ pages: 4, title: 'Egen tittel' }));
    assert.equal(doc.getPageCount(), 4);
    assert.equal(doc.getTitle(), 'Egen tittel');
  });

  it('makeEncryptedPdf has /Encrypt in its trailer; makeNotPdf has no PDF header', () => {
    const trailer = Buffer.from(makeEncryptedPdf()).toString('latin1').split('trailer')[1] ?? '';
    assert.match(trailer, /\/Encrypt \d+ 0 R/);
    assert.ok(!Buffer.from(makeNotPdf()).toString('latin1').includes('%PDF-'));
  });

  it('encodePng writes a PNG that pdf-lib decodes to the same size', async () => {
    const png = encodePng(3, 2, makeTestPixels(3, 2, 1));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const image = await (await PDFDocument.create()).embedPng(png);
    assert.deepEqual([image.width, image.height], [3, 2]);
  });
});
