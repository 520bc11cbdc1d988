/**
 * Takes out of a composed letter every action a viewer would run by itself or that leaves the
 * document (active-content.ts names them), and every attached file: in every object of the
 * file, not only on the pages' /Annots. pdf-lib's copy of a page brings along all it refers
 * to, and an annotation refers to others (/Popup, /IRT, /Parent) whose /A and /AA were copied
 * untouched: a popup's JavaScript and a link's Launch reached the recipient's file, which the
 * inbox shows inline (found in review). Kept: go-to, named and web, e-mail and phone links.
 * The sender's original documents are kept as sent.
 *
 * An action is known by where it stands (/A, /PA, /AA's entries, /Next), never by an /S key
 * alone: soft masks, transparency groups and border styles have /S too, and taking those away
 * hid text under an opaque box (found in review). An action object, and an attached file's
 * stream, is emptied in place (`<< >>`) rather than deleted, so no reference is left pointing
 * at nothing and the file's object numbers stay whole. An object pdf-lib could not parse is
 * copied along as its raw bytes, which a viewer may read otherwise (PDFium skips a stray token
 * where a key belongs) and run: it is emptied unless it can only be drawn (unparsed-objects.ts;
 * found in review: a widget's script so written ran in Chromium's viewer of the inbox copy). An
 * action written as a stream, or one of its own that only an unknown key refers to, goes too.
 */
import {
  PDFArray,
  PDFDict,
  PDFInvalidObject,
  PDFName,
  PDFRef,
  PDFStream,
  type PDFDocument,
  type PDFObject,
} from 'pdf-lib';
import { isSafeAction, isUnsafeActionKind } from './active-content.js';
import { unparsedToEmpty } from './unparsed-objects.js';

const ACTION_KEYS = [PDFName.of('A'), PDFName.of('PA')];
const AA = PDFName.of('AA');
const NEXT = PDFName.of('Next');
const S = PDFName.of('S');
const JS = PDFName.of('JS');
const FS = PDFName.of('FS');
const EF = PDFName.of('EF');
const TYPE = PDFName.of('Type');
const SUBTYPE = PDFName.of('Subtype');
const EMBEDDED_FILE = PDFName.of('EmbeddedFile');
const FILE_ATTACHMENT = PDFName.of('FileAttachment');
/** Deeper direct nesting than this is left as it is (pdf-lib's own copy is bounded by the page checks). */
const MAX_DEPTH = 64;

/** Strips `doc` of actions and attached files, in place; run on the composed file before it is saved. */
export function stripActions(doc: PDFDocument): void {
  const emptied = unparsedToEmpty(doc);
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFInvalidObject) continue;
    if (isUnsafeActionObject(doc, object)) emptied.add(ref);
    else if (object instanceof PDFStream && object.dict.get(TYPE) === EMBEDDED_FILE) emptied.add(ref);
    else clean(doc, object, emptied, 0);
  }
  for (const ref of emptied) doc.context.assign(ref, doc.context.obj({}));
}

function clean(doc: PDFDocument, object: PDFObject, emptied: Set<PDFRef>, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (object instanceof PDFStream) return clean(doc, object.dict, emptied, depth + 1);
  if (object instanceof PDFArray) {
    for (let i = 0; i < object.size(); i++) clean(doc, object.get(i), emptied, depth + 1);
    return;
  }
  if (!(object instanceof PDFDict)) return;
  // Additional actions (on open, on close, on a field's keystroke …): all of them go.
  const aa = object.get(AA);
  if (aa !== undefined) {
    emptyAdditionalActions(doc, aa, emptied);
    object.delete(AA);
  }
  // An action reached where the sweep does not look (from an unparsed object's bytes, a key
  // it does not know) is kept when safe; what it chains under /Next is not looked at, and
  // PDFium runs it after the action (found in review: a page turn's /Next JavaScript): it goes.
  if (object.has(NEXT) && isActionKind(object.get(S))) {
    emptyAction(doc, object.get(NEXT), emptied, 0);
    object.delete(NEXT);
  }
  for (const key of ACTION_KEYS) {
    const raw = object.get(key);
    const found = doc.context.lookup(raw);
    // An action written as a stream is read by PDFium through its dictionary, and ran in
    // Chromium's viewer (found in review): never kept.
    const action = found instanceof PDFStream ? found.dict : found;
    if (!(action instanceof PDFDict) || !action.has(S)) continue;
    if (found instanceof PDFDict && isSafeAction(doc, action)) {
      // A safe action may chain others: those are not looked at, so they go.
      emptyAction(doc, action.get(NEXT), emptied, 0);
      action.delete(NEXT);
    } else {
      emptyAction(doc, raw, emptied, 0);
      object.delete(key);
    }
  }
  if (object.get(SUBTYPE) === FILE_ATTACHMENT) {
    // A file attachment keeps its note, not its file: its file specification and streams go.
    const raw = object.get(FS);
    const spec = doc.context.lookup(raw);
    const files = spec instanceof PDFDict ? doc.context.lookup(spec.get(EF)) : undefined;
    if (files instanceof PDFDict) for (const [, file] of files.entries()) if (file instanceof PDFRef) emptied.add(file);
    if (raw instanceof PDFRef) emptied.add(raw);
    object.delete(FS);
  }
  for (const [, value] of object.entries()) {
    if (value instanceof PDFDict || value instanceof PDFArray) clean(doc, value, emptied, depth + 1);
  }
}

/** Every action type of ISO 32000-2 Table 201, so /Next is dropped from actions only (an outline item's /Next is its sibling). */
const ACTION_KINDS = new Set([
  'GoTo',
  'GoToR',
  'GoToE',
  'GoToDp',
  'Launch',
  'Thread',
  'URI',
  'Sound',
  'Movie',
  'Hide',
  'Named',
  'SubmitForm',
  'ResetForm',
  'ImportData',
  'SetOCGState',
  'Rendition',
  'Trans',
  'GoTo3DView',
  'JavaScript',
  'RichMediaExecute',
]);

function isActionKind(kind: PDFObject | undefined): boolean {
  return kind instanceof PDFName && ACTION_KINDS.has(kind.decodeText());
}

/**
 * An object of its own that is an action of a kind no letter keeps (a dictionary or a
 * stream's dictionary with /JS, or an /S of JavaScript, Launch, SubmitForm …): emptied
 * wherever it is referred to from, as no drawing object has those keys; the sweep by place
 * above misses an action reached through a key it does not know.
 */
function isUnsafeActionObject(doc: PDFDocument, object: PDFObject): boolean {
  const dict = object instanceof PDFStream ? object.dict : object;
  if (!(dict instanceof PDFDict)) return false;
  if (dict.has(JS)) return true;
  const kind = dict.get(S);
  if (!(kind instanceof PDFName)) return false;
  const name = kind.decodeText();
  if (isUnsafeActionKind(name)) return true;
  // A link action is kept only as a dictionary, and only a safe one.
  if (name === 'GoTo' || name === 'Named' || name === 'URI')
    return object instanceof PDFStream || !isSafeAction(doc, dict);
  return false;
}

/** Marks an /AA dictionary for emptying where it is an object of its own, and each action it holds. */
function emptyAdditionalActions(doc: PDFDocument, value: PDFObject, emptied: Set<PDFRef>): void {
  if (value instanceof PDFRef) emptied.add(value);
  const aa = doc.context.lookup(value);
  if (aa instanceof PDFDict) for (const [, action] of aa.entries()) emptyAction(doc, action, emptied, 0);
}

/** Marks an action (a dictionary with /S, nothing else) for emptying, and the actions it chains under /Next. */
function emptyAction(doc: PDFDocument, value: PDFObject | undefined, emptied: Set<PDFRef>, depth: number): void {
  if (value === undefined || depth > MAX_DEPTH) return;
  const found = doc.context.lookup(value);
  if (found instanceof PDFArray) {
    // /Next may be an array of actions.
    for (let i = 0; i < found.size(); i++) emptyAction(doc, found.get(i), emptied, depth + 1);
    return;
  }
  const action = found instanceof PDFStream ? found.dict : found;
  if (!(action instanceof PDFDict) || !action.has(S)) return;
  if (value instanceof PDFRef) {
    if (emptied.has(value)) return;
    emptied.add(value);
  }
  emptyAction(doc, action.get(NEXT), emptied, depth + 1);
}
