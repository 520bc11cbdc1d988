/**
 * Intake refuses a PDF whose cross-reference table names another definition of an object, or
 * another catalog, than the ones pdf-lib takes (and so the print copy), and accepts an
 * editor's incremental update, where the table names the new definition. Each case runs
 * through both checks: the whole file, and by range reads as for a file over the whole-file
 * limit, which had none of these checks before (found in a review).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDocument, PDFName, PDFRawStream, type PDFRef } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { composeForsendelsesfil } from '../../../src/pdf/compose.js';
import { inspectPdf } from '../../../src/pdf/inspect-pdf.js';
import { makeLetterPdf } from '../../fixtures/index.js';
import {
  assertAcceptedByBoth,
  assertRefusedAsTwoReadings,
  dokument,
  inspectByRange,
  printedText,
  shownText,
} from './two-readings.js';
import {
  contentOutsideTable,
  contentSwappedBehindTable,
  definitionHiddenInStreamData,
  directCatalog,
  HIDDEN_HEADERS,
  linearizedSaying,
  otherGeneration,
  parentElsewhere,
  prevAsReference,
  streamEndedEarly,
  incrementalUpdate,
  objectStreamMemberOverridden,
  twoCatalogs,
} from '../../fixtures/hostile-pdfs.js';

describe('the definition readers take and the one pdf-lib takes', () => {
  it('refuses content written again behind the table with a startxref back at the old table', async () => {
    const bytes = contentSwappedBehindTable();
    assert.match(await printedText(bytes), /Byttet/, 'pdf-lib would print the later definition');
    assert.match(await shownText(bytes), /Original/, 'pdf.js shows the one the table names');
    await assertRefusedAsTwoReadings(bytes, /objekt 4 0 er definert flere ganger/);
  });

  for (const [how, header] of Object.entries(HIDDEN_HEADERS)) {
    it(`refuses it also when the later header has ${how} (found in a review)`, async () => {
      const bytes = contentSwappedBehindTable(header);
      assert.match(await printedText(bytes), /Byttet/, 'pdf-lib reads the header and prints it');
      assert.match(await shownText(bytes), /Original/);
      await assertRefusedAsTwoReadings(bytes, /objekt 4 0 er definert flere ganger/);
    });
  }

  it('refuses an object stream member defined again at top level after the stream', async () => {
    const bytes = objectStreamMemberOverridden();
    assert.match(await printedText(bytes), /Byttet/, 'pdf-lib would print the later definition');
    await assertRefusedAsTwoReadings(bytes, /objekt 3 0 er definert flere ganger/);
  });

  it('refuses two trailers naming two catalogs: readers show one page tree, the paper the other (found in a review)', async () => {
    const bytes = twoCatalogs();
    assert.match(await printedText(bytes), /10 000 kr/, 'pdf-lib takes the last trailer');
    assert.match(await shownText(bytes), /100 kr/);
    assert.doesNotMatch(await shownText(bytes), /10 000/, 'pdf.js takes the trailer startxref leads to');
    await assertRefusedAsTwoReadings(
      bytes,
      /dokumentkatalogen i objekt 1 0, men den siste trailer i filen på objekt 6 0/,
    );
  });

  it('refuses two catalogs also where readers must rebuild the table', async () => {
    const text = Buffer.from(twoCatalogs()).toString('latin1');
    const broken = new Uint8Array(Buffer.from(text.replace(/startxref\n\d+/, 'startxref\n7'), 'latin1'));
    await assertRefusedAsTwoReadings(broken, /ulike dokumentkataloger \(objekt 1 0, 6 0\)/);
  });

  it('accepts an incremental update whose table names the new definition', async () => {
    const bytes = incrementalUpdate();
    assert.match(await printedText(bytes), /Rettet/);
    await assertAcceptedByBoth(bytes, 1);
  });

  it('accepts an update written right after a %%EOF without a line end, as pypdf writes it (was refused over 16 MB)', async () => {
    const bytes = incrementalUpdate({ rightAfterEof: true });
    assert.ok(Buffer.from(bytes).includes('%%EOF4 0 obj'));
    assert.match(await printedText(bytes), /Rettet/);
    await assertAcceptedByBoth(bytes, 1);
    const padded = incrementalUpdate({ rightAfterEof: true, pad: 17 * 1024 * 1024 });
    assert.deepEqual(await inspectByRange(padded), { pages: 1 });
  });
});

describe('what the trailers and the table say that readers take otherwise than pdf-lib (found in a review)', () => {
  it('refuses a catalog given directly in a trailer, for the print copy or for readers', async () => {
    const forPrint = directCatalog('for print');
    assert.match(await printedText(forPrint), /10 000 kr/);
    assert.match(await shownText(forPrint), /100 kr/);
    assert.doesNotMatch(await shownText(forPrint), /10 000/);
    await assertRefusedAsTwoReadings(forPrint, /dokumentkatalogen \(\/Root\) er gitt direkte i en trailer/);
    await assertRefusedAsTwoReadings(
      directCatalog('for readers'),
      /dokumentkatalogen \(\/Root\) er gitt direkte i en trailer/,
    );
  });

  it('refuses an object stream that lists an object twice', async () => {
    const bytes = objectStreamMemberOverridden('twice in the stream');
    assert.match(await printedText(bytes), /Byttet/, 'pdf-lib keeps the last member');
    await assertRefusedAsTwoReadings(bytes, /objektstrømmen i objekt 5 inneholder objekt 3 flere ganger/);
  });

  it('refuses a /Prev given as a reference, which readers follow each their own way', async () => {
    const bytes = prevAsReference();
    assert.match(await printedText(bytes), /Papir/);
    // Poppler (pdftotext) shows "Skjerm" here, following the reference to the old table (review).
    await assertRefusedAsTwoReadings(bytes, /\/Prev i en trailer er ikke et tall/);
  });

  for (const [how, reason] of [
    ['unlisted', /objekt 4 0 mangler i kryssreferansetabellen, men en side bruker det/],
    ['offset 0', /objekt 4 0 har posisjon 0 i kryssreferansetabellen, men en side bruker det/],
  ] as const) {
    it(`refuses page content the table has ${how === 'unlisted' ? 'left out' : 'at offset 0'}: blank in pdf.js, printed on paper`, async () => {
      const bytes = contentOutsideTable(how);
      assert.match(await printedText(bytes), /Utenfor tabellen/);
      assert.doesNotMatch(await shownText(bytes), /Utenfor/, 'pdf.js shows a blank page');
      await assertRefusedAsTwoReadings(bytes, reason);
    });
  }
});

describe('a file over 16 MB built to pass the by-range check', () => {
  it('is refused at compose, where pdf-lib has parsed it, instead of printed otherwise than shown', async () => {
    const bytes = definitionHiddenInStreamData(17 * 1024 * 1024);
    assert.match(await printedText(bytes), /Papir/, 'pdf-lib skips the definition inside the stream data');
    // Read whole, pdf-lib's own parse is compared: refused at intake, also where readers
    // rebuild the table (unusable, or an entry off by three bytes) and find the hidden one.
    for (const table of ['naming it', 'unusable', 'off by three'] as const) {
      await assert.rejects(
        inspectPdf(definitionHiddenInStreamData(0, table), dokument),
        /objekt 4 0 er definert flere ganger/,
        table,
      );
    }
    assert.match(await shownText(definitionHiddenInStreamData(0, 'unusable')), /Skjerm/, 'pdf.js rebuilds');
    // The residual gap of the check by range (docs/limits.md): its search finds the hidden header.
    assert.deepEqual(await inspectByRange(bytes), { pages: 1 });
    const forside = await makeLetterPdf({ seed: 4, pages: 1 });
    await assert.rejects(
      composeForsendelsesfil({ forside, documents: [{ bytes, ekskluderesFraPrint: false }], variant: 'print' }),
      /^Error: PDF-en kan leses på to måter: objekt 4 0 er definert flere ganger/,
    );
  });
});

describe('where a stream ends, what a linearized file says, which node a page inherits from (found in a review)', () => {
  it('refuses a stream pdf-lib ends at an endstream inside its data, short of its indirect /Length', async () => {
    const bytes = streamEndedEarly();
    assert.doesNotMatch(await printedText(bytes), /Skjerm/, 'pdf-lib stops at the first endstream');
    assert.match(await shownText(bytes), /Skjerm/, 'pdf.js reads the stream to its /Length');
    await assert.rejects(
      inspectPdf(bytes, dokument),
      /strømmen i objekt 4 0 er \d+ byte etter \/Length, men utskriften leser bare \d+ av dem/,
    );
  });

  it('refuses a linearization dictionary whose page count or first page is not the tree’s; accepts one that is', async () => {
    const one = linearizedSaying(1);
    const shown = await getDocument({ data: new Uint8Array(one), verbosity: 0 }).promise;
    assert.equal(shown.numPages, 1, 'pdf.js takes /N');
    await shown.destroy();
    await assertRefusedAsTwoReadings(one, /lineariseringsordboken sier 1 sider, men sidetreet har 3/);
    await assert.rejects(
      inspectPdf(linearizedSaying(3, 6), dokument),
      /lineariseringsordboken peker på objekt 6 som første side, men sidetreets første side er objekt 4/,
    );
    await assertAcceptedByBoth(linearizedSaying(3), 3);
    // /O at an object that is no page (MuPDF 1.21's `mutool clean -l` points it at a font
    // descriptor): readers take the tree's first page, as pdf-lib does (was refused; review).
    await assertAcceptedByBoth(linearizedSaying(3, 10), 3);
  });

  it('refuses page content referred to by a generation the table does not list: none in pdf.js, printed on paper', async () => {
    const bytes = otherGeneration();
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const contents = doc.context.lookup(doc.getPage(0).node.get(PDFName.of('Contents')) as PDFRef) as PDFRawStream;
    assert.match(Buffer.from(contents.contents).toString('latin1'), /Papir/, 'pdf-lib takes 4 1');
    await assert.rejects(shownText(bytes), /Inconsistent generation in XRef: 4R1/, 'pdf.js draws no content');
    await assertRefusedAsTwoReadings(bytes, /objekt 4 1 står med en annen generasjon i kryssreferansetabellen/);
  });

  it('refuses a page whose /Parent is not the node that lists it', async () => {
    for (const inspect of [(b: Uint8Array) => inspectPdf(b, dokument), inspectByRange]) {
      await assert.rejects(
        inspect(parentElsewhere()),
        /en side eller node har en \/Parent som ikke er noden som lister den/,
      );
    }
  });
});
