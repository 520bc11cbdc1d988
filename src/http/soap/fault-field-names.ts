/**
 * Validation problems name fields by their path in the canonical model, which follows the
 * V9 WSDL (`mottaker.postAdresse.postnr`). A SOAP client's stubs come from its version's
 * WSDL, so a fault names each field as that WSDL does — V4 and V6's flat `mottaker`
 * (`mottaker.postnr`, `mottaker.fodselsnr`, V6's forsendelse-level `dokumentType`), V10 and
 * V11's camelCase (REST v1's names) — and its advice names only elements the version has
 * (V4, V6 and V8 have no element that keeps a file off paper; V11 has `leveringsmetode` in
 * place of `kunDigitalLevering`).
 */
import { ValidationError } from '../../domain/errors.js';
import { restV1FieldPath } from '../rest/v1-field-names.js';
import type { ServiceVersion } from './service-versions.js';

/** A canonical path in V4/V6 names: the address fields sit on `mottaker` itself. */
function mottakerModelPath(path: string): string {
  return (
    path
      // A missing address as a whole: V4 and V6 have neither element, only `mottaker`'s own fields.
      .replace(/^(mottaker|svarSendesTil)\.(postAdresse|digitalAdresse)$/, '$1')
      .replace(/^(mottaker|svarSendesTil)\.postAdresse\./, '$1.')
      .replace(/^(mottaker|svarSendesTil)\.digitalAdresse\.fnr$/, '$1.fodselsnr')
      .replace(/^(mottaker|svarSendesTil)\.digitalAdresse\.orgnr$/, '$1.orgnr')
      .replace(/^forsendelseType$/, 'dokumentType')
  );
}

/** A canonical path as `version`'s WSDL names the field. */
export function soapFieldPath(path: string, version: ServiceVersion): string {
  switch (version.model) {
    case 'mottaker':
      return mottakerModelPath(path);
    case 'adresse':
      return path;
    case 'camel':
    case 'camel-eksponert':
      return restV1FieldPath(path);
  }
}

/** The canonical advice on what may not be printed, as `version` can follow it. */
function adviceFor(message: string, version: ServiceVersion): string {
  const digitalOnly = version.digitalOnly;
  const named = digitalOnly === undefined ? message : message.replaceAll('kunDigitalLevering', digitalOnly);
  if (version.printExclusion === undefined) return named.replace('ekskluderesFraPrint eller ', '');
  return named.replace('ekskluderesFraPrint', version.printExclusion);
}

/** The error with every problem's field, and the advice in its message, in `version`'s terms. */
export function inSoapVersionTerms(error: ValidationError, version: ServiceVersion): ValidationError {
  return error.renamed((p) => {
    const field = soapFieldPath(p.field, version);
    // The message names the field as "<reason>: <field> <explanation>" (src/domain/validation/problem.ts).
    const named = field === p.field ? p.message : p.message.replace(`: ${p.field}`, `: ${field}`);
    return { field, message: adviceFor(named, version) };
  });
}
