/** The messages between the node and its PDF worker threads (pdf-worker-pool.ts, pdf-worker.ts). */
import type { FieldProblem } from '../domain/errors.js';
import type { ComposedPdf, ComposeInput } from './compose.js';
import type { PdfInfo } from './inspect-pdf.js';
import type { DokumentRef } from './pdf-problems.js';

/** The PDF work a node does: the intake's check of an uploaded PDF and the compose job's file. */
export interface PdfWork {
  /** inspectPdf: pages of a readable, unencrypted PDF, or the same ValidationError. */
  inspect(bytes: Uint8Array, dokument: DokumentRef): Promise<PdfInfo>;
  /** composeForsendelsesfil. */
  compose(input: ComposeInput): Promise<ComposedPdf>;
}

/** One task for a worker. */
export type PdfTask =
  | { readonly id: number; readonly op: 'inspect'; readonly bytes: Uint8Array; readonly dokument: DokumentRef }
  | { readonly id: number; readonly op: 'compose'; readonly input: ComposeInput };

/** A worker's answer: the value, or the error's message (and a ValidationError's problems). */
export type PdfTaskReply =
  | { readonly id: number; readonly ok: true; readonly value: PdfInfo | ComposedPdf }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly problems?: readonly FieldProblem[] };
