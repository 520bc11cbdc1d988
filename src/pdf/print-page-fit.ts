/**
 * Pages of the print copy on A4 portrait paper, nothing cut. Print providers take A4
 * portrait sheets (Digdir's print service: "PDF må ha A4 (stående) størrelse"; a page larger
 * than A4 is cut on the right and at the bottom, not scaled), while a sender's PDF may hold
 * an A3 drawing, a landscape table or a US Letter page. A page that does not show as A4
 * portrait is therefore turned and shrunk into one in the print copy: a landscape page is
 * turned a quarter counter-clockwise (as printing in landscape does), a larger one scaled down to fit
 * with its aspect kept, a smaller one centred at its own size. The page's /Rotate is baked
 * into the same transformation, so the page shows upright with no /Rotate left, and what lay
 * outside its visible box (CropBox) stays hidden. What the content's transformation does not
 * move moves with it separately: the page's patterns (print-fit-patterns.ts) and its
 * annotations (print-fit-annotations.ts). The digital copy keeps the sender's pages as they are.
 */
import {
  clip,
  concatTransformationMatrix,
  endPath,
  PDFArray,
  PDFName,
  PDFNumber,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  type PDFObject,
  type PDFPage,
} from 'pdf-lib';
import { A4 } from './envelope-window.js';
import { moveAnnotations } from './print-fit-annotations.js';
import type { Matrix } from './print-fit-matrix.js';
import { fitPatterns } from './print-fit-patterns.js';

/** How far (points; 2 mm) a page may differ from A4 and still be printed as it is. */
const TOLERANCE = (2 / 25.4) * 72;

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

/**
 * Fits a page of the print copy onto A4 portrait (see above); a page that already prints as
 * A4 is left untouched. Returns whether the page was changed. `done` is shared by the pages
 * of one document: the annotations already moved with an earlier page.
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
  fitPatterns(page, m);
  moveAnnotations(page, m, done);
  for (const name of ['CropBox', 'BleedBox', 'TrimBox', 'ArtBox', 'Rotate', 'UserUnit'])
    page.node.delete(PDFName.of(name));
  page.node.set(PDFName.of('MediaBox'), context.obj([0, 0, A4.width, A4.height]));
  return true;
}
