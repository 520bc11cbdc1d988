/** For the tests of PDFs that readers and pdf-lib (the print copy) would read differently. */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { inspectPdf, type PdfInfo } from '../../../src/pdf/inspect-pdf.js';
import { inspectPdfStream } from '../../../src/pdf/inspect-pdf-stream.js';

export const dokument = { index: 0, filnavn: 'brev.pdf' };

/** The text pdf-lib finds in the first page's content stream: what compose prints. */
export async function printedText(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const contents = doc.getPage(0).node.get(PDFName.of('Contents'));
  const stream = doc.context.lookup(contents as PDFRef) as PDFRawStream;
  return Buffer.from(stream.contents).toString('latin1');
}

/** The text pdf.js (Firefox's and the archive viewers' reader) shows on the first page. */
export async function shownText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const page = await pdf.getPage(1);
    return (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
  } finally {
    await pdf.destroy();
  }
}

/** The check of a file too large to load whole (over WHOLE_PDF_LIMIT), run on `bytes` by range reads. */
export function inspectByRange(bytes: Uint8Array): Promise<PdfInfo> {
  return inspectPdfStream(
    async (range) =>
      Readable.from([Buffer.from(bytes.subarray(range?.start ?? 0, (range?.end ?? bytes.length - 1) + 1))]),
    bytes.length,
    dokument,
  );
}

/** Both checks: the whole file with pdf-lib, and by range reads as for a file over the whole-file limit. */
export const BOTH_CHECKS = [
  ['whole', (bytes: Uint8Array) => inspectPdf(bytes, dokument)],
  ['by range', inspectByRange],
] as const;

/** Asserts that both checks refuse `bytes` as read two ways, naming the document and `reason`. */
export async function assertRefusedAsTwoReadings(bytes: Uint8Array, reason: RegExp): Promise<void> {
  for (const [check, inspect] of BOTH_CHECKS) {
    await assert.rejects(
      inspect(bytes),
      (e: Error & { problems?: { field: string; message: string }[] }) => {
        assert.equal(e.problems?.[0]?.field, 'dokumenter[0]', `${check}: ${e.message}`);
        const message = e.problems?.[0]?.message ?? '';
        assert.match(message, /^Ugyldig innhold i brev\.pdf: PDF-en kan leses på to måter/, check);
        assert.match(message, reason, check);
        return true;
      },
      check,
    );
  }
}

/** Asserts that both checks accept `bytes` with `pages` pages. */
export async function assertAcceptedByBoth(bytes: Uint8Array, pages: number): Promise<void> {
  for (const [check, inspect] of BOTH_CHECKS) assert.deepEqual(await inspect(bytes), { pages }, check);
}
