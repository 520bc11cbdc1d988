/** The messages between the node and its PDF worker threads (pdf-worker-pool.ts, pdf-worker.ts). */
import type { FieldProblem } from '../domain/errors.js';
import type { ComposedPdf, ComposeInput } from './compose.js';
import type { CoverPreviewFormat } from './cover-preview.js';
import type { ForsideInput } from './forside.js';
import type { PdfInfo } from './inspect-pdf.js';
import type { BatchLetter, PrintBatch } from './print-batch.js';
import type { DokumentRef } from './pdf-problems.js';

/** The PDF work a node does: the intake's check of an uploaded PDF, the compose job's file, the admin web's cover preview. */
export interface PdfWork {
  /** inspectPdf: pages of a readable, unencrypted PDF, or the same ValidationError. */
  inspect(bytes: Uint8Array, dokument: DokumentRef): Promise<PdfInfo>;
  /** composeForsendelsesfil. */
  compose(input: ComposeInput): Promise<ComposedPdf>;
  /** renderCoverPreview: the cover page as a PDF or a PNG. */
  coverPreview(input: ForsideInput, format: CoverPreviewFormat): Promise<Uint8Array>;
  /** mergePrintBatch: the manual-print batch of several letters' print files. */
  printBatch(letters: readonly BatchLetter[], title: string): Promise<PrintBatch>;
}

/** A cover preview's bytes, as a reply carries them (transferred, not copied). */
export interface PreviewBytes {
  readonly bytes: Uint8Array;
}

/** What a task asks for (pdf-task.ts runs it). */
export type PdfTaskBody =
  | { readonly op: 'inspect'; readonly bytes: Uint8Array; readonly dokument: DokumentRef }
  | { readonly op: 'compose'; readonly input: ComposeInput }
  | { readonly op: 'preview'; readonly input: ForsideInput; readonly format: CoverPreviewFormat }
  | { readonly op: 'batch'; readonly letters: readonly BatchLetter[]; readonly title: string };

/** One task for a worker. */
export type PdfTask = PdfTaskBody & { readonly id: number };

/** What a task gives back. */
export type PdfTaskValue = PdfInfo | ComposedPdf | PreviewBytes | PrintBatch;

/**
 * Sent by a worker as it takes a task up, before it works on it: the task's time budget runs
 * from here, so time the task spent waiting behind other work on that thread (a compose's
 * synchronous stretch, other checks) is not counted against it.
 */
export interface PdfTaskStarted {
  readonly started: number;
}

/** A worker's answer: the value, or the error's message (and a ValidationError's problems). */
export type PdfTaskReply =
  | { readonly id: number; readonly ok: true; readonly value: PdfTaskValue }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly problems?: readonly FieldProblem[] };
