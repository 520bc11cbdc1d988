/**
 * Intake refuses a PDF whose cross-reference table names another definition of an object than
 * the last one in the file (what pdf-lib, and so the print copy, takes), and accepts an
 * editor's incremental update, where the table names the new definition.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectPdf } from '../../../src/pdf/inspect-pdf.js';
import { assertRefusedAsTwoReadings, dokument, printedText } from './two-readings.js';
import { objectHeaders, objectKey } from '../../../src/pdf/xref-definitions.js';
import {
  contentSwappedBehindTable,
  incrementalUpdate,
  objectStreamMemberOverridden,
} from '../../fixtures/hostile-pdfs.js';

describe('the definition readers take and the one pdf-lib takes', () => {
  it('refuses content written again behind the table with a startxref back at the old table', async () => {
    const bytes = contentSwappedBehindTable();
    assert.match(await printedText(bytes), /Byttet/, 'pdf-lib would print the later definition');
    await assertRefusedAsTwoReadings(bytes, /objekt 4 0 er definert flere ganger/);
  });

  it('refuses an object stream member defined again at top level after the stream', async () => {
    const bytes = objectStreamMemberOverridden();
    assert.match(await printedText(bytes), /Byttet/, 'pdf-lib would print the later definition');
    await assert.rejects(inspectPdf(bytes, dokument), /objekt 3 0 er definert flere ganger/);
  });

  it('accepts an incremental update whose table names the new definition', async () => {
    const bytes = incrementalUpdate();
    assert.match(await printedText(bytes), /Rettet/);
    assert.deepEqual(await inspectPdf(bytes, dokument), { pages: 1 });
  });

  it('finds object headers, not endobj or a number that runs into other text, and each repeat', () => {
    const text = '%PDF-1.4\n1 0 obj\n<<>>\nendobj\n12 3 obj<<>>endobj x2 0 obj\n>>7 0 obj\n1 0 obj [1]\nendobj\n';
    const { first, repeated } = objectHeaders(new Uint8Array(Buffer.from(text, 'latin1')));
    assert.deepEqual(
      [...first.entries()],
      [
        [objectKey(1, 0), text.indexOf('1 0 obj')],
        [objectKey(12, 3), text.indexOf('12 3 obj')],
        [objectKey(7, 0), text.indexOf('7 0 obj')],
      ],
    );
    assert.deepEqual(
      [...repeated.entries()],
      [[objectKey(1, 0), [text.indexOf('1 0 obj'), text.lastIndexOf('1 0 obj')]]],
    );
  });
});
