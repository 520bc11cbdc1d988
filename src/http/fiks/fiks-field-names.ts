/**
 * Validation problems name fields by their path in the canonical model, which follows the
 * V9 WSDL (`mottaker.postAdresse.postnr`). A REST v2/v3 integrator sent the JSON of KS's
 * OpenAPI files (`mottaker.postnummer` in v2's flat `Adresse`, `mottaker.adresse.postnummer`
 * in v3), so the Fiks doors rename the paths, in `errorJson` and in the messages, before
 * answering: every refusal names the field as the caller wrote it (as REST v1 does,
 * src/http/rest/v1-field-names.ts).
 */
import { ValidationError, type FieldProblem } from '../../domain/errors.js';

/** The two Fiks JSON dialects. */
export type FiksVersion = 'v2' | 'v3';

/** Canonical postal field → the name in v2's flat `Adresse` and in v3's `Adresse`. */
const POSTAL: Readonly<Record<string, readonly [v2: string, v3: string]>> = {
  adresse1: ['adresselinje1', 'adresselinje1'],
  adresse2: ['adresselinje2', 'adresselinje2'],
  adresse3: ['adresselinje3', 'adresselinje3'],
  postnr: ['postnummer', 'postnummer'],
  poststed: ['poststed', 'poststed'],
  land: ['land', 'landkode'],
};

/** Canonical top-level field → its v2 and v3 name, where they differ from the canonical. */
const TOP_LEVEL: Readonly<Record<string, readonly [v2: string, v3: string]>> = {
  eksternref: ['eksternReferanse', 'eksternReferanse'],
  forsendelseType: ['forsendelsestype', 'forsendelsestype'],
  printkonfigurasjon: ['utskriftskonfigurasjon', 'utskriftskonfigurasjon'],
  signaturtype: ['signaturType', 'signering.signaturType'],
  signeringUtloper: ['signeringUtloper', 'signering.signeringUtloper'],
  krevNiva4Innlogging: ['krevNiva4Innlogging', 'sikkerhetsniva'],
  svarPaForsendelseLink: ['svarPaForsendelseLink', 'kanSvareViaEdialog'],
  svarPaForsendelse: ['svarPaForsendelse', 'svarPaForsendelseId'],
};

/** Canonical field of a document, a link or the print settings → its v2 and v3 name. */
const NESTED: Readonly<Record<string, readonly [v2: string, v3: string]>> = {
  mimetype: ['mimeType', 'mimeType'],
  ekskluderesFraPrint: ['skalEkskluderesFraUtskrift', 'skalEkskluderesFraUtskrift'],
  giroarkSider: ['giroarkSider', 'giroarkSide'],
  urlLenke: ['url', 'url'],
  urlTekst: ['tekst', 'tekst'],
  fargePrint: ['utskriftMedFarger', 'utskriftMedFarger'],
};

/** The v2/v3 spelling of a canonical field path, e.g. `mottaker.digitalAdresse.fnr` → `mottaker.digitalId`. */
export function fiksFieldPath(path: string, version: FiksVersion): string {
  const v = version === 'v2' ? 0 : 1;
  const party = /^(mottaker|svarSendesTil)\.(digitalAdresse|postAdresse)(?:\.([A-Za-z0-9]+))?(.*)$/.exec(path);
  if (party !== null) {
    const [, who, part, field, rest] = party as unknown as [string, string, string, string | undefined, string];
    if (part === 'digitalAdresse') return `${who}.digitalId`;
    if (field === undefined) return version === 'v2' ? who : `${who}.adresse`;
    if (field === 'navn') return `${who}.navn${rest}`;
    const name = POSTAL[field]?.[v] ?? field;
    return version === 'v2' ? `${who}.${name}${rest}` : `${who}.adresse.${name}${rest}`;
  }
  // eksponertFor's entries are digitalIds (strings) on the wire.
  const eksponert = /^(eksponertFor\[\d+\])\./.exec(path);
  if (eksponert !== null) return eksponert[1] as string;
  const [head = '', ...tail] = path.split('.');
  const top = /^([^[]+)(\[.*)?$/.exec(head);
  const topName = top?.[1] ?? head;
  const renamed = (TOP_LEVEL[topName]?.[v] ?? topName) + (top?.[2] ?? '');
  const nested = tail.map((segment) => {
    const m = /^([^[]+)(\[.*)?$/.exec(segment);
    const name = m?.[1] ?? segment;
    return (NESTED[name]?.[v] ?? name) + (m?.[2] ?? '');
  });
  return [renamed, ...nested].join('.');
}

/** Canonical names a message may mention besides its own field, in v2/v3 words. */
const MENTIONED: Readonly<Record<FiksVersion, readonly [RegExp, string][]>> = {
  v2: [
    [/\bekskluderesFraPrint\b/g, 'skalEkskluderesFraUtskrift'],
    [/\badresse1, adresse2 og adresse3\b/g, 'adresselinje1, adresselinje2 og adresselinje3'],
  ],
  v3: [
    [/\bekskluderesFraPrint\b/g, 'skalEkskluderesFraUtskrift'],
    [/\badresse1, adresse2 og adresse3\b/g, 'adresselinje1, adresselinje2 og adresselinje3'],
    [/\bkrevNiva4Innlogging er satt\b/g, 'sikkerhetsniva er HOYESTE'],
    [/\bsvarPaForsendelseLink\b/g, 'kanSvareViaEdialog'],
  ],
};

function inFiksWords(problem: FieldProblem, version: FiksVersion): FieldProblem {
  const field = fiksFieldPath(problem.field, version);
  let message = field === problem.field ? problem.message : problem.message.split(problem.field).join(field);
  for (const [canonical, wire] of MENTIONED[version]) message = message.replace(canonical, wire);
  return field === problem.field && message === problem.message ? problem : { field, message };
}

/** The error with every problem's field, and the names its message mentions, in `version`'s JSON names. */
export function inFiksTerms(error: ValidationError, version: FiksVersion): ValidationError {
  return error.renamed((p) => inFiksWords(p, version));
}
