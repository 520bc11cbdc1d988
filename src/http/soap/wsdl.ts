/**
 * The V9 WSDL as KS publishes it (docs/interfaces.md §3; a byte-exact copy in ./wsdl/, provenance in
 * the reference folder's SOURCE.md), served with `soap12:address` pointing at this server
 * (docs/interfaces.md §15 point 7). The file is read when the app is built, not at import.
 */
import { readFileSync } from 'node:fs';
import { escapeXmlAttribute } from './xml-text.js';

/** Where the door answers, relative to the public base URL. */
export const SERVICE_PATH = '/tjenester/forsendelseservice/ForsendelsesServiceV9';

const WSDL_FILE = new URL('./wsdl/ForsendelsesServiceV9.wsdl', import.meta.url);

/** The WSDL text with the endpoint address rewritten to `${publicUrl}${SERVICE_PATH}`. */
export function loadWsdl(publicUrl: string): string {
  const original = readFileSync(WSDL_FILE, 'utf8');
  const location = `${publicUrl.replace(/\/+$/, '')}${SERVICE_PATH}`;
  const rewritten = original.replace(
    /(<soap12:address\s+location=")[^"]*(")/,
    (_, open: string, close: string) => `${open}${escapeXmlAttribute(location)}${close}`,
  );
  // The saved copy starts with a blank line; an XML declaration must be the very first thing.
  return rewritten.replace(/^\s+/, '');
}
