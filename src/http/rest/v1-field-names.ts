/**
 * Validation problems name fields by their path in the canonical model, which follows the
 * V9 WSDL (`mottaker.postAdresse.postnr`). A REST v1 integrator sent the JSON names of
 * jsonschema-rest-v1/forsendelse.json (`postNummer`), so the REST door renames the paths,
 * in the field and in the message, before answering: every refusal names the field as
 * the caller wrote it.
 */
import { ValidationError } from '../../domain/errors.js';
import { CAMEL_CASE_METADATA } from '../case-metadata-names.js';

/** Canonical (V9) name → REST v1 JSON name, for the names that differ. */
const REST_V1_NAMES: Readonly<Record<string, string>> = {
  fnr: 'fodselsNummer',
  orgnr: 'organisasjonsNummer',
  postnr: 'postNummer',
  poststed: 'postSted',
  mimetype: 'mimeType',
  signaturtype: 'signaturType',
  eksternref: 'eksternReferanse',
  forsendelseType: 'forsendelsesType',
  konteringskode: 'konteringsKode',
  ekskluderesFraPrint: 'ekskluderesFraUtskrift',
  printkonfigurasjon: 'utskriftsKonfigurasjon',
  fargePrint: 'utskriftMedFarger',
  ledetekst: 'ledeTekst',
  lestAvFodselsnummer: 'lestAvFodselsNummer',
  forsendelsesid: 'forsendelsesId',
  // The case metadata, as the REST v1 reader reads it (one table for every camelCase door).
  ...CAMEL_CASE_METADATA,
};

/** The REST v1 spelling of a canonical field path, e.g. `dokumenter[0].mimetype` → `dokumenter[0].mimeType`. */
export function restV1FieldPath(path: string): string {
  return path
    .split('.')
    .map((segment) => {
      const m = /^([^[]+)(\[.*)?$/.exec(segment);
      const name = m?.[1] ?? segment;
      return (REST_V1_NAMES[name] ?? name) + (m?.[2] ?? '');
    })
    .join('.');
}

/**
 * The error with every problem's field in REST v1 names, also where the message names it
 * ("<reason>: <field> <explanation>", src/domain/validation/problem.ts); the reason's
 * plain words ("Ugyldig konteringskode") stay as they are.
 */
export function inRestV1Terms(error: ValidationError): ValidationError {
  return error.renamed((p) => {
    const field = restV1FieldPath(p.field);
    const message = mentionedInV1Words(field === p.field ? p.message : p.message.replace(`: ${p.field}`, `: ${field}`));
    return field === p.field && message === p.message ? p : { field, message };
  });
}

/**
 * Other fields a message names, in REST v1 words: "sett ekskluderesFraPrint …" told a v1
 * integrator of a field its JSON does not have (found in review).
 */
function mentionedInV1Words(message: string): string {
  return message.replace(/\bekskluderesFraPrint\b/g, 'ekskluderesFraUtskrift');
}
