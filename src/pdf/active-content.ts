/**
 * Whether a PDF carries content a viewer runs or acts on by itself: JavaScript (a /JS
 * entry, a JavaScript action or name tree), additional actions (/AA: on open, on close, on
 * a page or a field), an action that leaves the document (Launch, SubmitForm, ImportData,
 * GoToR, GoToE, Rendition, RichMediaExecute, Sound, Movie), a link to an address other than
 * a web, e-mail or phone one (`javascript:`, `file:`), or an XFA form (scripts of its own).
 * Chromium's PDF viewer runs a document's JavaScript even under a sandboxing CSP, with
 * dialogs that show our host name and `this.URL` (the recipient's link): such a document is
 * served only as a download (src/http/security-headers.ts). Compose strips the same content
 * from the pages it copies (document-hygiene.ts), so the letter's own file is always clean.
 *
 * Two looks, and either finding it is enough:
 * - every object pdf-lib parsed, also those no page refers to, each judged by what it is
 *   (an action by its /S), so a chained /Next, an array of them and an action referred to
 *   indirectly are all seen; a structure element's /A (attributes, no /S) is no action; an
 *   object pdf-lib could not parse is not judged, so counts as active;
 * - the names in the file's bytes and in its object streams (inflated and their predictor
 *   undone, as viewers decode them; pdf-lib ignores predictors), decoded (#xx), wherever they
 *   stand: pdf-lib keeps the last of two objects with one number, while a viewer follows the
 *   cross-reference table, which may point at the first (found in review); a name that
 *   appears in no object a viewer reads costs a download, never a script.
 * Both are linear in the file (bounded by pdf-prescan.ts) and run on a PDF thread.
 */
import { constants, inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFInvalidObject,
  PDFName,
  PDFStream,
  PDFString,
  type PDFDocument,
  type PDFObject,
} from 'pdf-lib';
import { dictGet, isDict, type PdfDict, type PdfValue } from './pdf-syntax.js';
import { undoPngPredictor } from './window-parse.js';
import {
  DEFAULT_PRESCAN_LIMITS,
  MAX_FAR_LOOKS,
  decoding,
  inflatedByParser,
  mayBeStreamKeyword,
  streamData,
  streamDictBefore,
} from './pdf-prescan.js';

/** Action types that act outside the document or run something. */
const UNSAFE_ACTIONS = new Set([
  'JavaScript',
  'Launch',
  'SubmitForm',
  'ImportData',
  'ResetForm',
  'GoToR',
  'GoToE',
  'Rendition',
  'RichMediaExecute',
  'Sound',
  'Movie',
]);
/** Names that are active content wherever they stand (keys and action types). */
const ACTIVE_NAMES = new Set([...UNSAFE_ACTIONS, 'JS', 'AA', 'XFA']);
/** Keys whose presence alone is active content. */
const ACTIVE_KEYS = ['JS', 'AA', 'XFA'].map((k) => PDFName.of(k));
const S = PDFName.of('S');
const URI = PDFName.of('URI');
const N = PDFName.of('N');
/** Named actions a letter keeps: turning pages. */
const SAFE_NAMED = new Set(['NextPage', 'PrevPage', 'FirstPage', 'LastPage']);

/** Direct objects nested deeper than this count as active: no real document nests so. */
const MAX_DEPTH = 64;

/** True when `doc` (parsed from `bytes`) holds JavaScript, additional actions, an unsafe action or an XFA form. */
export function hasActiveContent(doc: PDFDocument, bytes?: Uint8Array): boolean {
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    // An object pdf-lib could not parse (kept as raw bytes) may be one a viewer reads and
    // runs: not judged, so not clean.
    if (object instanceof PDFInvalidObject || isActive(doc, object, 0)) return true;
  }
  return bytes !== undefined && hasActiveNames(bytes);
}

function isActive(doc: PDFDocument, object: PDFObject, depth: number): boolean {
  if (depth > MAX_DEPTH) return true;
  if (object instanceof PDFStream) return isActive(doc, object.dict, depth + 1);
  if (object instanceof PDFArray) {
    for (let i = 0; i < object.size(); i++) if (isActive(doc, object.get(i), depth + 1)) return true;
    return false;
  }
  if (!(object instanceof PDFDict)) return false;
  for (const key of ACTIVE_KEYS) if (object.has(key)) return true;
  const kind = object.get(S);
  if (kind instanceof PDFName && UNSAFE_ACTIONS.has(kind.decodeText())) return true;
  if (kind === URI || (kind instanceof PDFName && kind.decodeText() === 'URI')) {
    if (!isSafeAction(doc, object)) return true;
  }
  // Nested direct dictionaries and arrays; an indirect reference is an object of its own,
  // looked at by the caller's loop.
  for (const [, value] of object.entries()) {
    if ((value instanceof PDFDict || value instanceof PDFArray) && isActive(doc, value, depth + 1)) return true;
  }
  return false;
}

/** Whether `name` is an action type that acts outside the document or runs something. */
export function isUnsafeActionKind(name: string): boolean {
  return UNSAFE_ACTIONS.has(name);
}

/**
 * A link action a letter may keep: a go-to, a page turn, or a web, e-mail or phone address
 * (viewers skip leading blanks and control characters before the scheme, so this does too).
 */
export function isSafeAction(doc: PDFDocument, action: PDFDict): boolean {
  const kind = action.get(S);
  if (!(kind instanceof PDFName)) return false;
  const name = kind.decodeText();
  if (name === 'GoTo') return true;
  if (name === 'Named') {
    // Page turns only: a Named /Print opened the print dialog (and crashed the headless viewer).
    const n = action.get(N);
    return n instanceof PDFName && SAFE_NAMED.has(n.decodeText());
  }
  if (name !== 'URI') return false;
  const uri = doc.context.lookup(action.get(URI));
  const text = uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : '';
  return /^[\s\u0000-\u001f]*(https?|mailto|tel):/i.test(text);
}

/**
 * An active name in the bytes outside compressed stream data (whose bytes are binary: a
 * chance "/JS" among 16 MB of them would make one file in ten a download), or in an object
 * stream inflated; an object stream past the ceiling, or one that does not inflate, counts
 * as one.
 */
function hasActiveNames(bytes: Uint8Array): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let room = DEFAULT_PRESCAN_LIMITS.maxInflatedBytes;
  const farLooks = { left: MAX_FAR_LOOKS };
  let from = 0;
  for (let at = buf.indexOf('stream'); at >= 0; at = buf.indexOf('stream', at + 6)) {
    if (!mayBeStreamKeyword(buf, at)) continue;
    const dict = streamDictBefore(buf, at, farLooks);
    if (dict === 'too-far') return true;
    // A stream keyword after a dictionary, outside the data read past so far, whose dictionary
    // the scan cannot find (a comment inside its header, many header-like strings before it):
    // its data could not be judged, so the file is not clean (found in review: an object
    // stream so written hid a script PDFium ran).
    if (dict === undefined) {
      if (at >= from) return true;
      continue;
    }
    const filter = dictGet(dict, 'Filter');
    if (decoding(filter) === 'none') continue;
    const data = streamData(buf, at, dictGet(dict, 'Length'));
    const start = data.byteOffset - buf.byteOffset;
    if (start < from) continue;
    if (namesIn(buf.subarray(from, start))) return true;
    from = start + data.length;
    if (inflatedByParser(dict) !== 'ObjStm') continue;
    if (decoding(filter) !== 'flate') return true;
    // The abbreviations of inline images (/F, /DP), which pdf.js also reads in a stream's
    // dictionary, before the full names: a predictor given as /DP went unseen here while
    // pdf.js undid it (found in review). Not what a producer writes: counted as active.
    if (dictGet(dict, 'DP') !== undefined || dictGet(dict, 'F') !== undefined) return true;
    let inflated: Buffer;
    try {
      inflated = inflateSync(data, { maxOutputLength: Math.max(1, room), finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return true;
    }
    room -= inflated.length;
    // Inflated is not yet decoded where a predictor was applied before compression: its
    // names are scrambled until the predictor is undone (found in review: a /JavaScript
    // action in an object stream with /Predictor 12 passed, and Chromium ran it).
    const decoded = undoPredictor(inflated, dictGet(dict, 'DecodeParms'));
    if (decoded === undefined || namesIn(decoded)) return true;
  }
  return namesIn(buf.subarray(from));
}

/**
 * An object stream's inflated bytes with its predictor undone (ISO 32000 §7.4.4.4): as they
 * are without one, the PNG predictors (10–15) with one 8-bit component per pixel undone;
 * undefined for anything else (TIFF's, several components, parameters behind a reference),
 * which a viewer may still decode, so the caller counts it as active.
 */
function undoPredictor(inflated: Buffer, decodeParms: PdfValue | undefined): Buffer | undefined {
  // One filter (the caller checked): its parameters alone, or in an array of one.
  if (Array.isArray(decodeParms) && decodeParms.length > 1) return undefined;
  const only = Array.isArray(decodeParms) ? decodeParms[0] : decodeParms;
  if (only === undefined || only === null) return inflated;
  if (!isDict(only)) return undefined;
  const predictor = numberIn(only, 'Predictor', 1);
  if (predictor === 1) return inflated;
  if (predictor < 10 || predictor > 15) return undefined;
  if (numberIn(only, 'Colors', 1) !== 1 || numberIn(only, 'BitsPerComponent', 8) !== 8) return undefined;
  const columns = numberIn(only, 'Columns', 1);
  if (!Number.isInteger(columns) || columns < 1) return undefined;
  // Whole rows only: viewers decode a last, partial row too, which undoPngPredictor leaves
  // out, so bytes there would be seen by a viewer and not by this scan (found in review).
  if (inflated.length === 0 || inflated.length % (columns + 1) !== 0) return undefined;
  try {
    const out = undoPngPredictor(inflated, columns);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  } catch {
    return undefined;
  }
}

/** A number entry of `dict`, `fallback` when absent; NaN when present and no number. */
function numberIn(dict: PdfDict, key: string, fallback: number): number {
  const v = dictGet(dict, key);
  if (v === undefined) return fallback;
  return typeof v === 'number' ? v : Number.NaN;
}

/** A PDF name: a solidus and regular characters (ISO 32000 §7.3.5), #xx escapes decoded below. */
const NAME = /\/([^\x00\t\n\f\r ()<>[\]{}/%]+)/g;

/**
 * Whether the raw bytes of an object pdf-lib could not parse may act in a viewer: when a
 * string, dictionary or array in them does not close within them (pdf-lib cut the object at
 * the first `endobj`, even one inside a string, and PDFium read on past it into the next
 * object's stream data and ran what it found there; found in review), or when they name
 * content that acts outside stream data: the active names above, or a link (/URI, /Named:
 * an unparsed link cannot be judged). Stream data begins at a `stream` keyword after the
 * object's syntax has closed, strings and comments skipped (a `%stream` or `(stream)` inside
 * a dictionary hid what followed; found in review).
 */
export function rawObjectMayAct(bytes: Uint8Array): boolean {
  const syntax = rawObjectSyntax(bytes);
  if (syntax === undefined) return true;
  for (const match of syntax.matchAll(NAME)) {
    const name = decodeName(match[1] as string);
    if (ACTIVE_NAMES.has(name) || name === 'URI' || name === 'Named') return true;
  }
  return false;
}

/** An object's bytes up to its stream data (syntaxEnd), as text; undefined when its syntax does not close. */
export function rawObjectSyntax(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const end = syntaxEnd(text);
  return end === undefined ? undefined : text.slice(0, end);
}

/**
 * Where stream data begins in an object's text: a `stream` keyword right after the `>>` that
 * closes the dictionary the object opens with; its length when it has none. Undefined when a
 * string, dictionary or array is left open, or closed by the wrong bracket (a stray `]` in a
 * dictionary made an earlier count read `stream` there as the start of data; found in review).
 */
function syntaxEnd(text: string): number | undefined {
  const open: string[] = [];
  let dictClosedAt: number | undefined;
  for (let i = 0; i < text.length;) {
    const c = text[i] as string;
    if (c === '%') {
      const eol = text.slice(i).search(/[\r\n]/);
      if (eol < 0) break;
      i += eol;
      continue;
    }
    if (c === '(') {
      const close = stringEnd(text, i);
      if (close === undefined) return undefined;
      i = close;
      continue;
    }
    if (c === '<' && text[i + 1] === '<') {
      open.push('>>');
      i += 2;
      continue;
    }
    if (c === '<') {
      const close = text.indexOf('>', i);
      if (close < 0) return undefined;
      i = close + 1;
      continue;
    }
    if (c === '[') {
      open.push(']');
      i += 1;
      continue;
    }
    const closer = c === '>' && text[i + 1] === '>' ? '>>' : c === ']' ? ']' : undefined;
    if (closer !== undefined) {
      if (open.pop() !== closer) return undefined;
      i += closer.length;
      if (open.length === 0 && closer === '>>' && dictClosedAt === undefined) dictClosedAt = i;
      continue;
    }
    if (c === ')') return undefined;
    i += 1;
  }
  if (open.length > 0) return undefined;
  if (dictClosedAt === undefined) return text.length;
  const data = /^\s*stream(?:\r\n|\r|\n)/.exec(text.slice(dictClosedAt));
  return data === null ? text.length : dictClosedAt + data[0].length;
}

/** PDF white space (§7.2.3: NUL too), which PDFium skips between tokens as it skips comments. */
const PDF_SPACE = /[\x00\t\n\f\r ]/;
const DELIMITER = /[()<>[\]{}/%]/;

/**
 * Whether `syntax` (an object's text before its stream data) holds an indirect reference as
 * PDFium's tokenizer reads one: two integers and `R`, with white space or comments between
 * them (`11 %x⏎0 %x⏎R` passed a pattern that wanted only blanks; found in review). Strings
 * and hex strings are skipped.
 */
export function hasIndirectReference(syntax: string): boolean {
  const tokens: string[] = [];
  for (let i = 0; i < syntax.length;) {
    const c = syntax[i] as string;
    if (PDF_SPACE.test(c)) {
      i += 1;
    } else if (c === '%') {
      const eol = syntax.slice(i).search(/[\r\n]/);
      i = eol < 0 ? syntax.length : i + eol;
    } else if (c === '(') {
      i = stringEnd(syntax, i) ?? syntax.length;
      tokens.push('(');
    } else if ((c === '<' || c === '>') && syntax[i + 1] === c) {
      tokens.push(c + c);
      i += 2;
    } else if (c === '<') {
      const close = syntax.indexOf('>', i);
      i = close < 0 ? syntax.length : close + 1;
      tokens.push('<');
    } else if (DELIMITER.test(c)) {
      const name = c === '/' ? /^\/[^\x00\t\n\f\r ()<>[\]{}/%]*/.exec(syntax.slice(i))?.[0] : undefined;
      tokens.push(name ?? c);
      i += name?.length ?? 1;
    } else {
      const word = /^[^\x00\t\n\f\r ()<>[\]{}/%]+/.exec(syntax.slice(i))?.[0] ?? c;
      tokens.push(word);
      i += word.length;
    }
    const n = tokens.length;
    if (
      n >= 3 &&
      tokens[n - 1] === 'R' &&
      /^\d+$/.test(tokens[n - 2] as string) &&
      /^\d+$/.test(tokens[n - 3] as string)
    )
      return true;
  }
  return false;
}

/** Just after the literal string opening at `from` (nested parentheses, backslash escapes), or undefined. */
function stringEnd(text: string, from: number): number | undefined {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i += 1;
    else if (c === '(') depth += 1;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return undefined;
}

/**
 * A name with its #xx escapes decoded, as PDFium decodes them: any two characters after `#`,
 * one that is no hex digit counting as 0 (`/Im#7gortData` is ImportData to it).
 */
function decodeName(raw: string): string {
  const hex = (ch: string): number => (/[0-9a-fA-F]/.test(ch) ? parseInt(ch, 16) : 0);
  return raw.includes('#')
    ? raw.replace(/#(.)(.)/g, (_, a: string, b: string) => String.fromCharCode(hex(a) * 16 + hex(b)))
    : raw;
}

/** Each active name as it stands in bytes without #xx escapes. */
const ACTIVE_NAME_BYTES = [...ACTIVE_NAMES].map((name) => Buffer.from(`/${name}`, 'latin1'));

function namesIn(buf: Buffer): boolean {
  // Without a `#` a name is its bytes: none of them there, none to find. Most files pass
  // here without a copy of their bytes as text or an object per name (the intake's check
  // allocated ~140 KB a letter in this function alone, on the PDF thread's heap).
  if (!buf.includes(0x23) && !ACTIVE_NAME_BYTES.some((name) => buf.includes(name))) return false;
  const text = buf.toString('latin1');
  for (const match of text.matchAll(NAME)) {
    if (ACTIVE_NAMES.has(decodeName(match[1] as string))) return true;
  }
  return false;
}
