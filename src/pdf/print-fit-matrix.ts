/**
 * Matrices for fitting a print page onto A4 (print-page-fit.ts), and fresh copies of the
 * objects whose /Matrix the fit changes: a pattern or an appearance stream may be shared with
 * other pages, which must print as before.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFStream, type PDFContext, type PDFRef } from 'pdf-lib';

/** A transformation matrix [a b c d e f] (ISO 32000-1 §8.3.4). */
export type Matrix = readonly [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** Where a point lands under `m`. */
export function apply(m: Matrix, px: number, py: number): [number, number] {
  return [m[0] * px + m[2] * py + m[4], m[1] * px + m[3] * py + m[5]];
}

/** `a` then `b`, as PDF composes matrices (row vectors: p × a × b). */
export function times(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[1] * b[2],
    a[0] * b[1] + a[1] * b[3],
    a[2] * b[0] + a[3] * b[2],
    a[2] * b[1] + a[3] * b[3],
    a[4] * b[0] + a[5] * b[2] + b[4],
    a[4] * b[1] + a[5] * b[3] + b[5],
  ];
}

/** The /Matrix of `dict`, or the identity where it has none or not six numbers (as viewers read it). */
function matrixOf(dict: PDFDict): Matrix {
  const old = dict.lookup(PDFName.of('Matrix'));
  const numbers = (old instanceof PDFArray ? old.asArray() : []).map((v) => {
    const n = dict.context.lookup(v);
    return n instanceof PDFNumber ? n.asNumber() : NaN;
  });
  return numbers.length === 6 && numbers.every(Number.isFinite) ? (numbers as unknown as Matrix) : IDENTITY;
}

/**
 * A new indirect object like `object` (a stream or a dictionary; its entries are shared, not
 * copied) with /Matrix `change(its matrix)`. The original is not touched: another page, or an
 * A4 page printed as it is, may use it.
 */
export function copyWithMatrix(
  context: PDFContext,
  object: PDFStream | PDFDict,
  change: (matrix: Matrix) => Matrix,
): PDFRef {
  const dict = object instanceof PDFStream ? object.dict : object;
  const copy = dict.clone(context);
  copy.set(PDFName.of('Matrix'), context.obj([...change(matrixOf(dict))]));
  // getContents() is the stream's data as stored (still encoded, its /Filter kept in the
  // dictionary), shared with the original rather than copied: nothing changes it, and a stamp
  // on each of 10 000 pages then costs no more memory than its dictionary each. The saved file
  // holds each copy's data in full, though: callers share one copy where they can
  // (print-fit-patterns.ts).
  return context.register(object instanceof PDFStream ? PDFRawStream.of(copy, object.getContents()) : copy);
}
