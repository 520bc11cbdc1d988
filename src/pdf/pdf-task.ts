/**
 * The PDF work behind each task of the pool, in one place: a worker thread runs it
 * (pdf-worker.ts), and so does the calling thread when there are no threads or they could
 * not start (pdf-worker-pool.ts).
 */
import { composeForsendelsesfil } from './compose.js';
import { renderCoverPreview } from './cover-preview.js';
import { inspectPdf } from './inspect-pdf.js';
import { mergePrintBatch } from './print-batch.js';
import type { PdfTaskBody, PdfTaskValue } from './pdf-worker-protocol.js';

/** Does `task` on this thread. */
export function runPdfTask(task: PdfTaskBody): Promise<PdfTaskValue> {
  switch (task.op) {
    case 'inspect':
      return inspectPdf(task.bytes, task.dokument);
    case 'compose':
      return composeForsendelsesfil(task.input);
    case 'preview':
      return renderCoverPreview(task.input, task.format).then((bytes) => ({ bytes }));
    case 'batch':
      return mergePrintBatch(task.letters, task.title);
  }
}

/** The bytes a task works on: its time budget grows with them. */
export function taskBytes(task: PdfTaskBody): number {
  switch (task.op) {
    case 'inspect':
      return task.bytes.length;
    case 'compose':
      return task.input.documents.reduce((sum, d) => sum + d.bytes.length, 0);
    case 'batch':
      return task.letters.reduce((sum, l) => sum + l.bytes.length, 0);
    case 'preview':
      return 0;
  }
}
