import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { encodedAtOnce, withoutPositioning, type FontSubset, type FontWithTables } from '../../../src/pdf/fonts.js';
import { composeForsendelsesfil, dejaVuSansBytes, forsideFor, type ForsideInput } from '../../../src/pdf/index.js';
import { pdfLibRuntimeApplied } from '../../../src/pdf/pdf-lib-runtime.js';
import { makeLetterPdf } from '../../fixtures/letter-pdf.js';

const cover: ForsideInput = {
  avsender: {
    navn: 'Kárášjoga gielda',
    adresselinjer: ['Postboks 84'],
    postnr: '9735',
    poststed: 'Kárášjohka',
    tekst: 'Brev fra kommunen. Áššit: ŋ č đ ŧ – æøå.',
  },
  mottaker: { navn: 'Áile Ŋuvvon', adresse1: 'Fiskeveien 12', postnr: '0150', poststed: 'OSLO' },
  tittel: 'Vedtak om barnehageplass',
  dato: Date.UTC(2026, 11, 4),
};

/** Runs `work` and counts the timers (setTimeout/setInterval) created while it runs. */
async function timersCreatedDuring(work: () => Promise<unknown>): Promise<number> {
  let timers = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'Timeout') timers += 1;
    },
  });
  hook.enable();
  try {
    await work();
  } finally {
    hook.disable();
  }
  return timers;
}

describe('pdf-lib runtime (src/pdf/pdf-lib-runtime.ts)', () => {
  it('is applied wherever the PDF module is loaded', () => {
    assert.equal(pdfLibRuntimeApplied(), true);
  });

  it('composes a cover and a letter without sleeping on a single timer', async () => {
    const letter = await makeLetterPdf({ seed: 7 });
    const compose = () =>
      composeForsendelsesfil({
        forside: forsideFor(cover, 'print'),
        documents: [{ bytes: letter, ekskluderesFraPrint: false }],
        variant: 'print',
      });
    // First use decodes the font tables and finds fontkit's encoder class once per process
    // (its probe stream ends a timer turn later): both are done before the count.
    await compose();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await timersCreatedDuring(compose), 0);
  });

  it('still yields to the event loop while it saves a large document, so other work gets its turn', async () => {
    const doc = await PDFDocument.create();
    for (let i = 0; i < 400; i += 1) doc.addPage([200, 200]).drawText(`side ${i}`, { x: 10, y: 10, size: 8 });
    let ranBetween = false;
    setImmediate(() => (ranBetween = true));
    const saved = doc.save({ useObjectStreams: false });
    let ranBeforeSaved = false;
    await saved.then(() => (ranBeforeSaved = ranBetween));
    assert.equal(ranBeforeSaved, true, 'a setImmediate queued before the save ran before it finished');
  });

  it('writes flate streams that zlib inflates, and a file pdf-lib reads back page for page', async () => {
    const letter = await makeLetterPdf({ seed: 8 });
    const { bytes, pages } = await composeForsendelsesfil({
      forside: forsideFor(cover, 'digital'),
      documents: [{ bytes: letter, ekskluderesFraPrint: false }],
      variant: 'digital',
    });
    const back = await PDFDocument.load(bytes);
    assert.equal(back.getPageCount(), pages);
    let inflated = 0;
    for (const [, object] of back.context.enumerateIndirectObjects()) {
      if (!(object instanceof PDFRawStream)) continue;
      if (object.dict.get(PDFName.of('Filter')) !== PDFName.of('FlateDecode')) continue;
      assert.ok(inflateSync(object.contents).length > 0);
      inflated += 1;
    }
    assert.ok(inflated >= 4, `the cover's two fonts, its page and the letter's streams (${inflated})`);
  });
});

describe('encodedAtOnce (src/pdf/fonts.ts)', () => {
  it("gives the same subset bytes as fontkit's own encodeStream", async () => {
    const bytes = await dejaVuSansBytes('regular');
    const subsetOf = (): FontSubset => {
      const font = fontkit.create(bytes as Buffer);
      const subset = font.createSubset() as unknown as FontSubset & { includeGlyph(g: unknown): number };
      for (const glyph of font.layout('Áile Ŋuvvon, Kárášjohka – æøå ÆØÅ 0150').glyphs) subset.includeGlyph(glyph);
      return subset;
    };
    const collect = (stream: NodeJS.ReadableStream) =>
      new Promise<Buffer>((resolve, reject) => {
        const parts: Buffer[] = [];
        stream.on('data', (part: Buffer) => parts.push(Buffer.from(part)));
        stream.on('end', () => resolve(Buffer.concat(parts)));
        stream.on('error', reject);
      });
    const theirs = await collect(subsetOf().encodeStream());
    const ours = await collect(encodedAtOnce(subsetOf()).encodeStream());
    assert.ok(theirs.length > 1000);
    assert.deepEqual(ours, theirs);
  });
});

const COVERS_BEFORE = 'a98bff4a16a8db718742230a155cf2e3d19154355ad8657152fe8178f2c673bc';

describe('withoutPositioning (src/pdf/fonts.ts)', () => {
  const TEXTS = [
    'Áile Ŋuvvon, Kárášjohka – æøå ÆØÅ 0150',
    'AVAV Tøff Wåg «Yo» fine flow ffi',
    // Combining marks: GSUB composes or places them; positioning would move them.
    'Sa\u0301mi c\u030Ca\u0301hppes n\u0303 e\u0301e\u0300',
    'Postboks 123, 9730 KARASJOK',
  ];

  it("chooses the same glyphs as fontkit's full layout, each at its advance width", async () => {
    const bytes = await dejaVuSansBytes('regular');
    const full = fontkit.create(bytes as Buffer);
    const patched = fontkit.create(bytes as Buffer);
    withoutPositioning(patched as unknown as FontWithTables);
    for (const text of TEXTS) {
      const theirs = full.layout(text, { liga: false, clig: false });
      const ours = patched.layout(text, { liga: false, clig: false });
      assert.deepEqual(
        ours.glyphs.map((g) => g.id),
        theirs.glyphs.map((g) => g.id),
        text,
      );
      assert.deepEqual(
        ours.positions.map((p) => p.xAdvance),
        ours.glyphs.map((g) => g.advanceWidth),
        text,
      );
    }
    // Kerning is what the full layout adds: it does move some of these pairs.
    const kerned = full.layout('AVAV Tøff Wåg', { liga: false, clig: false });
    assert.ok(kerned.positions.some((p, i) => p.xAdvance !== kerned.glyphs[i]?.advanceWidth));
  });

  it('leaves the composed file byte for byte as it was', async () => {
    // The hash of these covers composed before withoutPositioning existed (5 December 2026,
    // Node 20's zlib deflating the streams: another zlib may compress the same objects otherwise).
    const letter = await makeLetterPdf({ seed: 1 });
    const hash = createHash('sha256');
    for (const navn of ['Ola Nordmann', 'Áššit Niillas Sárá', 'Ŋuolla Čáhppes Đ ŧ', 'Zoë Ünal ﬁne']) {
      for (const variant of ['print', 'digital'] as const) {
        const cover: ForsideInput = {
          avsender: {
            navn: 'Kárášjoga gielda',
            adresselinjer: ['Rådhusgata 1', 'Postboks 7'],
            postnr: '9730',
            poststed: 'KARASJOK',
            tekst: 'Dette brevet er sendt fra Kárášjoga gielda. «AVAV» Tøff Wåg.',
          },
          mottaker: { navn, adresse1: 'Storgata 1', adresse2: 'c/o Ávvir', postnr: '0150', poststed: 'OSLO' },
          tittel: `Vedtak om byggesøknad ${navn}`,
          dato: Date.UTC(2026, 11, 4),
        };
        const composed = await composeForsendelsesfil({
          forside: forsideFor(cover, variant),
          documents: [{ bytes: letter, ekskluderesFraPrint: false }],
          variant,
          tittel: 'T',
          opprettet: Date.UTC(2026, 11, 4),
        });
        hash.update(composed.bytes);
      }
    }
    assert.equal(hash.digest('hex'), COVERS_BEFORE);
  });
});
