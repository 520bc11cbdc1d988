/**
 * Escaping for the XML the door writes. Characters XML 1.0 cannot carry (most C0
 * controls, lone surrogates) are dropped rather than producing a document no client
 * can parse.
 */

const INVALID_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text content escaped for an element body (`&`, `<`, `>`), invalid characters removed. */
export function escapeXmlText(s: string): string {
  return s.replace(INVALID_XML_CHARS, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value escaped for double quotes. */
export function escapeXmlAttribute(s: string): string {
  return escapeXmlText(s).replace(/"/g, '&quot;');
}
