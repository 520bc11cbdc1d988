import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/domain/errors.js';
import {
  byteSourceFromBytes,
  inspectPdf,
  inspectPdfSource,
  type DokumentRef,
  type PdfInfo,
} from '../../../src/pdf/index.js';
import {
  buildRawPdf,
  makeBrokenXrefPdf,
  makeEncryptedPdf,
  makeLetterPdf,
  makeNotPdf,
  makeZeroPagePdf,
} from '../../fixtures/index.js';
import {
  contentPdfLibCannotRead,
  drawingPdfLibCannotCarry,
  objectStreamTypeHiddenFromPdfLib,
  scriptBehindAnnotationListObject,
  objectStreamsWithoutTable,
} from '../../fixtures/hostile-pdfs.js';
import { hasIndirectReference } from '../../../src/pdf/active-content.js';

const ref: DokumentRef = { index: 3, filnavn: 'vedtak.pdf' };

/** Both validators must agree: pdf-lib in memory, and the windowed reader used for large files. */
const inspectors: Array<[string, (bytes: Uint8Array) => Promise<PdfInfo>]> = [
  ['inspectPdf', (bytes) => inspectPdf(bytes, ref)],
  ['inspectPdfSource', (bytes) => inspectPdfSource(byteSourceFromBytes(bytes), ref)],
];

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ValidationError, `expected ValidationError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the document to be refused');
}

/** Appends an incremental update (§7.5.6) that adds a page: exercises /Prev and several subsections. */
function withIncrementalUpdate(base: Uint8Array): Uint8Array {
  const text = Buffer.from(base).toString('latin1');
  const prev = Number(/startxref\s+(\d+)/.exec(text)![1]);
  let update = '';
  const at = (s: string): number => text.length + update.length + s.length * 0;
  const o2 = at('');
  update += '2 0 obj\n<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>\nendobj\n';
  const o6 = at('');
  update += '6 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n';
  const xref = at('');
  const entry = (o: number): string => `${String(o).padStart(10, '0')} 00000 n\r\n`;
  update += `xref\n0 1\n0000000000 65535 f\r\n2 1\n${entry(o2)}6 1\n${entry(o6)}`;
  update += `trailer\n<< /Size 7 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(text + update, 'latin1'));
}

for (const [name, inspect] of inspectors) {
  describe(name, () => {
    it('counts the pages of a letter (pdf-lib output with object streams and an xref stream)', async () => {
      const letter = await makeLetterPdf({ seed: 5, pages: 5 });
      assert.ok(Buffer.from(letter).includes('/XRef'), 'fixture uses a cross-reference stream');
      assert.deepEqual(await inspect(letter), { pages: 5 });
      assert.deepEqual(await inspect(await makeLetterPdf()), { pages: 2 });
    });

    it('follows an incremental update to the newest page tree', async () => {
      const base = buildRawPdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
      ]);
      assert.deepEqual(await inspect(base), { pages: 1 });
      assert.deepEqual(await inspect(withIncrementalUpdate(base)), { pages: 2 });
    });

    it('reads a file followed by 5 000 zero bytes or newlines of padding, as readers do (it was refused as unreadable)', async () => {
      const letter = await makeLetterPdf();
      for (const pad of ['\0', '\n']) {
        const padded = new Uint8Array(Buffer.concat([letter, Buffer.from(pad.repeat(5000), 'latin1')]));
        assert.deepEqual(await inspect(padded), { pages: 2 });
      }
    });

    it('refuses a file whose %%EOF is followed by 60 000 blanks and one byte more (no end found where readers look)', async () => {
      const letter = await makeLetterPdf();
      const tail = Buffer.from(`${' '.repeat(60_000)}x`, 'latin1');
      const e = await rejection(inspect(new Uint8Array(Buffer.concat([letter, tail]))));
      assert.match(e.message, /ikke en lesbar PDF/);
    });

    it('reads a file whose objects are all in object streams, without a table, at once (indexing them recursed until the heap ran out)', async () => {
      assert.deepEqual(await inspect(objectStreamsWithoutTable()), { pages: 12 });
    });

    it('names a page object that cannot be read as the reason, not only the /Count it leaves short', async () => {
      const broken = buildRawPdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842 >> ]] >> <<',
      ]);
      const e = await rejection(inspect(broken));
      // Parsed whole, pdf-lib drops the object and the walk says which; read by range, the
      // object's syntax error makes the file unreadable as such.
      assert.match(
        e.message,
        name === 'inspectPdf'
          ? /en side mangler eller kan ikke leses \(objekt 4\): \/Count sier 2, men bare 1 side kan leses/
          : /ikke en lesbar PDF/,
      );
    });

    it('names a page reference to an object the file does not have as the reason the /Count differs', async () => {
      const missing = buildRawPdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R 9 0 R] /Count 2 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
      ]);
      const e = await rejection(inspect(missing));
      assert.match(
        e.message,
        /en side mangler eller kan ikke leses \(objekt 9\): \/Count sier 2, men bare 1 side kan leses/,
      );
    });

    it('recovers the page count when startxref points at the wrong place', async () => {
      assert.deepEqual(await inspect(makeBrokenXrefPdf()), { pages: 3 });
    });

    it('refuses bytes that are not a PDF, naming the field and the file', async () => {
      const e = await rejection(inspect(makeNotPdf()));
      assert.equal(e.code, 'VALIDERINGSFEIL');
      assert.deepEqual(e.problems, [
        { field: 'dokumenter[3]', message: 'Ugyldig innhold i vedtak.pdf: ikke en lesbar PDF' },
      ]);
      assert.equal(
        (await rejection(inspect(new Uint8Array(0)))).problems[0]?.message,
        'Ugyldig innhold i vedtak.pdf: ikke en lesbar PDF',
      );
    });

    it('refuses a truncated upload', async () => {
      const letter = await makeLetterPdf();
      const e = await rejection(inspect(letter.subarray(0, Math.floor(letter.length / 2))));
      assert.equal(e.problems[0]?.message, 'Ugyldig innhold i vedtak.pdf: ikke en lesbar PDF');
    });

    it('refuses an encrypted PDF', async () => {
      const e = await rejection(inspect(makeEncryptedPdf()));
      assert.deepEqual(e.problems, [
        { field: 'dokumenter[3]', message: 'Ugyldig innhold i vedtak.pdf: dokumentet er kryptert/passordbeskyttet' },
      ]);
    });

    it('refuses a PDF without pages', async () => {
      const e = await rejection(inspect(makeZeroPagePdf()));
      assert.deepEqual(e.problems, [
        { field: 'dokumenter[3]', message: 'Ugyldig innhold i vedtak.pdf: PDF-en har ingen sider' },
      ]);
    });
  });
}

describe('inspectPdf: objects pdf-lib cannot parse on a page', () => {
  it('refuses a page whose drawing compose could not carry: an unparsed object naming others by number, or one compose must empty', async () => {
    const cases = drawingPdfLibCannotCarry();
    assert.deepEqual((await rejection(inspectPdf(cases.henvisning, ref))).problems, [
      {
        field: 'dokumenter[3]',
        message:
          'Ugyldig innhold i vedtak.pdf: ikke en lesbar PDF (objekt 5, som brukes på en side, kan ikke leses og henviser til andre objekter)',
      },
    ]);
    assert.match(
      (await rejection(inspectPdf(cases['åpen streng'], ref))).message,
      /objekt 5, som brukes på en side, kan ikke leses\)/,
    );
    assert.match(
      (await rejection(inspectPdf(cases['henvisning, også i en merknad'], ref))).message,
      /objekt 5, som brukes på en side, kan ikke leses og henviser til andre objekter/,
    );
    // A widget pdf-lib cannot parse, in the page's annotations and among its XObjects: compose
    // must empty it, and the page would print without it (the review's file).
    assert.match(
      (await rejection(inspectPdf(scriptBehindAnnotationListObject(true), ref))).message,
      /objekt 7, som brukes på en side, kan ikke leses\)/,
    );
  });

  it('reads a reference as PDFium does, with comments or NUL between its parts (a pattern for blanks missed it; found in review)', () => {
    for (const syntax of ['<< /A 11 0 R >>', '<< /A 11 %x\n0 %y\nR >>', '<< /A 11\u00000\u0000R >>', '[1 0 R]'])
      assert.equal(hasIndirectReference(syntax), true, JSON.stringify(syntax));
    for (const syntax of [
      '<< /T (11 0 R) >>',
      '<< /C [1 0 0] /RG 1 >>',
      '<< /N 1 0 RG >>',
      '<< /H <31203020> /R 5 >>',
      '<< /X 1.5 0 R >>',
    ])
      assert.equal(hasIndirectReference(syntax), false, JSON.stringify(syntax));
  });

  it('counts as active a stream whose dictionary the scan cannot find: an object stream so hidden held a script PDFium ran from the inline original (review, round six)', async () => {
    for (const hiding of ['comment', 'header-strings'] as const)
      assert.deepEqual(
        await inspectPdf(objectStreamTypeHiddenFromPdfLib(hiding), ref),
        { pages: 1, activeContent: true },
        hiding,
      );
  });

  it('accepts one it carries as it is: a content stream with no object numbers in it', async () => {
    assert.deepEqual(await inspectPdf(contentPdfLibCannotRead(), ref), { pages: 1, activeContent: true });
  });
});
