import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import {
  composeForsendelsesfil,
  inspectPdf,
  renderForside,
  WHOLE_PDF_LIMIT,
  type ForsideInput,
} from '../../../src/pdf/index.js';
import { makeLetterPdf } from '../../fixtures/index.js';
import { activeContent, brokenForms, deflateBomb, filledForm, referenceChain } from '../../fixtures/hostile-pdfs.js';
import { textRuns } from './pdf-text.js';

const forsideInput: ForsideInput = {
  avsender: {
    navn: 'Testkommune',
    adresselinjer: ['Rådhuset'],
    postnr: '1234',
    poststed: 'TESTBY',
    tekst: 'Forsidetekst.',
  },
  mottaker: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postnr: '0150', poststed: 'OSLO' },
  tittel: 'Sammensatt brev',
  dato: Date.UTC(2025, 0, 2),
};

/** The first text on each page, or '' for a page without text: shows which document a page came from. */
async function pageLabels(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((p) => textRuns(doc, p)[0]?.text ?? '');
}

describe('composeForsendelsesfil', () => {
  let a: Uint8Array; // 2 pages
  let b: Uint8Array; // 3 pages, excluded from print
  let c: Uint8Array; // 1 page
  let forside: Uint8Array;
  before(async () => {
    [a, b, c, forside] = await Promise.all([
      makeLetterPdf({ seed: 1, pages: 2, title: 'Dokument A' }),
      makeLetterPdf({ seed: 2, pages: 3, title: 'Dokument B' }),
      makeLetterPdf({ seed: 3, pages: 1, title: 'Dokument C' }),
      renderForside(forsideInput),
    ]);
  });
  const docs = () => [
    { bytes: a, ekskluderesFraPrint: false },
    { bytes: b, ekskluderesFraPrint: true },
    { bytes: c, ekskluderesFraPrint: false },
  ];

  it('digital: cover then every document in order; pages = 1 + sum', async () => {
    const out = await composeForsendelsesfil({ forside, documents: docs(), variant: 'digital' });
    assert.equal(out.pages, 1 + 2 + 3 + 1);
    const labels = await pageLabels(out.bytes);
    assert.equal(labels.length, out.pages);
    assert.equal(labels[0], 'Testkommune');
    assert.deepEqual(labels.slice(1), [
      'Dokument A',
      'Side 2 av 2',
      'Dokument B',
      'Side 2 av 3',
      'Side 3 av 3',
      'Dokument C',
    ]);
    assert.deepEqual(await inspectPdf(out.bytes, { index: 0, filnavn: 'forsendelsesfil.pdf' }), { pages: 7 });
  });

  it('print: leaves out documents marked ekskluderesFraPrint', async () => {
    const out = await composeForsendelsesfil({ forside, documents: docs(), variant: 'print' });
    assert.equal(out.pages, 1 + 2 + 1);
    assert.deepEqual((await pageLabels(out.bytes)).slice(1), ['Dokument A', 'Side 2 av 2', 'Dokument C']);
  });

  it('duplex print: every document starts on an odd page', async () => {
    const documents = [
      { bytes: c, ekskluderesFraPrint: false }, // 1 page
      { bytes: b, ekskluderesFraPrint: false }, // 3 pages
      { bytes: a, ekskluderesFraPrint: false }, // 2 pages
      { bytes: c, ekskluderesFraPrint: false }, // same bytes again: copied again
    ];
    const out = await composeForsendelsesfil({ forside, documents, variant: 'print', tosidig: true });
    const labels = await pageLabels(out.bytes);
    // 1 cover, 2 blank, 3 C, 4 blank, 5-7 B, 8 blank, 9-10 A, 11 C (no trailing blank)
    assert.deepEqual(labels, [
      'Testkommune',
      '',
      'Dokument C',
      '',
      'Dokument B',
      'Side 2 av 3',
      'Side 3 av 3',
      '',
      'Dokument A',
      'Side 2 av 2',
      'Dokument C',
    ]);
    assert.equal(out.pages, 11);
    for (const start of [3, 5, 9, 11]) assert.equal(start % 2, 1);
  });

  it('tosidig does not pad the digital variant', async () => {
    const out = await composeForsendelsesfil({ forside, documents: docs(), variant: 'digital', tosidig: true });
    assert.equal(out.pages, 7);
  });

  it('draws the cover straight in from its input, same pages as from rendered bytes', async () => {
    const fromInput = await composeForsendelsesfil({
      forside: forsideInput,
      documents: docs(),
      variant: 'digital',
      tittel: 'Sammensatt brev',
    });
    const fromBytes = await composeForsendelsesfil({ forside, documents: docs(), variant: 'digital' });
    assert.equal(fromInput.pages, fromBytes.pages);
    assert.deepEqual(await pageLabels(fromInput.bytes), await pageLabels(fromBytes.bytes));
    assert.equal((await PDFDocument.load(fromInput.bytes)).getTitle(), 'Sammensatt brev');
  });

  it('is deterministic without a creation date', async () => {
    const one = await composeForsendelsesfil({ forside: forsideInput, documents: docs(), variant: 'print' });
    const two = await composeForsendelsesfil({ forside: forsideInput, documents: docs(), variant: 'print' });
    assert.deepEqual(one.bytes, two.bytes);
  });

  it('copies exactly the pages intake counted, or fails: never fewer without a word', async () => {
    const composed = await composeForsendelsesfil({
      forside,
      documents: [{ bytes: a, ekskluderesFraPrint: false, sider: 2 }],
      variant: 'digital',
    });
    assert.equal(composed.pages, 3);
    await assert.rejects(
      composeForsendelsesfil({
        forside,
        documents: [{ bytes: a, ekskluderesFraPrint: false, sider: 3 }],
        variant: 'digital',
      }),
      /dokument 1 har 2 sider, men 3 ble kontrollert ved mottak/,
    );
  });

  it("refuses a large document beyond the intake's bounds before pdf-lib inflates or copies it", async () => {
    const started = performance.now();
    await assert.rejects(
      composeForsendelsesfil({
        forside,
        documents: [{ bytes: deflateBomb('typeRef', WHOLE_PDF_LIMIT), ekskluderesFraPrint: false }],
        variant: 'print',
      }),
      /PDF-en er for kompleks: objektstrømmene pakkes ut til mer enn 64 MB/,
    );
    assert.ok(performance.now() - started < 10_000);
    await assert.rejects(
      composeForsendelsesfil({
        forside,
        documents: [{ bytes: referenceChain(5_000), ekskluderesFraPrint: false }],
        variant: 'print',
      }),
      /PDF-en kan ikke settes sammen: side 1 har objekter nøstet i mer enn 500 nivåer/,
    );
  });

  it("leaves out the pages' active content (JavaScript, Launch, attached files, javascript: and file: links) and keeps web and e-mail links", async () => {
    const { bytes } = await composeForsendelsesfil({
      forside,
      documents: [{ bytes: activeContent(), ekskluderesFraPrint: false, sider: 1 }],
      variant: 'digital',
    });
    const text = Buffer.from(bytes).toString('latin1');
    for (const gone of ['/JavaScript', '/Launch', '/EmbeddedFile', 'MZ-nyttelast', '/AA', 'JavaScript:', 'file:']) {
      assert.ok(!text.includes(gone), `${gone} is still in the file`);
    }
    assert.ok(text.includes('https://nav.no/') && text.includes('https://kommune.no/'), 'web links kept');
    assert.ok(text.includes('mailto:post@kommune.no'), 'e-mail links kept');
  });

  it('composes a page whose form pdf-lib cannot read (a number among the fields, a field its own kid) as it is', async () => {
    // Both passed the intake check and then failed compose, AVVIST after a 200 (a review,
    // 6 December 2026): intake and compose must agree.
    for (const [name, bytes] of Object.entries(brokenForms())) {
      assert.deepEqual(await inspectPdf(bytes, { index: 0, filnavn: `${name}.pdf` }), { pages: 1 }, name);
      const { bytes: out } = await composeForsendelsesfil({
        forside,
        documents: [{ bytes, ekskluderesFraPrint: false, sider: 1 }],
        variant: 'print',
      });
      assert.equal((await PDFDocument.load(out)).getPageCount(), 2, name);
    }
  });

  it("draws a filled-in form's values into the page, so paper shows them", async () => {
    const { bytes } = await composeForsendelsesfil({
      forside,
      documents: [{ bytes: filledForm(), ekskluderesFraPrint: false, sider: 1 }],
      variant: 'print',
    });
    const words = await pageText(bytes, 2);
    assert.match(words, /Ola Nordmann/);
  });

  it('draws a form value Helvetica cannot show (Sámi) in DejaVu Sans, so paper shows it too', async () => {
    const value = 'Áššu Ŋuolla Čoavddáš Đ Ŧ Ž';
    const { bytes } = await composeForsendelsesfil({
      forside,
      documents: [{ bytes: filledForm(value), ekskluderesFraPrint: false, sider: 1 }],
      variant: 'print',
    });
    const words = await pageText(bytes, 2);
    assert.ok(words.includes(value), `the page's text: ${words}`);
  });
});

/** The text pdf.js reads on page `n` of `bytes`, its items joined by spaces. */
async function pageText(bytes: Uint8Array, n: number): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  try {
    const page = await pdf.getPage(n);
    return (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
  } finally {
    await pdf.destroy();
  }
}
