/**
 * Objects pdf-lib could not parse in a composed letter (kept as raw bytes, `PDFInvalidObject`):
 * which of them the file may keep. A viewer reads such bytes otherwise than pdf-lib (PDFium
 * skips what it does not understand and reads on), and reviews found four ways for a script
 * so written to run in Chromium's viewer of the inbox copy, each past a check of the bytes
 * alone. So an unparsed object is kept only where it can only be drawn: reached from a page's
 * content or resources (or an annotation's appearance), referred to by no key through which a
 * viewer acts (an annotation list, an action, a field's parent or kids), with its syntax closed
 * within its bytes and no active name outside stream data (active-content.ts). Any other is
 * emptied. Kept, such an object renders as viewers render it: emptying every one blanked pages
 * whose content stream or font pdf-lib could not parse (found in review).
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
import { hasIndirectReference, rawObjectMayAct, rawObjectSyntax } from './active-content.js';

/** Keys through which a viewer reaches what it acts on. */
const ACTING_KEYS = new Set([
  'Annots',
  'A',
  'AA',
  'PA',
  'Next',
  'Popup',
  'IRT',
  'Parent',
  'Kids',
  'OpenAction',
  'MK',
  'RichMediaContent',
  'Dest',
  'SE',
]);
const TYPE = PDFName.of('Type');
const PAGE_TYPES = new Set(['Page', 'Pages']);
const MAX_DEPTH = 64;

/** The unparsed objects of `doc` to empty (none in the usual file, at no cost). */
export function unparsedToEmpty(doc: PDFDocument): Set<PDFRef> {
  return new Set([...judgeUnparsed(doc)].filter(([, fate]) => fate !== 'kept').map(([ref]) => ref));
}

/**
 * Why the pages of `doc` would not print as they show, for intake to refuse: an unparsed
 * object they draw that compose must empty (it may act), or that compose would keep with
 * object numbers in it: pdf-lib copies its bytes as they are, and in the composed file
 * those numbers name other objects (a page's fonts so written printed in a wrong one).
 */
export function unparsedDrawingProblem(doc: PDFDocument): string | undefined {
  for (const [ref, fate] of judgeUnparsed(doc)) {
    if (fate === 'emptied, drawn') return `objekt ${ref.objectNumber}, som brukes på en side, kan ikke leses`;
    if (fate === 'kept' && refersToObjects(rawBytes(doc.context.lookup(ref) as PDFInvalidObject)))
      return `objekt ${ref.objectNumber}, som brukes på en side, kan ikke leses og henviser til andre objekter`;
  }
  return undefined;
}

type Fate = 'kept' | 'emptied' | 'emptied, drawn';

/** Each unparsed object of `doc` and what compose does with it. */
function judgeUnparsed(doc: PDFDocument): Map<PDFRef, Fate> {
  const unparsed = new Map<PDFRef, PDFInvalidObject>();
  for (const [ref, object] of doc.context.enumerateIndirectObjects())
    if (object instanceof PDFInvalidObject) unparsed.set(ref, object);
  const fates = new Map<PDFRef, Fate>();
  if (unparsed.size === 0) return fates;
  const acting = actingObjects(doc);
  const drawn = drawnObjects(doc);
  for (const [ref, object] of unparsed) {
    // Drawn and acting at once (a widget also listed among a page's XObjects): emptied, and
    // the page would print without it (found in review).
    if (!drawn.has(ref)) fates.set(ref, 'emptied');
    else if (acting.has(ref) || rawObjectMayAct(rawBytes(object))) fates.set(ref, 'emptied, drawn');
    else fates.set(ref, 'kept');
  }
  return fates;
}

function rawBytes(object: PDFInvalidObject): Uint8Array {
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return bytes;
}

/** Whether a kept object's syntax before its stream data holds an indirect reference (`12 0 R`). */
function refersToObjects(bytes: Uint8Array): boolean {
  const syntax = rawObjectSyntax(bytes);
  return syntax === undefined || hasIndirectReference(syntax);
}

/**
 * Every object a viewer may act through: referred to under an acting key, and the entries of
 * an array so referred to (an /Annots array written as an object of its own names widgets,
 * which PDFium loads through it; found in review), however deep such arrays chain. What an
 * annotation draws (/AP) is drawing, not acting.
 */
function actingObjects(doc: PDFDocument): Set<PDFRef> {
  const acting = new Set<PDFRef>();
  for (const [, object] of doc.context.enumerateIndirectObjects()) collectActing(object, acting, false, 0);
  const queue = [...acting];
  while (queue.length > 0) {
    const object = doc.context.lookup(queue.pop() as PDFRef);
    if (!(object instanceof PDFArray)) continue;
    const found = new Set<PDFRef>();
    collectActing(object, found, true, 0);
    for (const ref of found)
      if (!acting.has(ref)) {
        acting.add(ref);
        queue.push(ref);
      }
  }
  return acting;
}

/** Every reference inside `object` that stands under an acting key (`under`: already below one). */
function collectActing(object: PDFObject | undefined, into: Set<PDFRef>, under: boolean, depth: number): void {
  if (object === undefined || depth > MAX_DEPTH) return;
  if (object instanceof PDFRef) {
    if (under) into.add(object);
    return;
  }
  if (object instanceof PDFStream) return collectActing(object.dict, into, under, depth + 1);
  if (object instanceof PDFArray) {
    for (let i = 0; i < object.size(); i++) collectActing(object.get(i), into, under, depth + 1);
    return;
  }
  if (!(object instanceof PDFDict)) return;
  for (const [key, value] of object.entries())
    collectActing(value, into, under || ACTING_KEYS.has(key.decodeText()), depth + 1);
}

/** What the pages draw: all reached from their /Contents and /Resources, and from their annotations' /AP. */
function drawnObjects(doc: PDFDocument): Set<PDFRef> {
  const seen = new Set<PDFRef>();
  const roots: PDFObject[] = [];
  for (const page of doc.getPages()) {
    const node = page.node;
    for (const key of ['Contents', 'Resources']) {
      const value = node.get(PDFName.of(key));
      if (value !== undefined) roots.push(value);
    }
    const annots = doc.context.lookup(node.get(PDFName.of('Annots')));
    if (annots instanceof PDFArray)
      for (let i = 0; i < annots.size(); i++) {
        const annot = doc.context.lookup(annots.get(i));
        const ap = annot instanceof PDFDict ? annot.get(PDFName.of('AP')) : undefined;
        if (ap !== undefined) roots.push(ap);
      }
  }
  const stack: { object: PDFObject; depth: number }[] = roots.map((object) => ({ object, depth: 0 }));
  while (stack.length > 0) {
    const { object, depth } = stack.pop() as { object: PDFObject; depth: number };
    if (depth > MAX_DEPTH) continue;
    if (object instanceof PDFRef) {
      if (seen.has(object)) continue;
      seen.add(object);
      const target = doc.context.lookup(object);
      if (target !== undefined) stack.push({ object: target, depth: depth + 1 });
      continue;
    }
    const dict = object instanceof PDFStream ? object.dict : object;
    if (dict instanceof PDFDict) {
      const type = dict.get(TYPE);
      // Never back into the page tree (an XObject's /P, a resource's stray page reference).
      if (type instanceof PDFName && PAGE_TYPES.has(type.decodeText())) continue;
      for (const [, value] of dict.entries()) stack.push({ object: value, depth: depth + 1 });
    } else if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) stack.push({ object: object.get(i), depth: depth + 1 });
    }
  }
  return seen;
}
