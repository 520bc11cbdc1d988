/**
 * Pattern fills on a print page fitted onto A4 (print-page-fit.ts). A pattern's /Matrix maps
 * pattern space to the default coordinate space of the page (ISO 32000-1 §8.7.3.1), not to
 * the space the content is drawn in, so the `cm` that turns and shrinks the page's content
 * leaves its patterns where they were: a gradient or a hatching (as Chrome, Cairo and office
 * charts write them) stayed unturned and unscaled behind the shapes it fills (found in
 * review). Patterns that form XObjects use follow the CTM the form is painted with, and move
 * with the page already.
 */
import { PDFDict, PDFName, PDFStream, type PDFContext, type PDFPage, type PDFRef } from 'pdf-lib';
import { copyWithMatrix, times, type Matrix } from './print-fit-matrix.js';

/**
 * At most this many bytes of pattern stream data copied for fitting in one composed file. A
 * copy shares its data with the original in memory, but the file holds each copy's data in
 * full: 10 000 landscape pages of one 100 KB hatching came to 1 GB, one of 450 KB crashed
 * the compose (found in review). Pages of one geometry share their copies, so a real letter
 * stays far below this; only a file of many page sizes and big patterns reaches it, and its
 * patterns beyond it are left as the sender had them (drawn unturned, unscaled) rather than
 * failing the compose.
 */
export const FIT_PATTERN_BYTES = 32 * 1024 * 1024;

/** At most this many fitted pattern copies in one composed file (tiny patterns × many page sizes), as above. */
export const FIT_PATTERN_COPIES = 10_000;

/** What the fitting has made for one composed file. */
interface Fitted {
  /** Fitted copies by original pattern, then by fit matrix. */
  readonly copies: Map<PDFStream | PDFDict, Map<string, PDFRef>>;
  /** Fitted /Pattern dictionaries by original one, then by fit matrix. */
  readonly dicts: Map<PDFDict, Map<string, PDFRef>>;
  bytes: number;
  count: number;
}

/** Per output document (its context): one compose builds one, so the cache and the bounds hold for the whole file. */
const fittedByDocument = new WeakMap<PDFContext, Fitted>();

function fittedFor(context: PDFContext): Fitted {
  let fitted = fittedByDocument.get(context);
  if (fitted === undefined) {
    fitted = { copies: new Map(), dicts: new Map(), bytes: 0, count: 0 };
    fittedByDocument.set(context, fitted);
  }
  return fitted;
}

/** `pattern` with the fit `m` (keyed `key`): the copy made for an earlier page of this fit, a new one, or, over the bounds, the original. */
function fittedPattern(
  context: PDFContext,
  fitted: Fitted,
  pattern: PDFStream | PDFDict,
  m: Matrix,
  key: string,
): PDFRef | undefined {
  let byMatrix = fitted.copies.get(pattern);
  const known = byMatrix?.get(key);
  if (known !== undefined) return known;
  const size = pattern instanceof PDFStream ? pattern.getContentsSize() : 0;
  if (fitted.count + 1 > FIT_PATTERN_COPIES || fitted.bytes + size > FIT_PATTERN_BYTES) return undefined;
  fitted.count += 1;
  fitted.bytes += size;
  const ref = copyWithMatrix(context, pattern, (matrix) => times(matrix, m));
  if (byMatrix === undefined) {
    byMatrix = new Map();
    fitted.copies.set(pattern, byMatrix);
  }
  byMatrix.set(key, ref);
  return ref;
}

/**
 * Gives `page` its own resources, naming a copy of each pattern in them with the fit `m`
 * added to the pattern's /Matrix. Copies, since the resources (inherited from the page tree,
 * or shared after copying) and the patterns may serve other pages too, an A4 page printed as
 * it is among them. Pages with the same fit share the copies and the /Pattern dictionary
 * naming them (one copy of a 100 KB hatching for 10 000 landscape pages, not 10 000); past
 * FIT_PATTERN_BYTES or FIT_PATTERN_COPIES a pattern is left as it is.
 */
export function fitPatterns(page: PDFPage, m: Matrix): void {
  const context = page.doc.context;
  const resources = page.node.Resources();
  const patterns = resources?.lookup(PDFName.of('Pattern'));
  if (resources === undefined || !(patterns instanceof PDFDict)) return;
  const fitted = fittedFor(context);
  const key = m.join(' ');
  let dicts = fitted.dicts.get(patterns);
  let own = dicts?.get(key);
  if (own === undefined) {
    const copy = patterns.clone(context);
    let changed = false;
    for (const [name, value] of patterns.entries()) {
      const pattern = context.lookup(value);
      if (!(pattern instanceof PDFStream || pattern instanceof PDFDict)) continue;
      const ref = fittedPattern(context, fitted, pattern, m, key);
      if (ref === undefined) continue;
      copy.set(name, ref);
      changed = true;
    }
    if (!changed) return;
    own = context.register(copy);
    if (dicts === undefined) {
      dicts = new Map();
      fitted.dicts.set(patterns, dicts);
    }
    dicts.set(key, own);
  }
  const withFitted = resources.clone(context);
  withFitted.set(PDFName.of('Pattern'), own);
  page.node.set(PDFName.of('Resources'), withFitted);
}
