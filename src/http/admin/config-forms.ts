/**
 * Reading and checking the configuration forms of an avsender: cover page (forside),
 * notification texts (varsling) and print provider. Problems name the field and reason.
 */
import { LINK_ESTIMATE, longestSms } from '../../channels/notify/render-varsel.js';
import type { FieldProblem } from '../../domain/errors.js';
import { malformedTextProblems } from '../../domain/validation/length-rules.js';
import { isSingleMailbox } from '../../domain/validation/index.js';
import type { Avsender } from '../../storage/ports.js';
import type { FormFields } from './form-data.js';

/** Field names of the cover page form (also the preview's query parameters). */
export const FORSIDE_FIELDS = [
  'forsideNavn',
  'adresselinje1',
  'adresselinje2',
  'adresselinje3',
  'postnr',
  'poststed',
  'tekst',
] as const;

/** Longest cover text accepted (it may flow onto a second page, but should not be a letter). */
export const MAX_FORSIDE_TEKST = 3000;

type Getter = (name: string) => string | undefined;

/** A line break, tab or other control character: none belongs in a name, an address line or a subject. */
const LINE_BREAK = /[\t\n\r\u0085\u2028\u2029]/;

/**
 * What is wrong with `value` as the text of the form field `name` (shown as `label`), by the
 * rule every door applies to a letter's texts (no control character, no lone surrogate, no
 * bidirectional override), and for a one-line field no line break either: the cover page's
 * name went into every notice's subject and inbox page with a CR LF, a NUL and a U+202E in it
 * (found in review).
 */
function textProblems(name: string, label: string, value: string, oneLine: boolean): FieldProblem[] {
  if (oneLine && LINE_BREAK.test(value))
    return [{ field: name, message: `Ugyldig tekst: «${label}» må være én linje, uten linjeskift eller tabulator` }];
  return malformedTextProblems(value, `«${label}»`).map((p) => ({ field: name, message: p.message }));
}

/** The cover page from form values; problems for the fields that break a rule. */
export function forsideFromForm(get: Getter, problems: FieldProblem[]): Avsender['forside'] {
  const v = (name: string, max: number, label: string): string => {
    const value = (get(name) ?? '').trim();
    if (value.length > max) problems.push({ field: name, message: `For lang verdi i «${label}»: høyst ${max} tegn` });
    problems.push(...textProblems(name, label, value, true));
    return value.slice(0, max);
  };
  const navn = v('forsideNavn', 100, 'Navn på forsiden');
  if (navn === '') problems.push({ field: 'forsideNavn', message: 'Mangler navn på forsiden: må fylles ut' });
  const postnr = v('postnr', 10, 'Postnummer');
  if (postnr !== '' && !/^\d{4}$/.test(postnr))
    problems.push({ field: 'postnr', message: 'Ugyldig postnummer: må være 4 siffer' });
  const tekst = (get('tekst') ?? '').replace(/\r\n/g, '\n').trim();
  problems.push(...textProblems('tekst', 'Tekst på forsiden', tekst, false));
  if (tekst.length > MAX_FORSIDE_TEKST)
    problems.push({
      field: 'tekst',
      message: `For lang forsidetekst: høyst ${MAX_FORSIDE_TEKST} tegn (har ${tekst.length})`,
    });
  return {
    navn,
    adresselinjer: [
      v('adresselinje1', 100, 'Adresselinje 1'),
      v('adresselinje2', 100, 'Adresselinje 2'),
      v('adresselinje3', 100, 'Adresselinje 3'),
    ].filter((l) => l !== ''),
    postnr,
    poststed: v('poststed', 60, 'Poststed'),
    tekst: tekst.slice(0, MAX_FORSIDE_TEKST),
  };
}

/** The notification texts from the form. */
export function varslingFromForm(form: FormFields, problems: FieldProblem[]): Avsender['varsling'] {
  const epostEmne = (form.get('epostEmne') ?? '').trim();
  const epostTekst = (form.get('epostTekst') ?? '').replace(/\r\n/g, '\n').trim();
  const smsTekst = (form.get('smsTekst') ?? '').trim();
  const organisasjonEpost = (form.get('organisasjonEpost') ?? '').trim();
  problems.push(
    ...textProblems('epostEmne', 'Emne for e-post', epostEmne, true),
    ...textProblems('epostTekst', 'E-posttekst', epostTekst, false),
    ...textProblems('smsTekst', 'SMS-tekst', smsTekst, false),
  );
  if (epostEmne === '') problems.push({ field: 'epostEmne', message: 'Mangler emne for e-post: må fylles ut' });
  if (epostEmne.length > 200)
    problems.push({ field: 'epostEmne', message: 'For langt emne for e-post: høyst 200 tegn' });
  if (!epostTekst.includes('{lenke}'))
    problems.push({
      field: 'epostTekst',
      message: 'E-postteksten må inneholde {lenke}, ellers finner ikke mottakeren brevet',
    });
  if (epostTekst.length > 5000)
    problems.push({ field: 'epostTekst', message: 'For lang e-posttekst: høyst 5000 tegn' });
  if (!smsTekst.includes('{lenke}'))
    problems.push({
      field: 'smsTekst',
      message: 'SMS-teksten må inneholde {lenke}, ellers finner ikke mottakeren brevet',
    });
  // Counted as sent: with the link and the sender's name and title (found in review).
  if (longestSms(smsTekst) > 480)
    problems.push({
      field: 'smsTekst',
      message: `For lang SMS-tekst: med lenken (om lag ${LINK_ESTIMATE} tegn), avsender og tittel blir den ${longestSms(smsTekst)} tegn, høyst 480 (3 SMS)`,
    });
  if (organisasjonEpost !== '' && !isSingleMailbox(organisasjonEpost)) {
    problems.push({ field: 'organisasjonEpost', message: 'Ugyldig e-postadresse for varsling av virksomheter' });
  }
  return {
    epostEmne,
    epostTekst,
    smsTekst,
    organisasjonEpost: organisasjonEpost === '' ? undefined : organisasjonEpost,
  };
}

/** The print provider from the form. */
export function printFromForm(form: FormFields, problems: FieldProblem[]): Avsender['print'] {
  const leverandor = form.get('leverandor');
  if (leverandor !== 'filedrop' && leverandor !== 'manual') {
    problems.push({ field: 'leverandor', message: 'Velg printleverandør: sentral print eller manuell print' });
    return { leverandor: 'filedrop' };
  }
  return { leverandor };
}

/** The recipient page's settings from the form: a contact line (at most 200 characters) and the language. */
export function mottakersideFromForm(
  form: FormFields,
  problems: FieldProblem[],
): NonNullable<Avsender['mottakerside']> {
  const kontakt = (form.get('kontakt') ?? '').trim();
  if (kontakt.length > 200)
    problems.push({ field: 'kontakt', message: `For lang kontaktlinje: høyst 200 tegn (har ${kontakt.length})` });
  const sprak = form.get('sprak');
  if (sprak !== 'nb' && sprak !== 'nn' && sprak !== 'en') {
    problems.push({ field: 'sprak', message: 'Velg språk for mottakersiden: bokmål, nynorsk eller engelsk' });
    return { ...(kontakt === '' ? {} : { kontakt }) };
  }
  return { ...(kontakt === '' ? {} : { kontakt }), sprak };
}
