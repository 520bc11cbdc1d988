/** For the tests of PDFs that readers and pdf-lib (the print copy) would read differently. */
import assert from 'node:assert/strict';
import { PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { inspectPdf } from '../../../src/pdf/inspect-pdf.js';

export const dokument = { index: 0, filnavn: 'brev.pdf' };

/** The text pdf-lib finds in the first page's content stream: what compose prints. */
export async function printedText(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const contents = doc.getPage(0).node.get(PDFName.of('Contents'));
  const stream = doc.context.lookup(contents as PDFRef) as PDFRawStream;
  return Buffer.from(stream.contents).toString('latin1');
}

/** Asserts that intake refuses `bytes` as read two ways, naming the document and `reason`. */
export async function assertRefusedAsTwoReadings(bytes: Uint8Array, reason: RegExp): Promise<void> {
  await assert.rejects(
    inspectPdf(bytes, dokument),
    (e: Error & { problems?: { field: string; message: string }[] }) => {
      assert.equal(e.problems?.[0]?.field, 'dokumenter[0]');
      const message = e.problems?.[0]?.message ?? '';
      assert.match(message, /^Ugyldig innhold i brev\.pdf: PDF-en kan leses på to måter/);
      assert.match(message, reason);
      return true;
    },
  );
}
