/**
 * Rules for signing orders (docs/interfaces.md §8 "Signing", §13): one PDF to sign, a person with
 * fnr as recipient, an expiry at least one day ahead, a signature type, and a reply-to
 * orgnr that receives the signed document.
 */
import type { FieldProblem } from '../errors.js';
import type { ForsendelseInput } from '../model.js';
import { formatOsloTimestamp } from '../time/index.js';
import { fnrOf, orgnrOf } from './address-rules.js';
import { isPdfMimetype } from './document-rules.js';
import { problem, quote } from './problem.js';

/** A signing order must stay open at least this long after it is sent (docs/interfaces.md §5 signeringUtloper). */
export const MIN_SIGNERING_WINDOW_MS = 86_400_000;

const SIGNATURTYPER: readonly string[] = ['AUTENTISERT_SIGNATUR', 'AVANSERT_SIGNATUR'];

/** Problems of a signing order; none when no document has skalSigneres. `now` is epoch ms. */
export function signeringProblems(input: ForsendelseInput, now: number): FieldProblem[] {
  const toSign = input.dokumenter.flatMap((d, i) => (d.skalSigneres ? [i] : []));
  const first = toSign[0];
  if (first === undefined) return [];
  const why = 'når et dokument skal signeres';
  const problems: FieldProblem[] = [];
  for (const i of toSign.slice(1)) {
    problems.push(
      problem(
        `dokumenter[${i}].skalSigneres`,
        'For mange dokumenter til signering',
        `kan bare være satt på ett dokument (dokumenter[${first}] skal allerede signeres)`,
      ),
    );
  }
  for (const i of toSign) {
    const mimetype = input.dokumenter[i]?.mimetype ?? '';
    if (!isPdfMimetype(mimetype)) {
      problems.push(
        problem(
          `dokumenter[${i}].mimetype`,
          'Ugyldig dokument til signering',
          `må være application/pdf for et dokument som skal signeres (fikk ${quote(mimetype)})`,
        ),
      );
    }
  }
  // An invalid fnr is reported by the address rules; here only its absence matters.
  if (fnrOf(input.mottaker?.digitalAdresse) === undefined) {
    problems.push(
      problem(
        'mottaker.digitalAdresse.fnr',
        'Signering krever en person som mottaker',
        `må fylles ut med mottakerens fødselsnummer ${why}`,
      ),
    );
  }
  if (input.signeringUtloper === undefined) {
    problems.push(problem('signeringUtloper', 'Mangler signeringsfrist', `må fylles ut ${why}`));
  } else if (input.signeringUtloper - now < MIN_SIGNERING_WINDOW_MS) {
    problems.push(
      problem(
        'signeringUtloper',
        'For kort signeringsfrist',
        `må være minst ett døgn fram i tid (er ${formatOsloTimestamp(input.signeringUtloper)})`,
      ),
    );
  }
  if (input.signaturtype === undefined || !SIGNATURTYPER.includes(input.signaturtype)) {
    problems.push(
      problem('signaturtype', 'Mangler signaturtype', `må være AUTENTISERT_SIGNATUR eller AVANSERT_SIGNATUR ${why}`),
    );
  }
  // The signed document is sent as a new forsendelse to this orgnr (docs/interfaces.md §13).
  if (orgnrOf(input.svarSendesTil?.digitalAdresse) === undefined) {
    problems.push(
      problem(
        'svarSendesTil.digitalAdresse.orgnr',
        'Mangler svaradresse',
        `må fylles ut med organisasjonsnummeret som skal motta det signerte dokumentet ${why}`,
      ),
    );
  }
  return problems;
}
