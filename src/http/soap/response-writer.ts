/**
 * Success envelopes exactly as CXF writes them (docs/interfaces.md §3): no XML declaration, no
 * whitespace, the wrapper `<ns2:{operation}Response>` in the service namespace and its
 * `<return>` children unprefixed and attribute-free. Line breaks inside values are
 * written as character references, so each `<return>` stays on one line: the Node
 * client finds them with the single-line regex `<return>(.*?)</return>` (docs/interfaces.md §16,
 * docs/interfaces.md §15 point 6).
 */
import { envelopeNamespace, SERVICE_NS, type SoapVersion } from './namespaces.js';
import { escapeXmlText } from './xml-text.js';

/** A scalar, or an ordered list of named children (repeat a name for a list). */
export type XmlValue = string | number | boolean | undefined | readonly XmlField[];
/** One child element: name and value; undefined values are left out. */
export type XmlField = readonly [name: string, value: XmlValue];

/**
 * The response envelope of `operation` with one `<return>` per item (none for a void result),
 * the wrapper in `namespace` (the version's; V9 by default).
 */
export function responseEnvelope(
  version: SoapVersion,
  operation: string,
  returns: readonly XmlValue[],
  namespace = SERVICE_NS,
): string {
  const wrapper = `ns2:${operation}Response`;
  const body =
    returns.length === 0
      ? `<${wrapper} xmlns:ns2="${namespace}"/>`
      : `<${wrapper} xmlns:ns2="${namespace}">${returns.map((r) => element('return', r, true)).join('')}</${wrapper}>`;
  return `<soap:Envelope xmlns:soap="${envelopeNamespace(version)}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

function element(name: string, value: XmlValue, keepEmpty = false): string {
  if (value === undefined) return keepEmpty ? `<${name}></${name}>` : '';
  // Never self-closing: `<return/>` would not match the Node client's regex.
  return `<${name}>${content(value)}</${name}>`;
}

function content(value: Exclude<XmlValue, undefined>): string {
  if (typeof value === 'string') return escapeSingleLine(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value.map(([name, v]) => element(name, v)).join('');
}

/**
 * Markup escaped, and every line terminator of JavaScript's regular expressions (CR, LF,
 * U+2028, U+2029) as a character reference: the Node client finds its answer with
 * `<return>(.*?)</return>`, whose `.` matches none of them.
 */
function escapeSingleLine(s: string): string {
  return escapeXmlText(s).replace(/[\r\n\u2028\u2029]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
