/**
 * Pages of the print copy on A4 portrait paper, nothing cut. Print providers take A4
 * portrait sheets (Digdir's print service: "PDF må ha A4 (stående) størrelse"; a page larger
 * than A4 is cut on the right and at the bottom, not scaled), while a sender's PDF may hold
 * an A3 drawing, a landscape table or a US Letter page. A page that does not show as A4
 * portrait is therefore turned and shrunk into one in the print copy: a landscape page is
 * turned a quarter counter-clockwise (as printing in landscape does), a larger one scaled down to fit
 * with its aspect kept, a smaller one centred at its own size. The page's /Rotate is baked
 * into the same transformation, so the page shows upright with no /Rotate left, and what lay
 * outside its visible box (CropBox) stays hidden. The digital copy keeps the sender's pages
 * as they are.
 */
import {
  clip,
  concatTransformationMatrix,
  endPath,
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFStream,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  type PDFObject,
  type PDFPage,
} from 'pdf-lib';
import { A4 } from './envelope-window.js';

/** How far (points; 2 mm) a page may differ from A4 and still be printed as it is. */
const TOLERANCE = (2 / 25.4) * 72;

type Matrix = readonly [number, number, number, number, number, number];

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The page's /Rotate as 0, 90, 180 or 270 (a value that is no multiple of 90 counts as 0, as viewers read it). */
function quarterTurns(page: PDFPage): number {
  let angle: number;
  try {
    angle = page.getRotation().angle;
  } catch {
    return 0; // a /Rotate that is no number (a name, a string): viewers show the page upright
  }
  if (!Number.isFinite(angle)) return 0;
  return angle % 90 === 0 ? (((angle / 90) % 4) + 4) % 4 : 0;
}

/**
 * `box` with its lower-left corner first. A rectangle may name its corners in any order
 * (ISO 32000-1 §7.9.5; `[841.89 1190.55 0 0]` is A3), and pdf-lib then reports a negative
 * width or height, which would turn and scale the page wrongly.
 */
function normalised(box: Box): Box {
  return {
    x: Math.min(box.x, box.x + box.width),
    y: Math.min(box.y, box.y + box.height),
    width: Math.abs(box.width),
    height: Math.abs(box.height),
  };
}

/** The page's MediaBox, corners in order. */
function mediaBox(page: PDFPage): Box {
  return normalised(page.getMediaBox());
}

/** The part of the page a viewer shows: its CropBox within its MediaBox. */
function visibleBox(page: PDFPage): Box {
  const media = mediaBox(page);
  let crop: Box;
  try {
    crop = normalised(page.getCropBox());
  } catch {
    return media; // a /CropBox that is not four numbers: viewers show the MediaBox
  }
  if (![crop.x, crop.y, crop.width, crop.height].every(Number.isFinite)) return media;
  const x = Math.max(media.x, crop.x);
  const y = Math.max(media.y, crop.y);
  const width = Math.min(media.x + media.width, crop.x + crop.width) - x;
  const height = Math.min(media.y + media.height, crop.y + crop.height) - y;
  // A CropBox outside the MediaBox: viewers fall back to the MediaBox.
  return width > 0 && height > 0 ? { x, y, width, height } : media;
}

/**
 * The page's /UserUnit (PDF 1.6): the size of its unit in points, 1 unless it is a positive
 * number. A page 297.64 × 420.94 units with /UserUnit 2 is A4; readers that ignore it (many
 * print RIPs) would see A6, so the print copy takes it onto A4 in points and drops it.
 */
function userUnit(page: PDFPage): number {
  const unit = page.node.lookup(PDFName.of('UserUnit'));
  const value = unit instanceof PDFNumber ? unit.asNumber() : 1;
  return Number.isFinite(value) && value > 0 ? value : 1;
}

/**
 * True when the page shows as A4 portrait (within 2 mm) and the print copy can take it as it
 * is: its MediaBox too, since a print provider's RIP reads the sheet's size from it. A scan
 * cropped to A4 inside a larger MediaBox (Acrobat's "Crop pages") is moved onto an A4 sheet,
 * at its own size.
 */
export function printsAsA4(page: PDFPage): boolean {
  if (userUnit(page) !== 1) return false;
  const box = visibleBox(page);
  const media = mediaBox(page);
  if (Math.abs(media.width - box.width) > TOLERANCE || Math.abs(media.height - box.height) > TOLERANCE) return false;
  const turned = quarterTurns(page) % 2 === 1;
  const width = turned ? box.height : box.width;
  const height = turned ? box.width : box.height;
  return Math.abs(width - A4.width) <= TOLERANCE && Math.abs(height - A4.height) <= TOLERANCE;
}

/**
 * The matrix that turns `box` clockwise by `turns` quarters (as /Rotate shows a page), scales
 * it by `scale` and centres it on A4 portrait.
 */
function fitMatrix(box: Box, turns: number, scale: number): Matrix {
  const turned = turns % 2 === 1;
  const width = (turned ? box.height : box.width) * scale;
  const height = (turned ? box.width : box.height) * scale;
  const tx = (A4.width - width) / 2;
  const ty = (A4.height - height) / 2;
  const s = scale;
  const { x, y } = box;
  switch (turns) {
    case 1: // (x, y) → (y, w − x)
      return [0, -s, s, 0, tx - s * y, ty + s * (box.width + x)];
    case 2: // (x, y) → (w − x, h − y)
      return [-s, 0, 0, -s, tx + s * (box.width + x), ty + s * (box.height + y)];
    case 3: // (x, y) → (h − y, x)
      return [0, s, -s, 0, tx + s * (box.height + y), ty - s * x];
    default:
      return [s, 0, 0, s, tx - s * x, ty - s * y];
  }
}

/** Where a point lands under `m`. */
function apply(m: Matrix, px: number, py: number): [number, number] {
  return [m[0] * px + m[2] * py + m[4], m[1] * px + m[3] * py + m[5]];
}

/** `a` then `b`, as PDF composes matrices (row vectors: p × a × b). */
function times(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[1] * b[2],
    a[0] * b[1] + a[1] * b[3],
    a[2] * b[0] + a[3] * b[2],
    a[2] * b[1] + a[3] * b[3],
    a[4] * b[0] + a[5] * b[2] + b[4],
    a[4] * b[1] + a[5] * b[3] + b[5],
  ];
}

/** Annotation flag NoRotate (ISO 32000-1 §12.5.3, bit 5): it stays upright however its page turns. */
const NO_ROTATE = 1 << 4;

/** The appearance streams of `annot`: normal, rollover and down, each one stream or one per state. */
function appearanceStreams(annot: PDFDict): PDFStream[] {
  const ap = annot.lookup(PDFName.of('AP'));
  if (!(ap instanceof PDFDict)) return [];
  return ['N', 'R', 'D'].flatMap((key) => {
    const entry = ap.lookup(PDFName.of(key));
    if (entry instanceof PDFStream) return [entry];
    if (!(entry instanceof PDFDict)) return [];
    return entry.values().flatMap((state) => {
      const found = entry.context.lookup(state);
      return found instanceof PDFStream ? [found] : [];
    });
  });
}

/**
 * Turns an annotation's appearances with its page. A viewer fits an appearance into its
 * /Rect by scaling alone (ISO 32000-1 §12.5.5: the BBox, transformed by the stream's
 * /Matrix, is mapped onto the Rect), so on a page turned a quarter a 200 × 60 stamp would be
 * squeezed into its turned 60 × 200 Rect. The page's turn (`m` without its scale and shift)
 * is added to each appearance stream's /Matrix; `done` holds the streams already turned.
 */
function turnAppearances(annot: PDFDict, m: Matrix, done: Set<PDFObject>): void {
  const scale = Math.hypot(m[0], m[1]);
  if (scale === 0 || (m[1] === 0 && m[2] === 0 && m[0] > 0)) return;
  const flags = annot.lookup(PDFName.of('F'));
  if (flags instanceof PDFNumber && (flags.asNumber() & NO_ROTATE) !== 0) return;
  const turn: Matrix = [m[0] / scale, m[1] / scale, m[2] / scale, m[3] / scale, 0, 0];
  for (const stream of appearanceStreams(annot)) {
    if (done.has(stream)) continue;
    done.add(stream);
    const old = stream.dict.lookup(PDFName.of('Matrix'));
    const values =
      old instanceof PDFArray ? old.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : NaN)) : [];
    const matrix: Matrix =
      values.length === 6 && values.every(Number.isFinite) ? (values as unknown as Matrix) : [1, 0, 0, 1, 0, 0];
    stream.dict.set(PDFName.of('Matrix'), stream.dict.context.obj([...times(matrix, turn)]));
  }
}

/**
 * Moves each annotation's /Rect with the page (the box around its turned corners), and turns
 * its appearances with it. One annotation listed on several pages (`done` holds those done)
 * is moved once.
 */
function moveAnnotations(page: PDFPage, m: Matrix, done: Set<PDFObject>): void {
  const annots = page.node.Annots();
  if (annots === undefined) return;
  for (let i = 0; i < annots.size(); i += 1) {
    const annot = annots.lookup(i);
    if (!(annot instanceof PDFDict) || done.has(annot)) continue;
    done.add(annot);
    turnAppearances(annot, m, done);
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

/**
 * Fits a page of the print copy onto A4 portrait (see above); a page that already prints as
 * A4 is left untouched. Returns whether the page was changed. `done` is shared by the pages
 * of one document: the annotations (and appearances) already moved with an earlier page.
 */
export function fitPageToA4(page: PDFPage, done: Set<PDFObject> = new Set()): boolean {
  if (printsAsA4(page)) return false;
  const box = visibleBox(page);
  let turns = quarterTurns(page);
  const shownWidth = turns % 2 === 1 ? box.height : box.width;
  const shownHeight = turns % 2 === 1 ? box.width : box.height;
  // Landscape as shown: a quarter counter-clockwise, as printing in landscape turns it (its top
  // along the sheet's left edge).
  if (shownWidth > shownHeight) turns = (turns + 3) % 4;
  const turned = turns % 2 === 1;
  const unit = userUnit(page);
  // Its size in points: what it would measure on paper.
  const width = (turned ? box.height : box.width) * unit;
  const height = (turned ? box.width : box.height) * unit;
  const scale = unit * Math.min(1, A4.width / width, A4.height / height);
  const m = fitMatrix(box, turns, scale);

  const context = page.doc.context;
  // Its own array of content streams: pages may share one (/Contents 7 0 R naming an array),
  // and wrapping the shared array would wrap every page that lists it once per page. The
  // streams themselves are not changed.
  const contents = page.node.Contents();
  if (contents instanceof PDFArray) page.node.set(PDFName.of('Contents'), context.obj(contents.asArray()));
  page.node.normalize();
  const start = context.register(
    context.contentStream([
      pushGraphicsState(),
      concatTransformationMatrix(...m),
      rectangle(box.x, box.y, box.width, box.height),
      clip(),
      endPath(),
    ]),
  );
  const end = context.register(context.contentStream([popGraphicsState()]));
  // A page with no content stream shows nothing to move: only its size changes.
  page.node.wrapContentStreams(start, end);
  moveAnnotations(page, m, done);
  for (const name of ['CropBox', 'BleedBox', 'TrimBox', 'ArtBox', 'Rotate', 'UserUnit'])
    page.node.delete(PDFName.of(name));
  page.node.set(PDFName.of('MediaBox'), context.obj([0, 0, A4.width, A4.height]));
  return true;
}
