/**
 * The address check lays a line out with fontkit only when the sum of its glyphs' advances,
 * with a generous slack for kerning and substitutions, does not already show that it fits:
 * the answer must be the one the full layout gives, for every line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADDRESS_BLOCK_MM, ADDRESS_MIN_FONT_SIZE, MM } from '../../../src/pdf/envelope-window.js';
import {
  fitsAddressBlock,
  measuringFont,
  unprintableAddressProblems,
  type MeasuringFont,
} from '../../../src/pdf/address-fit.js';

/** Characters an address may hold: Norwegian and Sámi letters, digits, punctuation, wide and combining ones, and some the font lacks. */
const ALPHABET = [
  ...'abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789 .,-/&()«»\'"',
  ...'ÁáČčĐđŊŋŠšŦŧŽžÄäÖöÜüß',
  ...'WMW@%—…',
  'a\u030a', // a + combining ring above
  'e\u0301',
  ...'ЖШЩΩλ',
  '\u4e2d', // not in DejaVu Sans: .notdef
];

/** A deterministic generator (mulberry32), so a failure can be run again. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function exactlyFits(font: MeasuringFont, line: string): boolean {
  const maxUnits = ((ADDRESS_BLOCK_MM.width * MM) / ADDRESS_MIN_FONT_SIZE) * font.unitsPerEm;
  return font.layout(line, { liga: false, clig: false }).advanceWidth <= maxUnits;
}

describe('address line fit', () => {
  it('gives the full layout’s answer for lines of every length up to far past the edge', async () => {
    const font = await measuringFont();
    const next = random(20261205);
    let fitting = 0;
    for (let i = 0; i < 3000; i++) {
      const length = 1 + Math.floor(next() * 70);
      let line = '';
      for (let k = 0; k < length; k++) line += ALPHABET[Math.floor(next() * ALPHABET.length)];
      const fits = exactlyFits(font, line);
      if (fits) fitting += 1;
      assert.equal(fitsAddressBlock(font, line), fits, JSON.stringify(line));
    }
    assert.ok(fitting > 300 && fitting < 2700, `both answers are tried (${fitting} of 3000 fit)`);
  });

  it('lays out only a line near the edge', async () => {
    const font = await measuringFont();
    let layouts = 0;
    const counting: MeasuringFont = {
      unitsPerEm: font.unitsPerEm,
      glyphForCodePoint: (cp) => font.glyphForCodePoint(cp),
      hasGlyphForCodePoint: (cp) => font.hasGlyphForCodePoint(cp),
      layout: (text, features) => {
        layouts += 1;
        return font.layout(text, features);
      },
    };
    assert.equal(fitsAddressBlock(counting, 'Storgata 12 B'), true);
    assert.equal(layouts, 0, 'a short line is not laid out');
    const near = 'W'.repeat(30);
    assert.equal(fitsAddressBlock(counting, near), exactlyFits(font, near));
    assert.equal(layouts, 1, 'a line near the edge is');
  });
});

describe('address characters the cover page can print', () => {
  const path = 'mottaker.postAdresse';
  it('accepts Norwegian, Sami, other Latin, Greek and Cyrillic names', async () => {
    const adresse = {
      navn: 'Áilu Čáhppes-Ŋuolla, Željko Đokić, Ærlig Øyvind Åsen, Łucja Wąsowska',
      adresse1: 'Γιώργος Παπαδόπουλος / Ольга Иванова',
      adresse2: 'c/o «Nordmann» – 2. etg. (№ 3) & co.',
      postnr: '9520',
      poststed: 'Guovdageaidnu',
    };
    assert.deepEqual(await unprintableAddressProblems(adresse, path), []);
  });

  it('refuses a character the font has no glyph for, or a right-to-left script, naming the field', async () => {
    const problems = await unprintableAddressProblems(
      { navn: '山田 太郎', adresse1: 'العربية 5', adresse2: 'Storgata 1 क', postnr: '0155', poststed: 'Oslo' },
      path,
    );
    assert.deepEqual(
      problems.map((p) => p.field),
      ['mottaker.postAdresse.navn', 'mottaker.postAdresse.adresse1', 'mottaker.postAdresse.adresse2'],
    );
    assert.equal(
      problems[0]?.message,
      'Ugyldig tegn: mottaker.postAdresse.navn inneholder tegnet «山» (U+5C71), som ikke kan skrives ut i adressefeltet på konvolutten; bruk latinske bokstaver',
    );
    assert.match(problems[2]?.message ?? '', /U\+0915/);
  });

  // Review of 7 December 2026: a line break inside a field printed its rest over the
  // postcode line and below the window, and passed the line count and width checks.
  it('refuses a line break of any kind inside a field, naming the field', async () => {
    const breaks = ['\n', '\r\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029'];
    for (const br of breaks) {
      const problems = await unprintableAddressProblems(
        { navn: `Kari Nordmann${br}c/o Per Hansen`, adresse1: 'Storgata 1', postnr: '0155', poststed: 'Oslo' },
        path,
      );
      assert.deepEqual(
        problems.map((p) => p.field),
        ['mottaker.postAdresse.navn'],
        JSON.stringify(br),
      );
      assert.match(
        problems[0]?.message ?? '',
        /^Ugyldig adresse: mottaker\.postAdresse\.navn inneholder et linjeskift/,
      );
    }
    const tab = await unprintableAddressProblems({ navn: 'Kari\tNordmann', postnr: '0155', poststed: 'Oslo' }, path);
    assert.deepEqual(tab, [], 'a tab is a space, not a new line');
  });

  it('refuses an invisible character in a field, naming the field: "Norge" + U+200B was a foreign country that needs no postnummer (found in review)', async () => {
    for (const ch of ['\u200b', '\u00ad', '\u202e', '\ufeff', '\u0000', '\u001b']) {
      const problems = await unprintableAddressProblems(
        { navn: 'Per Hansen', adresse1: 'Storgata 1', postnr: '', poststed: 'Oslo', land: `Norge${ch}` },
        path,
      );
      assert.deepEqual(
        problems.map((p) => p.message),
        [
          `Ugyldig tegn: mottaker.postAdresse.land inneholder et usynlig tegn (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}), som ikke hører hjemme i en adresse på konvolutten`,
        ],
        JSON.stringify(ch),
      );
    }
  });
});
