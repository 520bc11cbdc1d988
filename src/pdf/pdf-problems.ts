import { ValidationError } from '../domain/errors.js';

/** Which document of a forsendelse is being checked: its position in `dokumenter` and its file name. */
export interface DokumentRef {
  readonly index: number;
  readonly filnavn: string;
}

/** Why a document is refused as a PDF (API.md §8: "every document a parseable, unencrypted PDF"). */
export type PdfProblemKind = 'ikke-pdf' | 'kryptert' | 'ingen-sider';

const REASONS: Record<PdfProblemKind, string> = {
  'ikke-pdf': 'ikke en lesbar PDF',
  kryptert: 'dokumentet er kryptert/passordbeskyttet',
  'ingen-sider': 'PDF-en har ingen sider',
};

/** A ValidationError naming `dokumenter[i]` and the file, with the Norwegian reason. */
export function pdfProblem(dokument: DokumentRef, kind: PdfProblemKind): ValidationError {
  return new ValidationError([
    { field: `dokumenter[${dokument.index}]`, message: `Ugyldig innhold i ${dokument.filnavn}: ${REASONS[kind]}` },
  ]);
}
