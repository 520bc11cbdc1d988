/**
 * Pattern fills on a print page fitted onto A4 (print-page-fit.ts). A pattern's /Matrix maps
 * pattern space to the default coordinate space of the page (ISO 32000-1 §8.7.3.1), not to
 * the space the content is drawn in, so the `cm` that turns and shrinks the page's content
 * leaves its patterns where they were: a gradient or a hatching (as Chrome, Cairo and office
 * charts write them) stayed unturned and unscaled behind the shapes it fills (found in
 * review). Patterns that form XObjects use follow the CTM the form is painted with, and move
 * with the page already.
 */
import { PDFDict, PDFName, PDFStream, type PDFPage } from 'pdf-lib';
import { copyWithMatrix, times, type Matrix } from './print-fit-matrix.js';

/**
 * Gives `page` its own resources and its own copy of each pattern in them, with the fit `m`
 * added to the pattern's /Matrix. Copies, since the resources (inherited from the page tree,
 * or shared after copying) and the patterns may serve other pages too.
 */
export function fitPatterns(page: PDFPage, m: Matrix): void {
  const context = page.doc.context;
  const resources = page.node.Resources();
  const patterns = resources?.lookup(PDFName.of('Pattern'));
  if (resources === undefined || !(patterns instanceof PDFDict)) return;
  const own = patterns.clone(context);
  for (const [name, value] of patterns.entries()) {
    const pattern = context.lookup(value);
    if (pattern instanceof PDFStream || pattern instanceof PDFDict)
      own.set(
        name,
        copyWithMatrix(context, pattern, (matrix) => times(matrix, m)),
      );
  }
  const fitted = resources.clone(context);
  fitted.set(PDFName.of('Pattern'), own);
  page.node.set(PDFName.of('Resources'), fitted);
}
