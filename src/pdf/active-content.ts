/**
 * Whether a parsed PDF carries content a viewer runs or acts on by itself: JavaScript
 * (a /JS entry, a JavaScript name tree), additional actions (/AA: on open, on close, on a
 * page or a field), an open action or a link action other than going to a web or e-mail
 * address or a place in the file (Launch, SubmitForm, ImportData, a `javascript:` URI, …),
 * or an XFA form (scripts of its own). Chromium's PDF viewer runs a document's JavaScript
 * even under a sandboxing CSP, with dialogs that show our host name and `this.URL` (the
 * recipient's link): such a document is served only as a download (src/http/security-headers.ts).
 * Compose strips the same content from the pages it copies (document-hygiene.ts), so the
 * letter's own file is always clean.
 *
 * Every object of the document is looked at, also those no page refers to: a viewer may
 * reach an object by a path this scan does not know. The scan is linear in the objects
 * (bounded by pdf-prescan.ts) and nests at most MAX_DEPTH direct objects deep.
 */
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFStream,
  PDFString,
  type PDFDocument,
  type PDFObject,
} from 'pdf-lib';

/** Action types a document may hold and still open inline: a web or e-mail address, a place in the file, a named page. */
const SAFE_ACTIONS = new Set(['URI', 'GoTo', 'Named']);

/** Keys whose presence alone is active content. */
const ACTIVE_KEYS = ['JS', 'AA', 'XFA'].map((k) => PDFName.of(k));
/** Keys whose value is an action (or, for /OpenAction, a destination array). */
const ACTION_KEYS = ['A', 'OpenAction', 'Next'].map((k) => PDFName.of(k));
const NAMES = PDFName.of('Names');
const JAVASCRIPT = PDFName.of('JavaScript');
const S = PDFName.of('S');
const URI = PDFName.of('URI');

/** Direct objects nested deeper than this count as active: no real document nests so. */
const MAX_DEPTH = 64;

/** True when `doc` holds JavaScript, additional actions, an unsafe action or an XFA form anywhere. */
export function hasActiveContent(doc: PDFDocument): boolean {
  const { context } = doc;
  const names = context.lookup(doc.catalog.get(NAMES));
  if (names instanceof PDFDict && names.has(JAVASCRIPT)) return true;
  for (const [, object] of context.enumerateIndirectObjects()) if (isActive(doc, object, 0)) return true;
  return false;
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
  for (const key of ACTION_KEYS) {
    const action = doc.context.lookup(object.get(key));
    if (action instanceof PDFDict && !isSafeAction(doc, action)) return true;
  }
  // Nested direct dictionaries and arrays (an annotation's inline /A, a field's kids); an
  // indirect reference is an object of its own, looked at by the caller's loop.
  for (const [, value] of object.entries()) {
    if ((value instanceof PDFDict || value instanceof PDFArray) && isActive(doc, value, depth + 1)) return true;
  }
  return false;
}

/** A go-to, a named page, or a web or e-mail address (viewers skip leading blanks before the scheme, so this does too). */
export function isSafeAction(doc: PDFDocument, action: PDFDict): boolean {
  const kind = action.get(S);
  if (!(kind instanceof PDFName) || !SAFE_ACTIONS.has(kind.decodeText())) return false;
  if (kind.decodeText() !== 'URI') return true;
  const uri = doc.context.lookup(action.get(URI));
  const text = uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : '';
  return /^[\s\u0000-\u001f]*(https?|mailto):/i.test(text);
}
