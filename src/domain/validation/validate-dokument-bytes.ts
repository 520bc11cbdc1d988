/**
 * Checks on the document bytes once they are known: no empty document ("Kan ikke lagre
 * tomt dokument", docs/interfaces.md §14) and at most 350 MB in all when the letter may be printed
 * (docs/interfaces.md §8; digital-only forsendelser are unlimited).
 */
import type { FieldProblem } from '../errors.js';
import { problem, quote } from './problem.js';

/** Largest total size of a forsendelse that may be printed: 350 MB, read as MiB (the lenient reading). */
export const MAX_PRINTABLE_TOTAL_BYTES = 350 * 1024 * 1024;

/** A document's name and byte count, as far as the size rules care. */
export interface DokumentSize {
  readonly filnavn: string;
  readonly size: number;
}

/** Problems of the document bytes: each empty document, and the total size when `printable`. */
export function validateDokumentBytes(
  docs: readonly DokumentSize[],
  { printable }: { printable: boolean },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  docs.forEach((doc, i) => {
    // Clients match on the exact prefix "Kan ikke lagre tomt dokument" and treat it as permanent.
    if (doc.size <= 0)
      problems.push(problem(`dokumenter[${i}].data`, 'Kan ikke lagre tomt dokument', `${quote(doc.filnavn)} er tomt`));
  });
  const total = docs.reduce((sum, doc) => sum + doc.size, 0);
  if (printable && total > MAX_PRINTABLE_TOTAL_BYTES) {
    problems.push(
      problem(
        'dokumenter',
        'For stor forsendelse',
        `er til sammen ${megabytes(total)} MB; høyst 350 MB er tillatt når forsendelsen kan sendes på papir (kunDigitalLevering har ingen grense)`,
      ),
    );
  }
  return problems;
}

/** Bytes as MiB with one decimal comma, rounded up so 350 MB + 1 byte never shows as "350,0". */
function megabytes(bytes: number): string {
  return (Math.ceil((bytes / (1024 * 1024)) * 10) / 10).toFixed(1).replace('.', ',');
}
