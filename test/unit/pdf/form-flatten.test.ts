/** The print copy draws a form as viewers show it: buttons as their widgets show them, values where viewers build the appearances. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { composeForsendelsesfil } from '../../../src/pdf/compose.js';
import { boundedContent } from '../../../src/pdf/document-hygiene.js';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import {
  appearancesPlacedByBox,
  emptyAppearancesViewersFill,
  inflatingAppearance,
  ordinaryFormCorners,
  passwordWithoutAppearance,
  radioKidsSharingStates,
  radioShownOtherwise,
  widgetOnTwoPages,
} from '../../fixtures/form-pdfs.js';
import { makeLetterPdf } from '../../fixtures/index.js';

describe('flattening a form for the print copy', () => {
  it('draws the radio choice the widgets show (/AS), not another the field’s /V names (found in review)', async () => {
    const bytes = await radioShownOtherwise();
    const out = await composed(bytes);
    const text = Buffer.from(out).toString('latin1');
    assert.ok(text.includes('%PA-Innvilget'), 'the chosen option drawn as chosen');
    assert.ok(text.includes('%AV-Avslag'), 'the other drawn as not chosen');
    assert.ok(!text.includes('%PA-Avslag'), 'not the choice only /V names');
  });
});

describe('flattening a form whose viewers build the appearances (NeedAppearances)', () => {
  it('draws every text and choice value, also in Sámi, where the widgets carry only empty placeholders (LibreOffice)', async () => {
    for (const variant of ['print', 'digital'] as const) {
      const out = await composed(await emptyAppearancesViewersFill(), variant);
      const text = await pageText(out, 2);
      for (const value of ['Kari Nordmann', 'Guovdageaidnu Ŋiŋŋálas', 'Finnmárku'])
        assert.ok(text.includes(value), `${variant}: «${value}» in «${text}»`);
      assert.ok(!text.includes('Hemmelig123'), `${variant}: a password is not printed`);
    }
  });

  it('never draws a password field’s value, also where its widget has no appearance', async () => {
    const out = await composed(await passwordWithoutAppearance());
    assert.ok(!(await pageText(out, 2)).includes('Hemmelig'));
  });
});

describe('flattening a form whose appearance inflates far beyond its size', () => {
  it('reads at most 4 MiB of it to see whether it shows text, and draws the value anew', async () => {
    const bytes = await inflatingAppearance(8);
    assert.ok(bytes.length < 64 * 1024, `${bytes.length} bytes in the file`);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const [widget] = doc.getForm().getTextField('navn').acroField.getWidgets();
    const ap = doc.context.lookup(widget?.dict.get(PDFName.of('AP')), PDFDict);
    const stream = doc.context.lookup(ap.get(PDFName.of('N')));
    assert.ok(stream instanceof PDFRawStream);
    assert.equal(boundedContent(stream), undefined, 'not inflated past the bound');
    const out = await composed(bytes, 'print');
    assert.ok((await pageText(out, 2)).includes('Kari Nordmann'));
  });
});

describe('flattening a form whose appearances are not at the origin of their box', () => {
  it('draws each value inside its field, as viewers map the appearance onto the field (Algorithm 8.1)', async () => {
    const { bytes, rects } = await appearancesPlacedByBox();
    const out = await composed(bytes, 'digital');
    const items = await pageItems(out, 2);
    assertDrawnInside(items, 'Kari Nordmann', rects['sideboks']);
    assertDrawnInside(items, 'Ola Nordmann', rects['snudd']);
  });
});

describe('flattening ordinary forms as viewers show them', () => {
  it('keeps a shared /AP to each widget, a drawn value in its own font, reversed corners in place, and draws no zero-size widget', async () => {
    const { bytes, rects } = await ordinaryFormCorners();
    const out = await composed(bytes, 'digital');
    assert.ok(
      Buffer.from(out).toString('latin1').includes('%TiRo-appearance'),
      'the Times appearance is kept, not redrawn in Helvetica',
    );
    const items = await pageItems(out, 2);
    assert.ok(!items.some((i) => i.str.includes('USYNLIG')), 'a zero-size widget is not drawn');
    assertDrawnInside(items, 'Hjorne', rects['snudd'], 0);
    // The field the shared appearance fits is drawn at full size (12 pt type), the other at half.
    const heights = ['stor', 'liten'].map((name) => {
      const [, y0, , y1] = rects[name] as [number, number, number, number];
      return items.find(
        (i) => i.str === 'SAMME' && (i.transform[5] as number) >= y0 - 1 && (i.transform[5] as number) <= y1,
      )?.height;
    });
    assert.ok((heights[0] ?? 0) > 11 && (heights[1] ?? 99) < 7, `sizes ${heights.join(', ')}`);
  });
});

describe('flattening radio kids that share their appearances', () => {
  it('draws each kid in the state it shows, as viewers do: one chosen, one off', async () => {
    const out = await composed(await radioKidsSharingStates());
    const words = (await pageText(out, 2)).match(/R(JA|OFF)/g) ?? [];
    assert.deepEqual(words.sort(), ['RJA', 'ROFF']);
  });
});

describe('flattening a form whose widget two pages list', () => {
  it('draws the value on each page that lists the widget, as viewers show it', async () => {
    for (const variant of ['print', 'digital'] as const) {
      const out = await composed(await widgetOnTwoPages(), variant);
      for (const page of [2, 3])
        assert.ok((await pageText(out, page)).includes('2026/4711'), `${variant}: page ${page}`);
    }
  });
});

/** `text` is drawn starting inside `rect` (within 1 point below and left, `over` points above and right). */
function assertDrawnInside(items: readonly TextItem[], text: string, rect: number[] | undefined, over = 1): void {
  const item = items.find((i) => i.str.includes(text));
  assert.ok(item !== undefined && rect !== undefined, `«${text}» is drawn`);
  const [x0, y0, x1, y1] = rect as [number, number, number, number];
  const [x, y] = [item.transform[4] as number, item.transform[5] as number];
  assert.ok(x >= x0 - 1 && x <= x1 + over && y >= y0 - 1 && y <= y1 + over, `«${text}» at ${x},${y} inside ${rect}`);
}

/** The letter's file of one document, `bytes`, behind a one-page cover. */
async function composed(bytes: Uint8Array, variant: 'print' | 'digital' = 'print'): Promise<Uint8Array> {
  const forside = await makeLetterPdf({ seed: 4, pages: 1 });
  return (await composeForsendelsesfil({ forside, documents: [{ bytes, ekskluderesFraPrint: false }], variant })).bytes;
}

/** The text items pdf.js shows on page `n` (from 1), with their positions. */
async function pageItems(bytes: Uint8Array, n: number): Promise<TextItem[]> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 }).promise;
  try {
    return (await (await pdf.getPage(n)).getTextContent()).items.flatMap((i) => ('str' in i ? [i] : []));
  } finally {
    await pdf.destroy();
  }
}

/** The text pdf.js shows on page `n` (from 1). */
async function pageText(bytes: Uint8Array, n: number): Promise<string> {
  return (await pageItems(bytes, n)).map((i) => i.str).join('');
}
