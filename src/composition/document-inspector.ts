/**
 * Checks a stored document is a readable, unencrypted PDF that compose can build page for
 * page. Files up to 16 MB are parsed whole with pdf-lib on a PDF worker thread, under its
 * time budget (`pdf.inspect`), from the bytes the door still holds or else read back from
 * the store; larger ones are read by range from the blob store (a bounded walk of windows,
 * inspect-pdf-stream.ts), so a 200 MB PDF never sits in memory.
 */
import type { DocumentInspector } from '../app/forsendelse-service-impl.js';
import { inspectPdfStream, WHOLE_PDF_LIMIT, type PdfInfo, type PdfWork } from '../pdf/index.js';
import type { BlobStore } from '../storage/ports.js';
import { CheckGate } from './check-gate.js';

/** At most this many bytes of documents are checked whole at once (read, and copied to a PDF thread). */
export const WHOLE_CHECK_BYTES = 64 * 1024 * 1024;
/** At most this many whole-file checks run at once per PDF thread (one running, one on its way). */
export const WHOLE_CHECKS_PER_THREAD = 2;
/**
 * At most this many checks by range run at once. Each runs on the calling thread and holds
 * the file's object tables (up to 500 000 objects): eighty 20 MB files of 490 000 objects
 * sent at once took the heap to 1.4 GB, and a node with a 600 MB heap ended (review of
 * 6 December 2026).
 */
export const BY_RANGE_CHECKS = 2;

/** The admission of the intake's document checks (src/composition/check-gate.ts), shared by plain and encrypted documents. */
export interface CheckGates {
  /** Files up to 16 MB, parsed whole on a PDF thread. */
  readonly whole: CheckGate;
  /** Larger files, read by range. */
  readonly byRange: CheckGate;
}

/** The gates of a node with `pdfThreads` PDF threads (0: whole-file checks on the calling thread). */
export function checkGates(pdfThreads: number): CheckGates {
  return {
    whole: new CheckGate({ bytes: WHOLE_CHECK_BYTES, checks: WHOLE_CHECKS_PER_THREAD * Math.max(1, pdfThreads) }),
    // Counted, not weighed: what a check holds depends on its objects, not its bytes.
    byRange: new CheckGate({ bytes: 1, checks: BY_RANGE_CHECKS }),
  };
}

/**
 * The inspector for documents in `blobs`; whole files are parsed by `pdf`. Each check waits
 * for its gate (shared with the encrypted documents' inspector) before it reads the file, so
 * a burst of sends waits with its documents on disk, not in memory, and in its sender's own line.
 */
export function pdfDocumentInspector(
  blobs: BlobStore,
  pdf: Pick<PdfWork, 'inspect'>,
  gates: CheckGates = checkGates(1),
): DocumentInspector {
  return async (blob, spec, index, { avsender, bytes }) => {
    const ref = { index, filnavn: spec.filnavn };
    if (bytes !== undefined || blob.size <= WHOLE_PDF_LIMIT) {
      const info = await gates.whole.run(avsender, blob.size, async () =>
        pdf.inspect(bytes ?? (await blobs.get(blob.sha256)), ref),
      );
      return checkedPdf(info, 'whole');
    }
    const info = await gates.byRange.run(avsender, 0, () =>
      inspectPdfStream((range) => blobs.stream(blob.sha256, range), blob.size, ref),
    );
    return checkedPdf(info, 'by range');
  };
}

/**
 * What a stored document keeps of its check: its pages, and whether a browser may show it
 * inline: only a file parsed whole, where active content was looked for and not found.
 */
export function checkedPdf(info: PdfInfo, read: 'whole' | 'by range'): { sider: number; utenAktivtInnhold?: true } {
  return read === 'whole' && info.activeContent !== true
    ? { sider: info.pages, utenAktivtInnhold: true }
    : { sider: info.pages };
}
