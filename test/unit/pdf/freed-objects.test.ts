/**
 * Intake refuses a PDF that still uses an object its cross-reference table marks free
 * (viewers show nothing there, the print copy shows the object) and accepts an editor's
 * deletion, where nothing uses the freed object any more.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDocument, PDFName } from 'pdf-lib';
import { byteSourceFromBytes } from '../../../src/pdf/byte-source.js';
import { inspectPdf } from '../../../src/pdf/inspect-pdf.js';
import { assertAcceptedByBoth, assertRefusedAsTwoReadings, dokument, printedText, shownText } from './two-readings.js';
import { readersXref } from '../../../src/pdf/xref-page-count.js';
import {
  FREED_BUT_PRINTED,
  deletedPageWithBookmark,
  freedContentBehindDeepNesting,
  zeroWidthRows,
  fullTableWithBrokenPrev,
  hybridTableAndStreamInOneSection,
} from '../../fixtures/freed-object-pdfs.js';
import { annotationDeletedByUpdate, contentFreedByUpdate, onePageSaying } from '../../fixtures/hostile-pdfs.js';

describe('objects the cross-reference table marks free', () => {
  it('refuses a page whose content an update marked free: blank on screen, printed on paper', async () => {
    const bytes = contentFreedByUpdate();
    assert.match(await printedText(bytes), /Skjult/, 'pdf-lib would print the freed content');
    assert.doesNotMatch(await shownText(bytes), /Skjult/, 'pdf.js shows a blank page');
    await assertRefusedAsTwoReadings(bytes, /objekt 4 0 er merket som slettet/);
  });

  for (const [how, build] of Object.entries(FREED_BUT_PRINTED)) {
    it(`refuses a page that prints a freed object: ${how} (found in a review)`, async () => {
      await assertRefusedAsTwoReadings(build(), /er merket som slettet/);
    });
  }

  it('refuses a page with values nested deeper than the check follows, instead of skipping the check', async () => {
    await assertRefusedAsTwoReadings(freedContentBehindDeepNesting(40), /objekt 4 0 er merket som slettet/);
    await assert.rejects(inspectPdf(freedContentBehindDeepNesting(70), dokument), /nøstet dypere enn 64 nivåer/);
  });

  it('takes a cross-reference stream of zero-width rows as no table (its /Index count made the check loop)', async () => {
    // A billion claimed entries in 786 bytes: read as a table, the check looped for as many.
    const bytes = zeroWidthRows(1_000_000_000);
    assert.equal(await readersXref(byteSourceFromBytes(bytes)), undefined, 'no table readers could use');
    await assertAcceptedByBoth(bytes, 1);
  });

  it('accepts a file whose table marks every object free (an old generator): readers rebuild it, as pdf-lib reads', async () => {
    const { base } = onePageSaying('Alt fritt');
    const text = Buffer.from(base)
      .toString('latin1')
      .replace(/(\d{10} \d{5}) n/g, '$1 f');
    const bytes = new Uint8Array(Buffer.from(text, 'latin1'));
    assert.match(await shownText(bytes), /Alt fritt/, 'pdf.js rebuilds the table and shows the page');
    await assertAcceptedByBoth(bytes, 1);
  });

  it('accepts a deleted page whose bookmark stays (editors leave them): nothing printed uses a freed object', async () => {
    const bytes = deletedPageWithBookmark();
    assert.match(await shownText(bytes), /Side 1/);
    await assertAcceptedByBoth(bytes, 1);
  });

  it('accepts a full newest table whose /Prev is broken (was a 500)', async () => {
    await assertAcceptedByBoth(await fullTableWithBrokenPrev(), 1);
  });

  it('accepts a hybrid section whose table marks free what its /XRefStm places', async () => {
    const bytes = hybridTableAndStreamInOneSection();
    assert.match(await shownText(bytes), /Hybrid/, 'pdf.js takes the objects from the stream');
    await assertAcceptedByBoth(bytes, 1);
  });

  it('accepts an update that deletes a note and every reference to it', async () => {
    const bytes = annotationDeletedByUpdate();
    assert.match(await shownText(bytes), /Brev/);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    assert.equal(doc.getPage(0).node.get(PDFName.of('Annots')), undefined, 'the page no longer has the note');
    await assertAcceptedByBoth(bytes, 1);
  });
});

describe('the numbers a cross-reference chain leaves free', () => {
  async function freed(bytes: Uint8Array): Promise<number[]> {
    const xref = await readersXref(byteSourceFromBytes(bytes));
    assert.ok(xref);
    const nulls = await xref.nullToReaders(new Map(Array.from({ length: 100 }, (_, i) => [i, 0])));
    return [...nulls]
      .filter(([, why]) => why === 'free')
      .map(([num]) => num)
      .sort((a, b) => a - b);
  }

  it('counts the newest entry: freed by one update, used again by the next', async () => {
    const freedOnce = contentFreedByUpdate();
    assert.deepEqual(await freed(freedOnce), [4]);
    const prev = /startxref\n(\d+)\n%%EOF\n$/.exec(Buffer.from(freedOnce).toString('latin1'))?.[1] as string;
    const again = '4 1 obj\n<< /Length 0 >>\nstream\n\nendstream\nendobj\n';
    const xrefAt = freedOnce.length + again.length;
    const tail =
      `xref\n4 1\n${String(freedOnce.length).padStart(10, '0')} 00001 n\r\n` +
      `trailer\n<< /Size 6 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    const reused = new Uint8Array(Buffer.concat([freedOnce, Buffer.from(again + tail, 'latin1')]));
    assert.deepEqual(await freed(reused), []);
  });

  it('reads type 0 rows of a cross-reference stream as free', async () => {
    let out = '%PDF-1.5\n';
    const at: number[] = [];
    for (const [num, body] of [
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>'],
      [3, '<< /Type /Page /Parent 2 0 R >>'],
      [4, '(unused)'],
    ] as const) {
      at[num] = out.length;
      out += `${num} 0 obj\n${body}\nendobj\n`;
    }
    const xrefAt = out.length;
    const row = (type: number, f1: number, f2: number): string =>
      String.fromCharCode(type, (f1 >>> 8) & 255, f1 & 255, f2);
    const rows =
      row(0, 0, 255) + [1, 2, 3].map((n) => row(1, at[n] as number, 0)).join('') + row(0, 0, 1) + row(1, xrefAt, 0);
    out += `5 0 obj\n<< /Type /XRef /Size 6 /W [1 2 1] /Root 1 0 R /Length ${rows.length} >>\nstream\n${rows}\nendstream\nendobj\n`;
    out += `startxref\n${xrefAt}\n%%EOF\n`;
    const bytes = new Uint8Array(Buffer.from(out, 'latin1'));
    assert.deepEqual(await freed(bytes), [4]);
    await assertAcceptedByBoth(bytes, 1);
  });

  it('reads a classic section of an update: the deleted note', async () => {
    assert.deepEqual(await freed(annotationDeletedByUpdate()), [6]);
  });
});
