/**
 * The single-byte charsets a SOAP message may be written in besides UTF-8: ISO-8859-1 (and
 * its aliases), ISO-8859-15 and windows-1252, as a client names them in its XML declaration
 * or its Content-Type. KS's service (CXF, a StAX parser) reads a message so declared; ours
 * refused it ("Tegnsettet «ISO-8859-1» støttes ikke", found in review), also when every byte
 * was ASCII and it read the same either way. The bytes still decide first: a message that is
 * valid UTF-8 is read as UTF-8 whatever it is labelled (docs/interfaces.md §9a).
 */

/** A decoder of one chunk (single-byte: no state between chunks). */
export type SingleByteDecoder = (bytes: Uint8Array) => string;

const LATIN1 = new Set([
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'latin1',
  'latin-1',
  'l1',
  'iso-ir-100',
  'cp819',
  'ibm819',
]);
const OTHERS: Readonly<Record<string, string>> = {
  'iso-8859-15': 'iso-8859-15',
  'iso8859-15': 'iso-8859-15',
  'iso_8859-15': 'iso-8859-15',
  latin9: 'iso-8859-15',
  'latin-9': 'iso-8859-15',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
};

/** The decoder for `charset` when it is one of these, else undefined. */
export function singleByteDecoder(charset: string | undefined): SingleByteDecoder | undefined {
  const name = charset?.trim().toLowerCase();
  if (name === undefined) return undefined;
  // Buffer's "latin1" is ISO-8859-1 itself; WHATWG's TextDecoder reads that label as windows-1252.
  if (LATIN1.has(name))
    return (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const label = OTHERS[name];
  if (label === undefined) return undefined;
  const decoder = new TextDecoder(label);
  return (bytes) => decoder.decode(bytes);
}

/** The encoding an XML declaration at the start of `head` (raw bytes) names, if any. */
export function declaredEncoding(head: Uint8Array): string | undefined {
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  return /^(?:\uFEFF|\u00EF\u00BB\u00BF)?\s*<\?xml\s[^?>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/.exec(
    text,
  )?.[1];
}
