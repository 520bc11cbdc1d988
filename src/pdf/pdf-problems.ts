import { ValidationError } from '../domain/errors.js';

/** Which document of a forsendelse is being checked: its position in `dokumenter` and its file name. */
export interface DokumentRef {
  readonly index: number;
  readonly filnavn: string;
}

/**
 * Why a document is refused as a PDF (docs/interfaces.md §8: "every document a parseable, unencrypted
 * PDF"), and the bounds of issue #13: a page tree compose can copy, and a file that can be
 * checked within the limits (objects, inflated size, pages, time).
 */
export type PdfProblemKind =
  | 'ikke-pdf'
  | 'kryptert'
  | 'ingen-sider'
  | 'sidetre'
  | 'tvetydig'
  | 'for-mange-sider'
  | 'for-kompleks'
  | 'dynamisk-xfa';

const REASONS: Record<PdfProblemKind, string> = {
  'ikke-pdf': 'ikke en lesbar PDF',
  kryptert: 'dokumentet er kryptert/passordbeskyttet',
  'ingen-sider': 'PDF-en har ingen sider',
  sidetre: 'sidetreet i PDF-en er ugyldig',
  tvetydig: 'PDF-en kan leses på to måter, og utskriften ville vist noe annet enn skjermen',
  'for-mange-sider': 'PDF-en har for mange sider',
  'for-kompleks': 'PDF-en er for kompleks til å kontrolleres',
  'dynamisk-xfa':
    'PDF-en er et dynamisk XFA-skjema, der innholdet ikke ligger på sidene og ikke kan skrives ut; lagre det som vanlig PDF',
};

/** A ValidationError naming `dokumenter[i]` and the file, with the Norwegian reason (and its detail, if any). */
export function pdfProblem(dokument: DokumentRef, kind: PdfProblemKind, detail?: string): ValidationError {
  const reason = detail === undefined ? REASONS[kind] : `${REASONS[kind]} (${detail})`;
  return new ValidationError([
    { field: `dokumenter[${dokument.index}]`, message: `Ugyldig innhold i ${dokument.filnavn}: ${reason}` },
  ]);
}
