import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  degrees,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRef,
  PDFStream,
  PDFString,
  type PDFObject,
  type PDFPage,
} from 'pdf-lib';
import {
  composeForsendelsesfil,
  inspectPdf,
  mergePrintBatch,
  renderForside,
  WHOLE_PDF_LIMIT,
  type ForsideInput,
} from '../../../src/pdf/index.js';
import { makeLetterPdf } from '../../fixtures/index.js';
import {
  activeContent,
  brokenForms,
  deflateBomb,
  filledForm,
  formWithHiddenWidgets,
  pdfWithLayers,
  referenceChain,
  maskAndGroupObjects,
  scriptsBehindAnnotations,
  scriptsInUnreadableAnnotations,
  actionsAsStreams,
  contentPdfLibCannotRead,
  scriptsHiddenInUnparsedObjects,
  scriptBehindAnnotationListObject,
  streamAnnotationWithScript,
} from '../../fixtures/hostile-pdfs.js';
import { hasActiveContent } from '../../../src/pdf/active-content.js';
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

/** The layers of a composed letter: one by its name on the letter's page, all it lists, and those off by default. */
async function layersOfLetter(
  bytes: Uint8Array,
): Promise<{ layer: (name: string) => PDFRef; listed: PDFObject[]; off: PDFObject[] }> {
  const doc = await PDFDocument.load(bytes);
  const properties = doc.getPage(1).node.Resources()?.lookup(PDFName.of('Properties'), PDFDict);
  const oc = doc.catalog.lookup(PDFName.of('OCProperties'), PDFDict);
  return {
    layer: (name) => properties?.get(PDFName.of(name)) as PDFRef,
    listed: oc.lookup(PDFName.of('OCGs'), PDFArray).asArray(),
    off: oc.lookup(PDFName.of('D'), PDFDict).lookup(PDFName.of('OFF'), PDFArray).asArray(),
  };
}

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

  it('leaves out a JavaScript action of an annotation written as a stream object (it was kept)', async () => {
    const { bytes } = await composeForsendelsesfil({
      forside,
      documents: [{ bytes: streamAnnotationWithScript(), ekskluderesFraPrint: false, sider: 1 }],
      variant: 'digital',
    });
    const text = Buffer.from(bytes).toString('latin1');
    assert.ok(text.includes('/Subtype /Link'), 'the annotation itself is kept');
    assert.ok(!text.includes('/JavaScript') && !text.includes('app.alert'), 'its script is gone');
  });

  it('leaves out scripts, launches and files that a listed annotation only refers to (/Popup, /IRT, /Parent): they were copied along (found in review)', async () => {
    for (const variant of ['digital', 'print'] as const) {
      const { bytes } = await composeForsendelsesfil({
        forside,
        documents: [{ bytes: scriptsBehindAnnotations(), ekskluderesFraPrint: false, sider: 1 }],
        variant,
      });
      const text = Buffer.from(bytes).toString('latin1');
      for (const gone of [
        '/JavaScript',
        '/JS',
        'app.alert',
        '/Launch',
        'cmd.exe',
        '/AA',
        '/EmbeddedFile',
        'MZ-nyttelast',
      ])
        assert.ok(!text.includes(gone), `${variant}: ${gone} is still in the file`);
      assert.ok(
        text.includes('/Subtype /Popup') && text.includes('/Subtype /Square'),
        `${variant}: the annotations stay`,
      );
      assert.equal(hasActiveContent(await PDFDocument.load(bytes), bytes), false, `${variant}: the file is clean`);
    }
  });

  it("empties objects pdf-lib could not read, which it copies as raw bytes and a viewer may read and run (an annotation's script ran in Chromium; found in review)", async () => {
    for (const variant of ['digital', 'print'] as const) {
      const { bytes } = await composeForsendelsesfil({
        forside,
        documents: [{ bytes: scriptsInUnreadableAnnotations(), ekskluderesFraPrint: false, sider: 1 }],
        variant,
      });
      const text = Buffer.from(bytes).toString('latin1');
      for (const gone of ['/JavaScript', '/JS', 'PWNED', '/AA'])
        assert.ok(!text.includes(gone), `${variant}: ${gone} is still in the file`);
      assert.ok(text.includes('/Subtype /Link'), `${variant}: the readable annotation stays`);
      assert.equal(hasActiveContent(await PDFDocument.load(bytes), bytes), false, `${variant}: the file is clean`);
    }
  });

  it('leaves out an action written as a stream, a Named /Print and an action only an unknown key refers to (the stream one ran in Chromium; found in review)', async () => {
    for (const variant of ['digital', 'print'] as const) {
      const { bytes } = await composeForsendelsesfil({
        forside,
        documents: [{ bytes: actionsAsStreams(), ekskluderesFraPrint: false, sider: 1 }],
        variant,
      });
      const text = Buffer.from(bytes).toString('latin1');
      for (const gone of ['/JavaScript', '/JS', 'PWN-strom', '/Print'])
        assert.ok(!text.includes(gone), `${variant}: ${gone} is still in the file`);
      assert.ok(text.includes('(Sender page)'), `${variant}: the page's text stays`);
      assert.equal(hasActiveContent(await PDFDocument.load(bytes), bytes), false, `${variant}: the file is clean`);
    }
  });

  it('empties an object pdf-lib could not read whose script hid from the name check (a comment or string saying stream, a string left open past its endobj; found in review)', async () => {
    for (const [name, pdf] of Object.entries(scriptsHiddenInUnparsedObjects())) {
      const { bytes } = await composeForsendelsesfil({
        forside,
        documents: [{ bytes: pdf, ekskluderesFraPrint: false, sider: 1 }],
        variant: 'digital',
      });
      const text = Buffer.from(bytes).toString('latin1');
      // The open string's object is emptied; the stream data it ran into stays, as data.
      const gone = name === 'streng over endobj' ? ['/TU (x'] : ['/JavaScript', 'PWNED'];
      for (const g of gone) assert.ok(!text.includes(g), `${name}: ${g} is still in the file`);
    }
  });

  it('empties an unparsed widget named through an annotation list of its own, and drops what a page turn of its own chains under /Next (found in review)', async () => {
    const { bytes } = await composeForsendelsesfil({
      forside,
      documents: [{ bytes: scriptBehindAnnotationListObject(), ekskluderesFraPrint: false, sider: 1 }],
      variant: 'digital',
    });
    const text = Buffer.from(bytes).toString('latin1');
    for (const gone of ['/JavaScript', 'PWNED', '(rw)'])
      assert.ok(!text.includes(gone), `${gone} is still in the file`);
    assert.ok(text.includes('/NextPage'), 'the page turn stays');
    assert.ok(text.includes('(Sender page) Tj'), "the page's text stays");
  });

  it("keeps an object pdf-lib could not read that names nothing active: a page's content so written rendered blank when emptied (found in review)", async () => {
    // Its stream keyword ended by LF, and by CR alone as viewers also read it (it was emptied).
    for (const [variant, lineEnd] of [
      ['digital', '\n'],
      ['print', '\n'],
      ['digital', '\r'],
    ] as const) {
      const { bytes } = await composeForsendelsesfil({
        forside,
        documents: [{ bytes: contentPdfLibCannotRead(lineEnd), ekskluderesFraPrint: false, sider: 1 }],
        variant,
      });
      assert.ok(
        Buffer.from(bytes).toString('latin1').includes('(HEMMELIG VEDTAK) Tj'),
        `${variant} ${JSON.stringify(lineEnd)}: the page's content is there`,
      );
    }
  });

  it('keeps soft masks, transparency groups and border styles, which have an /S but are no actions (they were deleted; found in review)', async () => {
    for (const variant of ['digital', 'print'] as const) {
      const { bytes } = await composeForsendelsesfil({
        forside,
        documents: [{ bytes: maskAndGroupObjects(), ekskluderesFraPrint: false, sider: 1 }],
        variant,
      });
      const doc = await PDFDocument.load(bytes);
      const page = doc.getPage(doc.getPageCount() - 1).node;
      const gs = page.Resources()?.lookup(PDFName.of('ExtGState'), PDFDict).lookup(PDFName.of('GS1'), PDFDict);
      const mask = gs?.lookup(PDFName.of('SMask'), PDFDict);
      assert.equal(mask?.get(PDFName.of('S'))?.toString(), '/Luminosity', `${variant}: the soft mask is there`);
      assert.ok(mask?.lookup(PDFName.of('G')) instanceof PDFStream, `${variant}: with its drawing`);
      const annot = page.Annots()?.lookup(0, PDFDict);
      assert.equal(
        annot?.lookup(PDFName.of('BS'), PDFDict).get(PDFName.of('S'))?.toString(),
        '/D',
        `${variant}: dashed border`,
      );
      const text = Buffer.from(bytes).toString('latin1');
      assert.ok(text.includes('/S /Transparency'), `${variant}: the transparency group is there`);
    }
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

  it('draws a form’s shown widgets only, and leaves no annotation reference to a widget it removed', async () => {
    for (const variant of ['print', 'digital'] as const) {
      const { bytes } = await composeForsendelsesfil({
        forside,
        documents: [{ bytes: formWithHiddenWidgets(), ekskluderesFraPrint: false, sider: 1 }],
        variant,
      });
      const words = await pageText(bytes, 2);
      assert.equal(words.split('Ola Nordmann').length - 1, 1, `${variant}: the shown widget once: ${words}`);
      assert.ok(!words.includes('INTERN-MERKNAD'), `${variant}: a hidden widget is not drawn: ${words}`);
      const doc = await PDFDocument.load(bytes);
      for (const page of doc.getPages()) {
        const annots = doc.context.lookup(page.node.get(PDFName.of('Annots')));
        if (!(annots instanceof PDFArray)) continue;
        for (const ref of annots.asArray()) {
          assert.ok(
            !(ref instanceof PDFRef) || doc.context.lookup(ref) !== undefined,
            `${variant}: /Annots names ${ref.toString()}, which is not in the file`,
          );
        }
      }
    }
  });

  it('keeps the layers its sender’s viewer hides hidden: off by default in both copies, screen-only off on paper', async () => {
    for (const [variant, hidden] of [
      ['digital', ['L1']],
      ['print', ['L1', 'L2']],
    ] as const) {
      const { bytes } = await composeForsendelsesfil({
        forside,
        documents: [{ bytes: pdfWithLayers(), ekskluderesFraPrint: false, sider: 1 }],
        variant,
      });
      const { layer, listed, off } = await layersOfLetter(bytes);
      for (const name of ['L1', 'L2', 'L3']) {
        assert.ok(listed.includes(layer(name)), `${variant}: ${name} is one of the file's layers`);
        assert.equal(
          off.includes(layer(name)),
          (hidden as readonly string[]).includes(name),
          `${variant}: ${name} off`,
        );
      }
    }
  });

  it('prints a layer that is off on screen but on for printing by its usage (a "KOPI" stamp), as Acrobat does (found in review)', async () => {
    for (const [variant, isOff] of [
      ['digital', true],
      ['print', false],
    ] as const) {
      const { bytes } = await composeForsendelsesfil({
        forside,
        documents: [{ bytes: pdfWithLayers(), ekskluderesFraPrint: false, sider: 1 }],
        variant,
      });
      const { layer, off } = await layersOfLetter(bytes);
      assert.equal(off.includes(layer('L4')), isOff, `${variant}: the print-only layer is ${isOff ? 'off' : 'on'}`);
    }
  });

  it('the manual print batch keeps each letter’s layers as its print copy has them (found in review)', async () => {
    const letter = async (bytes: Uint8Array): Promise<Uint8Array> =>
      (
        await composeForsendelsesfil({
          forside,
          documents: [{ bytes, ekskluderesFraPrint: false, sider: 1 }],
          variant: 'print',
        })
      ).bytes;
    const batch = await mergePrintBatch(
      [
        { bytes: await letter(await makeLetterPdf({ seed: 3, pages: 1 })), duplex: false },
        { bytes: await letter(pdfWithLayers()), duplex: false },
      ],
      'Bunke',
    );
    const doc = await PDFDocument.load(batch.bytes);
    const layered = doc.getPage(doc.getPageCount() - 1);
    const properties = layered.node.Resources()?.lookup(PDFName.of('Properties'), PDFDict);
    const layer = (name: string): PDFRef => properties?.get(PDFName.of(name)) as PDFRef;
    const oc = doc.catalog.lookup(PDFName.of('OCProperties'), PDFDict);
    const off = oc.lookup(PDFName.of('D'), PDFDict).lookup(PDFName.of('OFF'), PDFArray).asArray();
    assert.ok(off.includes(layer('L1')), 'the hidden draft stays off');
    assert.ok(off.includes(layer('L2')), 'the screen-only layer stays off on paper');
    assert.ok(!off.includes(layer('L3')), 'the layer shown everywhere stays on');
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

describe('the print copy on A4 portrait', () => {
  const A4W = 595.28;
  const A4H = 841.89;
  /** A one-page PDF of `size` with `TL` drawn near its top-left corner and `BR` near its bottom-right. */
  async function markedPage(size: [number, number], rotate = 0): Promise<Uint8Array> {
    const doc = await PDFDocument.create();
    const page = doc.addPage(size);
    page.drawText('TL', { x: 20, y: size[1] - 30, size: 12 });
    page.drawText('BR', { x: size[0] - 40, y: 20, size: 12 });
    if (rotate !== 0) page.setRotation(degrees(rotate));
    const link = doc.context.obj({
      Type: 'Annot',
      Subtype: 'Link',
      Rect: [20, 100, 120, 120],
      A: { Type: 'Action', S: 'URI', URI: PDFString.of('https://example.no/') },
    });
    page.node.addAnnot(doc.context.register(link));
    return doc.save();
  }
  /** Where pdf.js finds each text on page `n` (its origin, in the page's user space), and the page's size. */
  async function markers(bytes: Uint8Array, n: number): Promise<{ at: Map<string, [number, number]>; view: number[] }> {
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
    try {
      const page = await pdf.getPage(n);
      const at = new Map<string, [number, number]>();
      for (const item of (await page.getTextContent()).items)
        if ('str' in item && item.str.trim() !== '') at.set(item.str.trim(), [item.transform[4], item.transform[5]]);
      return { at, view: [...page.view, page.rotate] };
    } finally {
      await pdf.destroy();
    }
  }
  async function printed(source: Uint8Array, variant: 'print' | 'digital' = 'print'): Promise<Uint8Array> {
    const forside = await renderForside(forsideInput);
    return (
      await composeForsendelsesfil({
        forside,
        documents: [{ bytes: source, ekskluderesFraPrint: false, sider: 1 }],
        variant,
      })
    ).bytes;
  }
  function onSheet(at: Map<string, [number, number]>): void {
    for (const [text, [x, y]] of at) {
      assert.ok(x >= 0 && x <= A4W && y >= 0 && y <= A4H, `${text} at (${x}, ${y}) is off the A4 sheet`);
    }
  }

  it('shrinks an A3 page onto A4, upright, with nothing cut', async () => {
    const { at, view } = await markers(await printed(await markedPage([841.89, 1190.55])), 2);
    assert.deepEqual(
      view.map((v) => Math.round(v)),
      [0, 0, 595, 842, 0],
    );
    onSheet(at);
    const [tl, br] = [at.get('TL'), at.get('BR')] as [[number, number], [number, number]];
    assert.ok(tl[0] < br[0] && tl[1] > br[1], 'still upright');
    // Scaled by A4/A3 (≈ 0.707): the markers keep their places relative to the sheet.
    assert.ok(Math.abs(tl[0] - 20 * 0.7071) < 1 && Math.abs(br[1] - 20 * 0.7071) < 1, JSON.stringify([tl, br]));
    // Its link moved with it.
    const out = await PDFDocument.load(await printed(await markedPage([841.89, 1190.55])));
    const annot = out.getPage(1).node.Annots()?.lookup(0, PDFDict);
    const rect = annot?.lookup(PDFName.of('Rect'), PDFArray).asRectangle();
    assert.ok(
      rect !== undefined && Math.abs(rect.x - 20 * 0.7071) < 1 && Math.abs(rect.y - 100 * 0.7071) < 1,
      JSON.stringify(rect),
    );
    assert.ok(Math.abs(rect.width - 100 * 0.7071) < 1, JSON.stringify(rect));
  });

  it('turns a landscape page a quarter counter-clockwise onto the sheet, as landscape printing does', async () => {
    const { at, view } = await markers(await printed(await markedPage([841.89, 595.28])), 2);
    assert.deepEqual(
      view.map((v) => Math.round(v)),
      [0, 0, 595, 842, 0],
    );
    onSheet(at);
    const [tl, br] = [at.get('TL'), at.get('BR')] as [[number, number], [number, number]];
    // The page's top runs along the sheet's left edge: its top-left corner is now bottom-left.
    assert.ok(tl[0] < 100 && tl[1] < 100, `TL at ${tl}`);
    assert.ok(br[0] > A4W - 100 && br[1] > A4H - 100, `BR at ${br}`);
  });

  it("bakes a page's /Rotate in: a portrait page shown landscape prints as its author drew it", async () => {
    const { at, view } = await markers(await printed(await markedPage([595.28, 841.89], 90)), 2);
    assert.deepEqual(
      view.map((v) => Math.round(v)),
      [0, 0, 595, 842, 0],
    );
    const [tl, br] = [at.get('TL'), at.get('BR')] as [[number, number], [number, number]];
    assert.ok(Math.abs(tl[0] - 20) < 1 && Math.abs(br[1] - 20) < 1, JSON.stringify([tl, br]));
  });

  it('shrinks a US Letter page to the sheet width and centres a small page at its own size', async () => {
    const letter = await markers(await printed(await markedPage([612, 792])), 2);
    onSheet(letter.at);
    const a5 = await markers(await printed(await markedPage([419.53, 595.28])), 2);
    onSheet(a5.at);
    const tl = a5.at.get('TL') as [number, number];
    assert.ok(Math.abs(tl[0] - (20 + (A4W - 419.53) / 2)) < 1, `A5 centred, unscaled: TL at ${tl}`);
  });

  it('moves a scan cropped to A4 inside a larger MediaBox onto an A4 sheet, at its own size', async () => {
    const doc = await PDFDocument.load(await markedPage([800, 1000]));
    const page = doc.getPage(0);
    page.setCropBox(100, 100, A4W, A4H);
    page.drawText('IN', { x: 120, y: 100 + A4H - 30, size: 12 });
    const bytes = await printed(await doc.save());
    const { at, view } = await markers(bytes, 2);
    assert.deepEqual(
      view.map((v) => Math.round(v)),
      [0, 0, 595, 842, 0],
    );
    const box = (await PDFDocument.load(bytes)).getPage(1).getMediaBox();
    assert.deepEqual(
      [box.x, box.y, box.width, box.height].map((v) => Math.round(v)),
      [0, 0, 595, 842],
      'the sheet the print provider reads is A4',
    );
    const inside = at.get('IN') as [number, number];
    assert.ok(
      Math.abs(inside[0] - 20) < 1 && Math.abs(inside[1] - (A4H - 30)) < 1,
      `not scaled, not cut: IN at ${inside}`,
    );
  });

  it('prints a page measured in a /UserUnit of 2 points at its size in points, A4, and drops the unit', async () => {
    const doc = await PDFDocument.load(await markedPage([A4W / 2, A4H / 2]));
    doc.getPage(0).node.set(PDFName.of('UserUnit'), doc.context.obj(2));
    const bytes = await printed(await doc.save());
    const { at } = await markers(bytes, 2);
    const tl = at.get('TL') as [number, number];
    assert.ok(Math.abs(tl[0] - 40) < 1 && Math.abs(tl[1] - (A4H - 60)) < 1, `filling the sheet: TL at ${tl}`);
    assert.equal((await PDFDocument.load(bytes)).getPage(1).node.get(PDFName.of('UserUnit')), undefined);
  });

  it('reads a MediaBox written with its corners the other way round as the same page', async () => {
    const doc = await PDFDocument.load(await markedPage([841.89, 1190.55]));
    doc.getPage(0).node.set(PDFName.of('MediaBox'), doc.context.obj([841.89, 1190.55, 0, 0]));
    const { at } = await markers(await printed(await doc.save()), 2);
    onSheet(at);
    const [tl, br] = [at.get('TL'), at.get('BR')] as [[number, number], [number, number]];
    assert.ok(tl[0] < br[0] && tl[1] > br[1], `still upright: TL ${tl}, BR ${br}`);
    assert.ok(Math.abs(tl[0] - 20 * 0.7071) < 1 && Math.abs(br[1] - 20 * 0.7071) < 1, JSON.stringify([tl, br]));
  });

  it('turns each of two landscape pages that share one content array and one link once', async () => {
    const doc = await PDFDocument.create();
    const [first, second] = [doc.addPage([841.89, 595.28]), doc.addPage([841.89, 595.28])] as [PDFPage, PDFPage];
    first.drawText('TL', { x: 20, y: 595.28 - 30, size: 12 });
    first.drawText('BR', { x: 841.89 - 40, y: 20, size: 12 });
    first.node.normalize();
    const streams = first.node.Contents();
    assert.ok(streams instanceof PDFArray);
    const shared = doc.context.register(doc.context.obj(streams.asArray()));
    const link = doc.context.register(
      doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [20, 100, 120, 120], Border: [0, 0, 0] }),
    );
    for (const page of [first, second]) {
      page.node.set(PDFName.of('Contents'), shared);
      page.node.set(PDFName.of('Annots'), doc.context.obj([link]));
    }
    const forside = await renderForside(forsideInput);
    const { bytes } = await composeForsendelsesfil({
      forside,
      documents: [{ bytes: await doc.save(), ekskluderesFraPrint: false, sider: 2 }],
      variant: 'print',
    });
    const out = await PDFDocument.load(bytes);
    for (const n of [2, 3]) {
      const { at } = await markers(bytes, n);
      const [tl, br] = [at.get('TL'), at.get('BR')] as [[number, number], [number, number]];
      assert.ok(tl[0] < 100 && tl[1] < 100, `page ${n}: TL at ${tl}`);
      assert.ok(br[0] > A4W - 100 && br[1] > A4H - 100, `page ${n}: BR at ${br}`);
      const annots = out.getPage(n - 1).node.Annots();
      const rect = (annots?.lookup(0) as PDFDict).lookup(PDFName.of('Rect')) as PDFArray;
      const [x1, y1, x2, y2] = rect.asArray().map((v) => Number(v.toString()));
      for (const [x, y] of [
        [x1, y1],
        [x2, y2],
      ] as const)
        assert.ok(
          x! >= 0 && x! <= A4W && y! >= 0 && y! <= A4H,
          `page ${n}: the link at ${rect.toString()} is on the sheet`,
        );
    }
  });

  it('turns a stamp with its landscape page: its appearance fits its turned box unsqueezed', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([841.89, 595.28]);
    const appearance = doc.context.register(
      doc.context.stream('0 0 1 rg 0 0 200 60 re f', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 200, 60] }),
    );
    const stamp = doc.context.obj({
      Type: 'Annot',
      Subtype: 'Stamp',
      Rect: [100, 100, 300, 160],
      F: 4,
      AP: { N: appearance },
    });
    page.node.addAnnot(doc.context.register(stamp));
    const out = await PDFDocument.load(await printed(await doc.save()));
    const annot = out.getPage(1).node.Annots()?.lookup(0) as PDFDict;
    const numbers = (a: unknown): number[] => (a as PDFArray).asArray().map((v) => Number(v.toString()));
    const [x1, y1, x2, y2] = numbers(annot.lookup(PDFName.of('Rect'))) as [number, number, number, number];
    const stream = (annot.lookup(PDFName.of('AP')) as PDFDict).lookup(PDFName.of('N')) as PDFStream;
    const m = stream.dict.has(PDFName.of('Matrix'))
      ? numbers(stream.dict.lookup(PDFName.of('Matrix')))
      : [1, 0, 0, 1, 0, 0];
    // ISO 32000-1 §12.5.5: the BBox under /Matrix is what the viewer scales onto the Rect.
    const corners = [
      [0, 0],
      [200, 0],
      [0, 60],
      [200, 60],
    ].map(([x, y]) => [m[0]! * x! + m[2]! * y! + m[4]!, m[1]! * x! + m[3]! * y! + m[5]!]);
    const width = Math.max(...corners.map((c) => c[0]!)) - Math.min(...corners.map((c) => c[0]!));
    const height = Math.max(...corners.map((c) => c[1]!)) - Math.min(...corners.map((c) => c[1]!));
    assert.ok(Math.abs(x2 - x1) < Math.abs(y2 - y1), `the stamp's box turned with the page: ${[x1, y1, x2, y2]}`);
    assert.ok(
      Math.abs(width / height - Math.abs(x2 - x1) / Math.abs(y2 - y1)) < 0.01,
      `appearance ${width} × ${height} into a box of ${Math.abs(x2 - x1)} × ${Math.abs(y2 - y1)}`,
    );
  });

  it('leaves A4 pages as they are, and the digital copy keeps every page its own size', async () => {
    const a4 = await markedPage([595.28, 841.89]);
    const { at } = await markers(await printed(a4), 2);
    assert.deepEqual(at.get('TL'), [20, 841.89 - 30]);
    const digital = await markers(await printed(await markedPage([841.89, 1190.55]), 'digital'), 2);
    assert.deepEqual(
      digital.view.map((v) => Math.round(v)),
      [0, 0, 842, 1191, 0],
    );
  });
});
