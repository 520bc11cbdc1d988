/**
 * A form widget listed in the /Annots of more than one page is shown by viewers on each of
 * them. pdf-lib's flatten draws a widget on one page only (its /P, or the first page that
 * lists it) and deletes it, so the other pages lost the value (found in review). The widgets
 * on other pages are noted before the flatten and, once it has drawn them, drawn on those
 * pages too, from the appearance the flatten drew.
 */
import {
  drawObject,
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFRef,
  PDFStream,
  popGraphicsState,
  pushGraphicsState,
  translate,
  type PDFDocument,
  type PDFForm,
  type PDFPage,
} from 'pdf-lib';

/** A widget that a page other than the one pdf-lib flattens it on also lists. */
export interface WidgetElsewhere {
  readonly page: PDFPage;
  readonly ref: PDFRef;
  readonly widget: PDFDict;
}

/** The widgets of `form` that more than one page lists, with each page but the one pdf-lib draws them on. */
export function widgetsOnOtherPages(doc: PDFDocument, form: PDFForm): WidgetElsewhere[] {
  const listedOn = new Map<PDFRef, PDFPage[]>();
  for (const page of doc.getPages()) {
    const annots = doc.context.lookup(page.node.get(PDFName.of('Annots')));
    if (!(annots instanceof PDFArray)) continue;
    for (let i = 0; i < annots.size(); i++) {
      const ref = annots.get(i);
      if (!(ref instanceof PDFRef)) continue;
      const pages = listedOn.get(ref) ?? [];
      if (!pages.includes(page)) pages.push(page);
      listedOn.set(ref, pages);
    }
  }
  const found: WidgetElsewhere[] = [];
  for (const field of form.getFields()) {
    for (const widget of field.acroField.getWidgets()) {
      const ref = doc.context.getObjectRef(widget.dict);
      const pages = ref === undefined ? [] : (listedOn.get(ref) ?? []);
      if (ref === undefined || pages.length < 2) continue;
      // As pdf-lib chooses the page it flattens the widget on (PDFForm.findWidgetPage).
      const own = widget.P();
      const home = pages.find((p) => p.ref === own) ?? pages[0];
      for (const page of pages) if (page !== home) found.push({ page, ref, widget: widget.dict });
    }
  }
  return found;
}

/** Draws each widget the flatten took away on the other pages that listed it. */
export function drawOnOtherPages(doc: PDFDocument, elsewhere: readonly WidgetElsewhere[]): void {
  for (const { page, ref, widget } of elsewhere) {
    // Still there: the flatten left this field as it was (viewers show it as a widget).
    if (doc.context.lookup(ref) !== undefined) continue;
    const appearance = shownAppearance(doc, widget);
    const rect = doc.context.lookup(widget.get(PDFName.of('Rect')));
    if (appearance === undefined || !(rect instanceof PDFArray) || rect.size() !== 4) continue;
    const [x0, y0, x1, y1] = [0, 1, 2, 3].map((i) => {
      const n = doc.context.lookup(rect.get(i));
      return n instanceof PDFNumber ? n.asNumber() : Number.NaN;
    }) as [number, number, number, number];
    if (![x0, y0, x1, y1].every(Number.isFinite)) continue;
    const key = page.node.newXObject('FlatWidget', appearance);
    page.pushOperators(
      pushGraphicsState(),
      translate(Math.min(x0, x1), Math.min(y0, y1)),
      drawObject(key),
      popGraphicsState(),
    );
  }
}

/** The appearance a viewer shows for `widget`: its normal one, or for a button the state it is in (/AS). */
function shownAppearance(doc: PDFDocument, widget: PDFDict): PDFRef | undefined {
  const ap = doc.context.lookup(widget.get(PDFName.of('AP')));
  if (!(ap instanceof PDFDict)) return undefined;
  const normal = ap.get(PDFName.of('N'));
  const found = doc.context.lookup(normal);
  if (normal instanceof PDFRef && found instanceof PDFStream) return normal;
  if (!(found instanceof PDFDict)) return undefined;
  const state = widget.get(PDFName.of('AS'));
  const chosen = state instanceof PDFName ? found.get(state) : undefined;
  return chosen instanceof PDFRef && doc.context.lookup(chosen) instanceof PDFStream ? chosen : undefined;
}
