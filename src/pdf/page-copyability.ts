/**
 * What compose does with every page besides the page-tree walk (page-tree.ts), checked at
 * intake so that a letter that gets its 200 can be composed:
 *
 * - **A page size.** Duplex print pads a document with a blank page the size of its last
 *   (compose.ts `padToOdd`), and a print provider needs one anyway: a page with no /MediaBox
 *   (none inherited either) or one that is not four numbers made pdf-lib throw at compose,
 *   after the 200 (found in an audit).
 * - **Objects nested shallowly enough to copy.** pdf-lib's copyPages copies a page's objects
 *   recursively, one stack frame set per level: a page whose resources lead through 20 000
 *   objects, each pointing to the next, overflowed the stack at compose. The walk here is
 *   iterative and visits each object once, as the copier does (it copies a shared object once).
 */
import {
  PDFArray,
  PDFDict,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  type PDFDocument,
  type PDFObject,
  type PDFPageLeaf,
} from 'pdf-lib';

/**
 * Deepest nesting of objects below a page that is accepted. Writers nest a handful of
 * levels (page → resources → font → descriptor → file); pdf-lib's copier overflowed at a
 * few thousand.
 */
export const MAX_OBJECT_DEPTH = 500;

/** The largest page side PDF allows (ISO 32000-1 annex C: 14 400 units, 200 inches). */
export const MAX_SIDE = 14_400;

/** Why a page cannot be composed, in Norwegian; undefined when every page can. */
export function pageCopyProblem(doc: PDFDocument): string | undefined {
  const pages = doc.getPages();
  for (let i = 0; i < pages.length; i++) {
    const page = pages[i]!;
    if (!isPageBox(mediaBoxOf(page.node))) return `side ${i + 1} har ingen gyldig sidestørrelse (MediaBox)`;
    if (deeperThan(doc, page.node, MAX_OBJECT_DEPTH)) {
      return `side ${i + 1} har objekter nøstet i mer enn ${MAX_OBJECT_DEPTH} nivåer`;
    }
  }
  return undefined;
}

/** The page's own or inherited /MediaBox; undefined when there is none or it is no array. */
function mediaBoxOf(page: PDFPageLeaf): PDFObject | undefined {
  try {
    return page.MediaBox();
  } catch {
    return undefined;
  }
}

/** Four numbers that make a page of a size between 0 and 14 400 units each way. */
function isPageBox(box: PDFObject | undefined): boolean {
  if (!(box instanceof PDFArray) || box.size() !== 4) return false;
  const n = [0, 1, 2, 3].map((k) => box.lookup(k));
  if (!n.every((v) => v instanceof PDFNumber)) return false;
  const [x0, y0, x1, y1] = n.map((v) => (v as PDFNumber).asNumber()) as [number, number, number, number];
  const width = Math.abs(x1 - x0);
  const height = Math.abs(y1 - y0);
  return width > 0 && height > 0 && width <= MAX_SIDE && height <= MAX_SIDE;
}

/** True when some object below `start` lies more than `limit` levels down (each object counted once). */
function deeperThan(doc: PDFDocument, start: PDFObject, limit: number): boolean {
  const seen = new Set<PDFObject>();
  const stack: [PDFObject, number][] = [[start, 0]];
  while (stack.length > 0) {
    const [object, depth] = stack.pop()!;
    if (depth > limit) return true;
    const value = object instanceof PDFRef ? doc.context.lookup(object) : object;
    if (value === undefined || seen.has(value)) continue;
    seen.add(value);
    const dict = value instanceof PDFRawStream ? value.dict : value;
    if (dict instanceof PDFDict) {
      for (const [key, child] of dict.entries()) {
        // The page's parent leads back up the tree (pdf-lib's copier leaves /Parent out too).
        if (key.asString() !== '/Parent') stack.push([child, depth + 1]);
      }
    } else if (dict instanceof PDFArray) {
      for (let k = 0; k < dict.size(); k++) stack.push([dict.get(k), depth + 1]);
    }
  }
  return false;
}
