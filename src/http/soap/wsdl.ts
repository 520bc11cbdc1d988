/**
 * The WSDLs of the served versions (docs/interfaces.md §3, §6a), served with `soap12:address`
 * pointing at this server (docs/interfaces.md §15 point 7). V4, V6, V8 and V9 are byte-exact
 * copies of KS's published files; V10 and V11 are reconstructed from KS's documentation
 * (each file's header comment says how). A file is read when the app is built, not at import.
 */
import { readFileSync } from 'node:fs';
import { escapeXmlAttribute } from './xml-text.js';

/** Where the versions answer, relative to the public base URL. */
export const SERVICE_BASE_PATH = '/tjenester/forsendelseservice';

/** Where V9 answers, relative to the public base URL. */
export const SERVICE_PATH = `${SERVICE_BASE_PATH}/ForsendelsesServiceV9`;

/** The WSDL of `service` (e.g. ForsendelsesServiceV4) with the endpoint address rewritten to this server. */
export function loadWsdl(publicUrl: string, service = 'ForsendelsesServiceV9'): string {
  const original = readFileSync(new URL(`./wsdl/${service}.wsdl`, import.meta.url), 'utf8');
  const location = `${publicUrl.replace(/\/+$/, '')}${SERVICE_BASE_PATH}/${service}`;
  const rewritten = original.replace(
    /(<soap12:address\s+location=")[^"]*(")/,
    (_, open: string, close: string) => `${open}${escapeXmlAttribute(location)}${close}`,
  );
  // The saved V9 copy starts with a blank line; an XML declaration must be the very first thing.
  return rewritten.replace(/^\s+/, '');
}
