/**
 * Just enough MIME reading for the tests to check what a recipient would see: unfolded,
 * RFC 2047-decoded headers and the decoded text/plain and text/html parts.
 */

/** A read message. */
export interface ReadMessage {
  /** Header values by lower-case name (last one wins). */
  readonly headers: ReadonlyMap<string, string>;
  readonly text?: string;
  readonly html?: string;
}

/** Reads a raw RFC 5322 message. */
export function readMessage(raw: string): ReadMessage {
  const { headers, body } = splitEntity(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const parts: { type: string; content: string }[] = [];
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary !== undefined) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = splitEntity(chunk.replace(/^\r?\n/, ''));
      parts.push({
        type: part.headers.get('content-type') ?? 'text/plain',
        content: decodeBody(part.body, part.headers),
      });
    }
  } else {
    parts.push({ type, content: decodeBody(body, headers) });
  }
  const find = (t: string) => parts.find((p) => p.type.toLowerCase().startsWith(t))?.content;
  const text = find('text/plain');
  const html = find('text/html');
  return { headers, ...(text === undefined ? {} : { text }), ...(html === undefined ? {} : { html }) };
}

/** Headers (unfolded, decoded) and the raw body of one entity. */
function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

/** Decodes a body by its Content-Transfer-Encoding. */
function decodeBody(body: string, headers: ReadonlyMap<string, string>): string {
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const trimmed = body.replace(/\r?\n$/, '');
  if (cte === 'base64') return Buffer.from(trimmed.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') return decodeQp(trimmed).replace(/\r\n/g, '\n');
  return trimmed.replace(/\r\n/g, '\n');
}

/** Quoted-printable to UTF-8 text. */
function decodeQp(s: string): string {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (UTF-8, Q or B); whitespace between adjacent words is dropped. */
function decodeWords(s: string): string {
  return s
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replace(/_/g, ' ')),
    );
}
