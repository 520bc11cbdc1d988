import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDocument, PDFDict, PDFName } from 'pdf-lib';
import {
  A4,
  C5_WINDOW_MM,
  mmBoxToPdfRect,
  mottakerLines,
  renderForside,
  type ForsideInput,
} from '../../../src/pdf/index.js';
import { textRuns, type TextRun } from './pdf-text.js';

/** DejaVu Sans vertical metrics (hhea ascender 1901, descender −483 of 2048 units per em). */
const ASCENT = 1901 / 2048;
const DESCENT = 483 / 2048;

const input: ForsideInput = {
  avsender: {
    navn: 'Kárášjoga gielda – Karasjok kommune',
    adresselinjer: ['Postboks 84', 'Rådhusbygget'],
    postnr: '9735',
    poststed: 'Kárášjohka',
    tekst:
      'Du har fått brev fra kommunen.\nDokumentene følger etter denne siden.\n\nBuorre beaivi! Áššit: ŋ č đ ŧ á š ž – æøå ÆØÅ.',
  },
  mottaker: {
    navn: 'Áile Ŋuvvon Čđŧ',
    adresse1: 'Fiskeveien 12',
    adresse2: 'Leilighet H0201',
    postnr: '0150',
    poststed: 'OSLO',
  },
  tittel: 'Vedtak om tildeling av barnehageplass',
  dato: Date.UTC(2025, 5, 17, 22, 30), // 00:30 on 18 June in Oslo
};

async function firstPageRuns(bytes: Uint8Array): Promise<{ doc: PDFDocument; runs: TextRun[] }> {
  const doc = await PDFDocument.load(bytes);
  return { doc, runs: textRuns(doc, doc.getPage(0)) };
}

function inside(run: TextRun, rect: { x: number; y: number; width: number; height: number }): boolean {
  return (
    run.x >= rect.x &&
    run.x + run.width <= rect.x + rect.width &&
    run.y - DESCENT * run.size >= rect.y &&
    run.y + ASCENT * run.size <= rect.y + rect.height
  );
}

describe('renderForside', () => {
  it('places each address line inside the C5 window, one size, one left edge, single spacing', async () => {
    const { doc, runs } = await firstPageRuns(await renderForside(input));
    const page = doc.getPage(0);
    assert.deepEqual(page.getSize(), { width: A4.width, height: A4.height });
    const window = mmBoxToPdfRect(C5_WINDOW_MM);
    const expected = ['Áile Ŋuvvon Čđŧ', 'Fiskeveien 12', 'Leilighet H0201', '0150 OSLO'];
    const address = expected.map((line) => {
      const run = runs.find((r) => r.text === line);
      assert.ok(run, `address line ${line} drawn as its own text run`);
      assert.ok(
        inside(run, window),
        `${line} at (${run.x.toFixed(1)}, ${run.y.toFixed(1)}) lies inside the window ${JSON.stringify(window)}`,
      );
      assert.ok(!run.glyphs.includes(0), `${line} has no missing glyphs`);
      return run;
    });
    assert.equal(new Set(address.map((r) => r.x)).size, 1, 'straight left margin');
    assert.equal(new Set(address.map((r) => r.size)).size, 1, 'one font size');
    assert.ok(address[0]!.size >= 10 && address[0]!.size <= 12, 'Posten: 10–12 pt');
    const gaps = address.slice(1).map((r, i) => address[i]!.y - r.y);
    for (const gap of gaps) assert.ok(Math.abs(gap - address[0]!.size * 1.2) < 0.01, `single line spacing, got ${gap}`);
    // Only the recipient shows through the window: the letterhead, date and title stay clear of it.
    const others = runs.filter((r) => !expected.includes(r.text));
    for (const r of others) {
      const overlaps =
        r.y + ASCENT * r.size > window.y &&
        r.y - DESCENT * r.size < window.y + window.height &&
        r.x < window.x + window.width;
      assert.ok(!overlaps, `${r.text} must not show in the window`);
    }
  });

  it('shows sender, date in Oslo time, title and every paragraph of the cover text, Sámi letters intact', async () => {
    const { runs } = await firstPageRuns(await renderForside(input));
    const texts = runs.map((r) => r.text);
    for (const expected of [
      'Kárášjoga gielda – Karasjok kommune',
      'Postboks 84',
      'Rådhusbygget',
      '9735 Kárášjohka',
      'Dato: 18.06.2025',
      'Vedtak om tildeling av barnehageplass',
      'Du har fått brev fra kommunen.',
      'Dokumentene følger etter denne siden.',
      'Buorre beaivi! Áššit: ŋ č đ ŧ á š ž – æøå ÆØÅ.',
    ]) {
      assert.ok(texts.includes(expected), `missing ${expected} in ${JSON.stringify(texts)}`);
    }
    for (const r of runs) assert.ok(!r.glyphs.includes(0), `${r.text}: a glyph is missing from the font`);
    const para1 = runs.find((r) => r.text === 'Dokumentene følger etter denne siden.')!;
    const para2 = runs.find((r) => r.text.startsWith('Buorre beaivi'))!;
    assert.ok(para1.y - para2.y > 15 + 1, 'a blank line separates paragraphs');
  });

  it('embeds DejaVu Sans as a subset, not the whole 750 KB font', async () => {
    const bytes = await renderForside(input);
    assert.ok(bytes.length < 80_000, `cover page is ${bytes.length} bytes`);
    const doc = await PDFDocument.load(bytes);
    const fonts = doc.getPage(0).node.Resources()!.lookup(PDFName.of('Font'), PDFDict);
    const baseFonts = new Set(
      fonts.values().map((ref) => doc.context.lookup(ref, PDFDict).get(PDFName.of('BaseFont'))!.toString()),
    );
    for (const name of baseFonts) assert.match(name, /^\/[A-Z]{6}\+DejaVuSans(-Bold)?$/);
  });

  it('wraps long cover text within the margins and continues on a second page', async () => {
    const long = {
      ...input,
      avsender: {
        ...input.avsender,
        tekst: Array.from({ length: 40 }, (_, i) => `Avsnitt ${i + 1}: ${'ord '.repeat(60)}`).join('\n\n'),
      },
    };
    const bytes = await renderForside(long);
    const doc = await PDFDocument.load(bytes);
    assert.ok(doc.getPageCount() >= 2, 'overflow goes to a new page');
    const all = doc.getPages().flatMap((p) => textRuns(doc, p));
    for (const r of all)
      assert.ok(r.x + r.width <= A4.width - 20 * (72 / 25.4) + 0.5, `${r.text.slice(0, 20)} exceeds the right margin`);
    const last = all.filter((r) => r.text.startsWith('Avsnitt '));
    assert.equal(last.at(-1)?.text.slice(0, 12), 'Avsnitt 40: ', JSON.stringify(all.slice(-3).map((r) => r.text)));
  });

  it('is deterministic: same input, same bytes, whatever was rendered before in the process', async () => {
    const plain = {
      ...input,
      mottaker: { navn: 'Avsnitt Nordmann', adresse1: 'Storgata 1', postnr: '0150', poststed: 'OSLO' },
      avsender: { ...input.avsender, tekst: 'Avsnitt sis' },
    };
    await renderForside(input); // Sámi letters before and in between
    const first = await renderForside(plain);
    await renderForside(input);
    const again = await renderForside(plain);
    assert.deepEqual(again, first);
    const { runs } = await firstPageRuns(again);
    assert.ok(
      runs.some((r) => r.text === 'Avsnitt sis'),
      JSON.stringify(runs.map((r) => r.text)),
    );
  });

  it('shrinks an over-long address to stay in the window', async () => {
    const wide = {
      ...input,
      mottaker: {
        ...input.mottaker,
        adresse1: 'Storgata 1, c/o Et svært langt firmanavn som ikke får plass Aksjeselskap',
      },
    };
    const { runs } = await firstPageRuns(await renderForside(wide));
    const window = mmBoxToPdfRect(C5_WINDOW_MM);
    const line = runs.find((r) => r.text.startsWith('Storgata 1'))!;
    assert.ok(inside(line, window), 'still inside the window');
    assert.ok(line.size < 10 && line.size >= 8);
  });

  it('cuts an 8 000-character name to one line inside the window (each character measured once, not once per cut)', async () => {
    // Before issue #13 this took minutes on the PDF thread and held every letter behind it.
    const navn = 'Áile Ŋuvvon Čđŧ Kárášjohka '.repeat(300).slice(0, 8_000);
    const { runs } = await firstPageRuns(await renderForside({ ...input, mottaker: { ...input.mottaker, navn } }));
    const line = runs.find((r) => r.text.startsWith('Áile Ŋuvvon'))!;
    assert.ok(line.text.endsWith('…'), line.text);
    assert.ok(line.text.length < 100, `${line.text.length} characters kept`);
    assert.ok(inside(line, mmBoxToPdfRect(C5_WINDOW_MM)), 'inside the window');
  });
});

describe('renderForside: the letterhead from a letter (svarSendesTil)', () => {
  it('keeps each line one line, cut to its width, clear of the date and the window, with a foreign country last', async () => {
    // A line break in a name printed over the recipient's address, a long name over the date (found in review).
    const avsender = {
      ...input.avsender,
      navn: `Svarkontoret for ${'helse, omsorg og velferd '.repeat(6)}\nRom 5`,
      adresselinjer: ['Box 12\nRom 5'],
      postnr: '111 22',
      poststed: 'Stockholm',
      land: 'SE',
    };
    const { runs } = await firstPageRuns(await renderForside({ ...input, avsender }));
    const texts = runs.map((r) => r.text);
    const name = runs.find((r) => r.text.startsWith('Svarkontoret'))!;
    assert.ok(name.text.endsWith('…') && !name.text.includes('\n'), name.text);
    const dato = runs.find((r) => r.text.startsWith('Dato:'))!;
    assert.ok(name.x + name.width < dato.x, `${name.x + name.width} reaches the date at ${dato.x}`);
    assert.ok(texts.includes('Box 12 Rom 5'), JSON.stringify(texts));
    assert.deepEqual(texts.slice(texts.indexOf('Box 12 Rom 5'), texts.indexOf('Box 12 Rom 5') + 3), [
      'Box 12 Rom 5',
      '111 22 Stockholm',
      'SVERIGE',
    ]);
    const window = mmBoxToPdfRect(C5_WINDOW_MM);
    for (const r of runs.filter((x) => x.size < 10))
      assert.ok(r.y - DESCENT * r.size > window.y + window.height, `${r.text} stays above the window`);
  });
});

describe('mottakerLines', () => {
  it('skips empty lines and puts a foreign country in capitals last', () => {
    assert.deepEqual(
      mottakerLines({
        navn: 'Ola',
        adresse1: ' ',
        adresse2: 'Box 12',
        postnr: '',
        poststed: 'Stockholm',
        land: 'Sverige',
      }),
      ['Ola', 'Box 12', 'Stockholm', 'SVERIGE'],
    );
    assert.deepEqual(
      mottakerLines({ navn: 'Kari', adresse1: 'Vei 1', postnr: '0150', poststed: 'OSLO', land: 'Norge' }),
      ['Kari', 'Vei 1', '0150 OSLO'],
    );
  });

  it('prints an ISO country code (REST v3 landkode) as the country’s name, and Noreg as Norway (found in review)', () => {
    const adresse = { navn: 'Sven', adresse1: 'Storgatan 5', postnr: '111 22', poststed: 'Stockholm' };
    assert.deepEqual(mottakerLines({ ...adresse, land: 'SE' }), ['Sven', 'Storgatan 5', '111 22 Stockholm', 'SVERIGE']);
    assert.deepEqual(mottakerLines({ ...adresse, land: 'de' }).at(-1), 'TYSKLAND');
    assert.deepEqual(mottakerLines({ ...adresse, land: 'XK' }).at(-1), 'KOSOVO');
    // No country by that code, or none to post to: as written.
    for (const land of ['XX', 'ZZ', 'XA', 'EU', 'UN', 'QO'])
      assert.deepEqual(mottakerLines({ ...adresse, land }).at(-1), land);
    for (const land of ['NO', 'Noreg', 'nor', 'SJ', 'Svalbard']) {
      assert.deepEqual(mottakerLines({ ...adresse, land }).at(-1), '111 22 Stockholm', `${land}: no country line`);
    }
  });

  it('keeps at most six lines, always the name and the postcode line', () => {
    const lines = mottakerLines({
      navn: 'N',
      adresse1: 'a1',
      adresse2: 'a2',
      adresse3: 'a3',
      postnr: '1234',
      poststed: 'STED',
      land: 'Danmark',
    });
    assert.equal(lines.length, 6);
    assert.equal(lines[0], 'N');
    assert.deepEqual(lines.slice(-2), ['1234 STED', 'DANMARK']);
  });
});
