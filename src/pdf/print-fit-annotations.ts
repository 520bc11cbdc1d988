/**
 * Annotations on a print page fitted onto A4 (print-page-fit.ts): their boxes, the page
 * coordinates they hold and their appearances move with the page's content.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFStream, type PDFObject, type PDFPage, type PDFRef } from 'pdf-lib';
import { apply, copyWithMatrix, times, type Matrix } from './print-fit-matrix.js';

/** Annotation flag NoRotate (ISO 32000-1 §12.5.3, bit 5): it stays upright however its page turns. */
const NO_ROTATE = 1 << 4;

/**
 * Turns an annotation's appearances with its page. A viewer fits an appearance into its
 * /Rect by scaling alone (ISO 32000-1 §12.5.5: the BBox, transformed by the stream's
 * /Matrix, is mapped onto the Rect), so on a page turned a quarter a 200 × 60 stamp would be
 * squeezed into its turned 60 × 200 Rect. The page's turn (`m` without its scale and shift)
 * is added to the /Matrix of a copy of each appearance stream, which the annotation's own /AP
 * then names: a stamping tool reuses one appearance for every page, and turning it in place
 * turned it on the other pages too, an A4 page printed as it is among them (found in
 * review). `copies` holds this page's copies, so annotations sharing a stream share its copy.
 */
function turnAppearances(annot: PDFDict, m: Matrix, copies: Map<PDFStream, PDFRef>): void {
  const scale = Math.hypot(m[0], m[1]);
  if (scale === 0 || (m[1] === 0 && m[2] === 0 && m[0] > 0)) return;
  const flags = annot.lookup(PDFName.of('F'));
  if (flags instanceof PDFNumber && (flags.asNumber() & NO_ROTATE) !== 0) return;
  const ap = annot.lookup(PDFName.of('AP'));
  if (!(ap instanceof PDFDict)) return;
  const context = annot.context;
  const turn: Matrix = [m[0] / scale, m[1] / scale, m[2] / scale, m[3] / scale, 0, 0];
  const turned = (stream: PDFStream): PDFRef => {
    const ref = copies.get(stream) ?? copyWithMatrix(context, stream, (matrix) => times(matrix, turn));
    copies.set(stream, ref);
    return ref;
  };
  // Normal, rollover and down appearance, each one stream or one per state (ISO 32000-1 §12.5.5).
  const own = ap.clone(context);
  for (const key of ['N', 'R', 'D'].map((k) => PDFName.of(k))) {
    const entry = ap.lookup(key);
    if (entry instanceof PDFStream) own.set(key, turned(entry));
    if (!(entry instanceof PDFDict)) continue;
    const states = entry.clone(context);
    for (const [state, value] of entry.entries()) {
      const found = context.lookup(value);
      if (found instanceof PDFStream) states.set(state, turned(found));
    }
    own.set(key, states);
  }
  annot.set(PDFName.of('AP'), own);
}

/** `points` (x y pairs) moved by `m`; undefined when they are not pairs of numbers, which viewers ignore. */
function moved(annot: PDFDict, points: PDFObject | undefined, m: Matrix): PDFArray | undefined {
  if (!(points instanceof PDFArray)) return undefined;
  const n = points.asArray().map((v) => {
    const found = annot.context.lookup(v);
    return found instanceof PDFNumber ? found.asNumber() : NaN;
  });
  if (n.length % 2 !== 0 || !n.every(Number.isFinite)) return undefined;
  const out: number[] = [];
  for (let i = 0; i < n.length; i += 2) out.push(...apply(m, n[i]!, n[i + 1]!));
  return annot.context.obj(out);
}

/**
 * Moves the page coordinates an annotation holds besides its /Rect (ISO 32000-1 §12.5.6):
 * viewers build the appearance of an annotation without /AP from them, and place a link's
 * or a highlight's area by /QuadPoints, so with only its /Rect moved a highlight, a line or
 * an ink stroke was drawn where it lay on the unturned page (found in review). QuadPoints
 * (text markup, Link, Redact), L (Line), Vertices (Polygon, PolyLine) and CL (a FreeText
 * callout) are lists of x y pairs; InkList (Ink) and PDF 2.0's Path, lists of such lists.
 */
function movePoints(annot: PDFDict, m: Matrix): void {
  for (const key of ['QuadPoints', 'L', 'Vertices', 'CL'].map((k) => PDFName.of(k))) {
    const points = moved(annot, annot.lookup(key), m);
    if (points !== undefined) annot.set(key, points);
  }
  for (const key of ['InkList', 'Path'].map((k) => PDFName.of(k))) {
    const paths = annot.lookup(key);
    if (!(paths instanceof PDFArray)) continue;
    const all = paths.asArray().map((path) => moved(annot, annot.context.lookup(path), m));
    if (all.every((path) => path !== undefined)) annot.set(key, annot.context.obj(all));
  }
}

/**
 * Moves each annotation's /Rect with the page (the box around its turned corners) and the
 * points it holds, and turns its appearances with it. One annotation listed on several pages
 * (`done` holds those done) is moved once.
 */
export function moveAnnotations(page: PDFPage, m: Matrix, done: Set<PDFObject>): void {
  const annots = page.node.Annots();
  if (annots === undefined) return;
  const copies = new Map<PDFStream, PDFRef>();
  for (let i = 0; i < annots.size(); i += 1) {
    const annot = annots.lookup(i);
    if (!(annot instanceof PDFDict) || done.has(annot)) continue;
    done.add(annot);
    turnAppearances(annot, m, copies);
    movePoints(annot, m);
    const rect = annot.lookup(PDFName.of('Rect'));
    if (!(rect instanceof PDFArray) || rect.size() !== 4) continue;
    const n = [0, 1, 2, 3].map((k) => rect.lookup(k));
    if (!n.every((v): v is PDFNumber => v instanceof PDFNumber)) continue;
    const [x1, y1, x2, y2] = n.map((v) => v.asNumber()) as [number, number, number, number];
    const corners = [apply(m, x1, y1), apply(m, x2, y2), apply(m, x1, y2), apply(m, x2, y1)];
    const xs = corners.map((c) => c[0]);
    const ys = corners.map((c) => c[1]);
    annot.set(
      PDFName.of('Rect'),
      page.doc.context.obj([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]),
    );
  }
}
