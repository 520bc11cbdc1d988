/**
 * Takes out of a composed letter every action a viewer would run by itself or that leaves the
 * document (active-content.ts names them), and every attached file: in every object of the
 * file, not only on the pages' /Annots. pdf-lib's copy of a page brings along all it refers
 * to, and an annotation refers to others (/Popup, /IRT, /Parent) whose /A and /AA were copied
 * untouched: a popup's JavaScript and a link's Launch reached the recipient's file, which the
 * inbox shows inline (found in review). Kept: go-to, named and web, e-mail and phone links.
 * The sender's original documents are kept as sent.
 */
import { PDFArray, PDFDict, PDFName, PDFRef, PDFStream, type PDFDocument, type PDFObject } from 'pdf-lib';
import { isSafeAction } from './active-content.js';

const A = PDFName.of('A');
const AA = PDFName.of('AA');
const JS = PDFName.of('JS');
const NEXT = PDFName.of('Next');
const S = PDFName.of('S');
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
  const dropped = new Set<PDFRef>();
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFStream ? object.dict : object;
    if (dict instanceof PDFDict && (isUnsafeAction(doc, dict) || dict.get(TYPE) === EMBEDDED_FILE)) dropped.add(ref);
    else clean(doc, object, dropped, 0);
  }
  // What still refers to a dropped object reads it as null (ISO 32000-1 §7.3.10).
  for (const ref of dropped) doc.context.delete(ref);
}

/** An action dictionary (it has /S) that is not a link the letter may keep. */
function isUnsafeAction(doc: PDFDocument, dict: PDFDict): boolean {
  return dict.has(S) && !isSafeAction(doc, dict);
}

function clean(doc: PDFDocument, object: PDFObject, dropped: Set<PDFRef>, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (object instanceof PDFStream) return clean(doc, object.dict, dropped, depth + 1);
  if (object instanceof PDFArray) {
    for (let i = 0; i < object.size(); i++) clean(doc, object.get(i), dropped, depth + 1);
    return;
  }
  if (!(object instanceof PDFDict)) return;
  object.delete(AA);
  object.delete(JS);
  // A safe action may chain others: those are not looked at, so they go.
  if (object.has(S)) object.delete(NEXT);
  const action = doc.context.lookup(object.get(A));
  if (action instanceof PDFDict && isUnsafeAction(doc, action)) object.delete(A);
  if (object.get(SUBTYPE) === FILE_ATTACHMENT) {
    // A file attachment keeps its note, not its file: its embedded streams go with it.
    const spec = doc.context.lookup(object.get(FS));
    const files = spec instanceof PDFDict ? doc.context.lookup(spec.get(EF)) : undefined;
    if (files instanceof PDFDict) for (const [, file] of files.entries()) if (file instanceof PDFRef) dropped.add(file);
    object.delete(FS);
  }
  for (const [, value] of object.entries()) {
    if (value instanceof PDFDict || value instanceof PDFArray) clean(doc, value, dropped, depth + 1);
  }
}
