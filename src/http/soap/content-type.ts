/**
 * A forgiving Content-Type reader: real SOAP clients quote parameters or not, add
 * `action=""`, and put parameters in any order (docs/interfaces.md §3, §15 point 1).
 */

/** A media type with lower-cased type and parameter names. */
export interface MediaType {
  /** `type/subtype`, lower case, e.g. `multipart/related`. */
  readonly type: string;
  /** Parameter values as sent (unquoted, unescaped), by lower-cased name. */
  readonly params: ReadonlyMap<string, string>;
}

/** Parses a Content-Type header; an absent or empty header gives type ''. */
export function parseMediaType(header: string | null | undefined): MediaType {
  const params = new Map<string, string>();
  if (!header) return { type: '', params };
  const semi = header.indexOf(';');
  const type = (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase();
  let i = semi === -1 ? header.length : semi + 1;
  while (i < header.length) {
    const eq = header.indexOf('=', i);
    if (eq === -1) break;
    const name = header.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    while (header[j] === ' ' || header[j] === '\t') j++;
    let value = '';
    if (header[j] === '"') {
      j++;
      while (j < header.length && header[j] !== '"') {
        if (header[j] === '\\' && j + 1 < header.length) j++;
        value += header[j];
        j++;
      }
      const next = header.indexOf(';', j);
      i = next === -1 ? header.length : next + 1;
    } else {
      const next = header.indexOf(';', j);
      value = header.slice(j, next === -1 ? header.length : next).trim();
      i = next === -1 ? header.length : next + 1;
    }
    if (name !== '' && !params.has(name)) params.set(name, value);
  }
  return { type, params };
}

/** A Content-ID or `cid:` reference reduced to a comparable key: no `<>`, no `cid:`, percent-decoded. */
export function normaliseContentId(raw: string): string {
  let s = raw.trim();
  if (s.toLowerCase().startsWith('cid:')) s = s.slice(4);
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1);
  // RFC 2392: a cid URL is URL-encoded (WCF writes `cid:http%3A%2F%2Ftempuri.org%2F1%2F…`);
  // a Content-ID header is not. Decoding both sides makes them meet.
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
