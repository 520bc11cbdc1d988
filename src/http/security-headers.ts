/**
 * How documents a sender supplied leave the service, and the headers every browser-facing
 * response carries (issue #13, point 1). A sender's file is data, never a page of ours: it
 * is served as a download (`Content-Disposition: attachment`), with `nosniff`, and under a
 * CSP whose `sandbox` gives it an opaque origin and no script, so even a browser that
 * renders it cannot reach the admin web's or the inbox's cookies and forms. Only a PDF that
 * intake parsed as one may be shown inline, and then under the same sandbox (Chromium's
 * PDF viewer renders it there; scripts in the PDF get no origin of ours).
 */
import type { Context } from 'hono';

/**
 * The policy of every file we serve (documents, print files, PDFs, CSS and JS alike): no
 * script, no fetch, no form, no base, an opaque origin, framed only by our own pages (the
 * cover-page preview of the admin web shows a PDF in an iframe).
 */
export const DOCUMENT_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox";

/** A media type as RFC 9110 spells one (token/token, parameters dropped), else undefined. */
function plainMediaType(declared: string | undefined): string | undefined {
  const type =
    (declared ?? '')
      .split(';')[0]
      ?.replace(/^[ \t]+|[ \t]+$/g, '')
      .toLowerCase() ?? '';
  return /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,128}$/.test(type) ? type : undefined;
}

/** The Content-Type to serve a sender's document with: its declared type when well-formed, else application/octet-stream. */
export function servedMediaType(declared: string | undefined): string {
  return plainMediaType(declared) ?? 'application/octet-stream';
}

/**
 * Types a browser runs or applies when one of our pages names the file as a subresource:
 * scripts (`<script src>`, workers; every JavaScript MIME type of the WHATWG MIME Sniffing
 * standard matches), stylesheets, WebAssembly and XSLT. `attachment`, `nosniff` and the
 * file's own CSP do not stop a script element of one of our pages from running such a file
 * in our origin, so a sender's file of such a type is served to a browser as bytes.
 */
const RUNS_AS_SUBRESOURCE =
  /^(?:(?:text|application)\/(?:x-)?(?:javascript[\d.]*|ecmascript|jscript|livescript)|text\/css|application\/wasm|text\/xsl|application\/xslt\+xml)$/;

/**
 * The Content-Type of a sender's document served to a browser: as servedMediaType, but
 * application/octet-stream for a type a page of ours could run or apply (a script, a
 * stylesheet). The declared type stays in the letter's metadata and SvarInn's download.
 */
export function browserMediaType(declared: string | undefined): string {
  const type = servedMediaType(declared);
  return RUNS_AS_SUBRESOURCE.test(type) ? 'application/octet-stream' : type;
}

/** True for `application/pdf` (any case, parameters ignored). */
export function isPdfMediaType(declared: string | undefined): boolean {
  return plainMediaType(declared) === 'application/pdf';
}

/** Letters NFKD leaves whole, spelled in ASCII for a fallback file name (ø as o, as Norwegian does without ø). */
const ASCII_SPELLING: Record<string, string> = {
  æ: 'ae',
  Æ: 'AE',
  ø: 'o',
  Ø: 'O',
  ß: 'ss',
  đ: 'd',
  Đ: 'D',
  ŧ: 't',
  Ŧ: 'T',
  ŋ: 'n',
  Ŋ: 'N',
  ł: 'l',
  Ł: 'L',
};

/**
 * A Content-Disposition header value: `disposition` with an ASCII fallback `filename` and the
 * exact name as RFC 5987 `filename*` (every byte outside attr-char percent-encoded, so `'`,
 * `(`, `*`, CR and LF can neither end the parameter nor start a header). The fallback spells
 * letters with diacritics in ASCII (å as a, ø as o, æ as ae) and replaces quotes, backslashes,
 * controls and whatever else is left with `_`: browsers take `filename*`, but KS's Java
 * SvarInn clients (Apache HttpClient 4) read only `filename` and store the file under it.
 * (Node writes a header's non-ASCII characters as UTF-8, which those clients would read as
 * ISO-8859-1, so the fallback stays ASCII.)
 */
export function contentDisposition(disposition: 'inline' | 'attachment', filename: string): string {
  // A lone surrogate (stored before intake refused them) becomes U+FFFD: encodeURIComponent throws on one.
  const wellFormed = filename.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
  const name = wellFormed.trim() === '' ? 'dokument' : wellFormed;
  const ascii = name
    .replace(/[æÆøØßđĐŧŦŋŊłŁ]/g, (ch) => ASCII_SPELLING[ch] ?? '_')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 ._+-]/g, '_');
  const fallback = shortened(ascii, 200);
  const exact = encodeURIComponent(name).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/**
 * `name` cut to `max` characters keeping its extension (up to 10 characters after the last
 * dot): a client that stores the file under `filename` still knows it for a PDF (review: a
 * 222-character name lost its `.pdf`).
 */
function shortened(name: string, max: number): string {
  if (name.length <= max) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 11 ? name.slice(dot) : '';
  return name.slice(0, max - extension.length) + extension;
}

/** What to say about one stored document when it is served. */
export interface ServedDocument {
  readonly filename: string;
  /** The media type the sender declared. */
  readonly mimetype: string | undefined;
  /** True only for a PDF that intake parsed as a PDF (and the forsendelsesfil we composed). */
  readonly inlinePdf: boolean;
}

/**
 * Sets Content-Type, Content-Disposition, nosniff and the sandboxing CSP of a document:
 * inline only for a checked PDF, every other file as a download.
 */
export function setDocumentHeaders(c: Context, doc: ServedDocument): void {
  const inline = doc.inlinePdf && isPdfMediaType(doc.mimetype);
  c.header('Content-Type', inline ? 'application/pdf' : browserMediaType(doc.mimetype));
  c.header('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', doc.filename));
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Content-Security-Policy', DOCUMENT_CSP);
}

/**
 * Headers every response of a browser-facing app gets after its handler: nosniff, no
 * framing by other sites, the referrer policy, and — unless the handler set one (a
 * document download sets DOCUMENT_CSP, whatever its type) — `pageCsp` on HTML pages and
 * DOCUMENT_CSP on anything else.
 */
export function applySecurityHeaders(
  res: Response,
  options: { pageCsp: string; referrerPolicy: string; frameOptions: 'DENY' | 'SAMEORIGIN' },
): void {
  res.headers.set('X-Content-Type-Options', 'nosniff');
  res.headers.set('Referrer-Policy', options.referrerPolicy);
  res.headers.set('X-Frame-Options', options.frameOptions);
  if (res.headers.has('Content-Security-Policy')) return;
  const html = (res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html');
  res.headers.set('Content-Security-Policy', html ? options.pageCsp : DOCUMENT_CSP);
}
