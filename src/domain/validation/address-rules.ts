/**
 * Rules for recipients and reply-to addresses (docs/interfaces.md §8: "mottaker required. Post
 * address: navn required; postnr (4 digits for Norwegian addresses) and poststed
 * required unless the forsendelse is digital-only; foreign addresses do not need postnr").
 */
import type { FieldProblem } from '../errors.js';
import type { Adresse, DigitalAdresse, PostAdresse } from '../model.js';
import { isValidFodselsnummer } from './fodselsnummer.js';
import { isValidOrgnr } from './orgnr.js';
import { isBlank, problem, quote } from './problem.js';

// Values that mean Norway in `land` (name in bokmål/nynorsk/English, ISO alpha-2/alpha-3),
// Svalbard too: Norwegian post with Norwegian postcodes (9170–9179), though ISO gives it SJ.
const NORWAY = new Set(['', 'norge', 'noreg', 'norway', 'no', 'nor', 'sj', 'sjm', 'svalbard']);

/** True when `land` is absent or names Norway, so a 4-digit postnr applies. */
export function isNorwegianAddress(adresse: PostAdresse): boolean {
  return namesNorway(adresse.land);
}

/**
 * True when `land` is absent, blank or names Norway (the envelope then has no country line),
 * however written: compatibility forms folded (full-width letters) and invisible format
 * characters dropped, so "Norge" with a zero-width space after it is not a foreign country
 * whose letters need no postnummer (found in review).
 */
export function namesNorway(land: string | undefined): boolean {
  return NORWAY.has(
    (land ?? '')
      .normalize('NFKC')
      .replace(/\p{Cf}/gu, '')
      .trim()
      .toLowerCase(),
  );
}

/** The fnr of a person address, or undefined when absent or blank (§15.5: then a postal recipient). */
export function fnrOf(adresse: DigitalAdresse | undefined): string | undefined {
  return adresse?.type === 'person' && !isBlank(adresse.fnr) ? adresse.fnr : undefined;
}

/** The orgnr of an organisation address, or undefined when absent or blank. */
export function orgnrOf(adresse: DigitalAdresse | undefined): string | undefined {
  return adresse?.type === 'organisasjon' && !isBlank(adresse.orgnr) ? adresse.orgnr : undefined;
}

/**
 * Checksum problems of a digital address at `path`. The number itself is never put in
 * the message: messages go to logs and a fødselsnummer is personal data.
 */
export function digitalAdresseProblems(adresse: DigitalAdresse | undefined, path: string): FieldProblem[] {
  const fnr = fnrOf(adresse);
  if (fnr !== undefined && !isValidFodselsnummer(fnr)) {
    return [problem(`${path}.fnr`, 'Ugyldig fødselsnummer', 'må være 11 siffer med gyldige kontrollsiffer')];
  }
  const orgnr = orgnrOf(adresse);
  if (orgnr !== undefined && !isValidOrgnr(orgnr)) {
    return [problem(`${path}.orgnr`, 'Ugyldig organisasjonsnummer', 'må være 9 siffer med gyldig kontrollsiffer')];
  }
  return [];
}

/**
 * Problems of a postal address at `path`. `mayBePrinted` demands a full address (postnr
 * for Norwegian addresses, poststed always); navn is always required.
 */
export function postAdresseProblems(adresse: PostAdresse, path: string, mayBePrinted: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (isBlank(adresse.navn)) problems.push(problem(`${path}.navn`, 'Mangler navn', 'må fylles ut'));
  if (!mayBePrinted) return problems;
  const why = 'må fylles ut når forsendelsen kan sendes på papir';
  if (isNorwegianAddress(adresse)) {
    const postnr = adresse.postnr ?? '';
    if (isBlank(postnr)) problems.push(problem(`${path}.postnr`, 'Mangler postnummer', why));
    else if (!/^\d{4}$/.test(postnr)) {
      problems.push(
        problem(`${path}.postnr`, 'Ugyldig postnummer', `må være 4 siffer for norske adresser (fikk ${quote(postnr)})`),
      );
    }
  }
  if (isBlank(adresse.poststed)) problems.push(problem(`${path}.poststed`, 'Mangler poststed', why));
  return problems;
}

/** Problems of the recipient: present, valid numbers, and a postal address when the letter may be printed. */
export function mottakerProblems(mottaker: Adresse | undefined, mayBePrinted: boolean): FieldProblem[] {
  if (mottaker === undefined) return [problem('mottaker', 'Mangler mottaker', 'må fylles ut')];
  const problems = digitalAdresseProblems(mottaker.digitalAdresse, 'mottaker.digitalAdresse');
  if (mottaker.postAdresse !== undefined) {
    problems.push(...postAdresseProblems(mottaker.postAdresse, 'mottaker.postAdresse', mayBePrinted));
  } else if (mayBePrinted) {
    problems.push(
      problem(
        'mottaker.postAdresse',
        'Mangler postadresse',
        'må fylles ut med navn, postnr og poststed når forsendelsen kan sendes på papir',
      ),
    );
  }
  return problems;
}

/** Problems of the reply-to address: valid numbers and always a full postal address (docs/interfaces.md §8). */
export function svarSendesTilProblems(svarSendesTil: Adresse): FieldProblem[] {
  const problems = digitalAdresseProblems(svarSendesTil.digitalAdresse, 'svarSendesTil.digitalAdresse');
  if (svarSendesTil.postAdresse === undefined) {
    problems.push(
      problem('svarSendesTil.postAdresse', 'Mangler postadresse', 'må fylles ut med navn, postnr og poststed'),
    );
  } else {
    problems.push(...postAdresseProblems(svarSendesTil.postAdresse, 'svarSendesTil.postAdresse', true));
  }
  return problems;
}
