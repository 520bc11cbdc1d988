/**
 * What compose does to a sender's document before copying its pages into the letter's
 * file (found in an audit; docs/interfaces.md §8): forms are flattened. Active content is
 * taken out of the composed file afterwards (action-sweep.ts).
 *
 * - **Forms are flattened.** copyPages copies pages, not the document's form (/AcroForm), so
 *   a filled-in field whose value a viewer draws from the form (NeedAppearances) printed
 *   blank. Flattening draws each field's value into its page first (pdf-lib regenerates
 *   the appearances, in DejaVu Sans for a value Helvetica cannot show, such as Sámi; where
 *   it cannot at all, the existing appearances are flattened as they are). A widget its
 *   sender hid (annotation flags Hidden or NoView) is dropped, not drawn: a viewer never
 *   shows it, so neither does the letter. pdf-lib leaves a flattened field's widgets listed
 *   in /Annots after deleting them (it removes the appearance's reference, not the
 *   widget's), so references that lead nowhere are taken out of every page afterwards: a
 *   viewer would otherwise have to repair the file.
 */
import { constants, inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFBool,
  PDFCheckBox,
  PDFDict,
  PDFName,
  PDFDropdown,
  PDFFlateStream,
  PDFOptionList,
  PDFRadioGroup,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFTextField,
  type PDFField,
  type PDFForm,
  type PDFDocument,
  type PDFWidgetAnnotation,
} from 'pdf-lib';
import { pinShownStates, placeAppearancesAsViewersDo } from './appearance-placement.js';
import { drawOnOtherPages, widgetsOnOtherPages, type WidgetElsewhere } from './shared-widgets.js';
import { embedDejaVuSans } from './fonts.js';

/**
 * True for a dynamic XFA form (/NeedsRendering): its content is XML a viewer lays out, not
 * pages, which hold only a "please wait" notice. Refused at intake: it cannot be printed.
 */
export function isDynamicXfa(doc: PDFDocument): boolean {
  const needsRendering = doc.catalog.lookup(PDFName.of('NeedsRendering'));
  return needsRendering !== undefined && needsRendering.toString() === 'true';
}

/**
 * Flattens the form of `doc`, in place, before its pages are copied. Active content is taken
 * out of the composed file as a whole afterwards (action-sweep.ts).
 */
export async function prepareForCopy(doc: PDFDocument): Promise<void> {
  await flattenForm(doc);
}

async function flattenForm(doc: PDFDocument): Promise<void> {
  if (doc.catalog.get(PDFName.of('AcroForm')) === undefined) return;
  let form: PDFForm;
  try {
    form = doc.getForm();
    if (form.getFields().length === 0) return;
  } catch {
    // A form pdf-lib cannot read (a number among /Fields, a field that is its own kid): its
    // pages are copied as they are, as intake, which does not read the form, let them pass.
    return;
  }
  try {
    dropHiddenWidgets(doc, form);
  } catch {
    // A field whose widgets pdf-lib cannot list: flattened as it is, below, or not at all.
  }
  let elsewhere: WidgetElsewhere[] = [];
  try {
    elsewhere = widgetsOnOtherPages(doc, form);
  } catch {
    // Widgets pdf-lib cannot list: each drawn on one page, as pdf-lib draws it.
  }
  await drawFields(doc, form);
  drawOnOtherPages(doc, elsewhere);
  dropDanglingAnnotations(doc);
}

/** Annotation flags a viewer shows nothing for (ISO 32000-1 §12.5.3): Hidden (bit 2), NoView (bit 6). */
const NOT_SHOWN = (1 << 1) | (1 << 5);

/** Takes the widgets flagged Hidden or NoView, or without area, out of their fields and pages; a field with no other widget goes. */
function dropHiddenWidgets(doc: PDFDocument, form: PDFForm): void {
  const dropped = new Set<PDFDict>();
  for (const field of form.getFields()) {
    const widgets = field.acroField.getWidgets();
    const hidden = widgets
      .map((widget, i) => ({ widget, i }))
      .filter((w) => (w.widget.getFlags() & NOT_SHOWN) !== 0 || hasNoArea(w.widget));
    if (hidden.length === 0) continue;
    for (const { widget } of hidden) dropped.add(widget.dict);
    if (hidden.length === widgets.length) form.acroForm.removeField(field.acroField);
    else for (const { i } of hidden.reverse()) field.acroField.removeWidget(i);
  }
  if (dropped.size > 0) filterAnnotations(doc, (found) => !(found instanceof PDFDict && dropped.has(found)));
}

/** A widget whose rectangle has no width or no height (an invisible signature): viewers draw nothing for it. */
function hasNoArea(widget: PDFWidgetAnnotation): boolean {
  const { width, height } = widget.getRectangle();
  return width === 0 || height === 0;
}

/** Takes out of every page's /Annots the references to objects that are no longer there. */
function dropDanglingAnnotations(doc: PDFDocument): void {
  filterAnnotations(doc, (found) => found !== undefined);
}

/** Keeps in every page's /Annots the entries for whose object `keep` is true. */
function filterAnnotations(doc: PDFDocument, keep: (found: unknown) => boolean): void {
  for (const page of doc.getPages()) {
    const annots = doc.context.lookup(page.node.get(PDFName.of('Annots')));
    if (!(annots instanceof PDFArray)) continue;
    for (let i = annots.size() - 1; i >= 0; i--) {
      const entry = annots.get(i);
      if (!keep(entry instanceof PDFRef ? doc.context.lookup(entry) : entry)) annots.remove(i);
    }
  }
}

/**
 * A check box's or radio group's value as its widgets show it. Viewers draw a widget's
 * appearance state (/AS); pdf-lib's flatten picks the appearance by the field's value (/V):
 * a radio group whose /V said "Avslag" while its widgets showed "Innvilget" printed the other
 * choice than the screen showed (found in a review). Where the widgets show one choice, the
 * value is set to it; where they show none, to Off; where they disagree, it is left.
 */
function valuesAsShown(form: PDFForm): void {
  for (const field of form.getFields()) {
    if (!(field instanceof PDFRadioGroup) && !(field instanceof PDFCheckBox)) continue;
    const shown = new Set<string>();
    for (const widget of field.acroField.getWidgets()) {
      const state = widget.getAppearanceState();
      if (state !== undefined && state !== PDFName.of('Off')) shown.add(state.decodeText());
    }
    if (shown.size > 1) continue;
    const [on] = shown;
    field.acroField.dict.set(PDFName.of('V'), PDFName.of(on ?? 'Off'));
  }
}

/** Draws every field's appearance into its page and removes the form, as well as pdf-lib can. */
async function drawFields(doc: PDFDocument, form: PDFForm): Promise<void> {
  try {
    valuesAsShown(form);
  } catch {
    // A field pdf-lib cannot read: its value stays as given.
  }
  try {
    redrawWhereViewersDo(form);
  } catch {
    // A field pdf-lib cannot read: its appearance is drawn as it is.
  }
  try {
    placeAppearancesAsViewersDo(form);
  } catch {
    // A widget pdf-lib cannot read: placed as pdf-lib places it.
  }
  try {
    pinShownStates(form);
  } catch {
    // A button pdf-lib cannot read: drawn in the state its field's value names.
  }
  try {
    form.flatten();
    return;
  } catch {
    // A value Helvetica cannot show (WinAnsi: no Sámi ŋ, š, č, đ, ŧ, ž, no Greek or
    // Cyrillic): drawn with DejaVu Sans, the cover's font, which has them.
  }
  try {
    // The subset's tag is derived from this: every value drawn in the font, so two forms in
    // one letter with other values get other tags (and subsets).
    const values = form.getFields().map((field) => `${field.getName()}=${drawnValue(field)}`);
    const font = await embedDejaVuSans(doc, 'regular', `skjema:${values.join('\u0000')}`);
    form.updateFieldAppearances(font);
    form.flatten({ updateFieldAppearances: false });
    // The font's objects are written at flush: the copied pages refer to them.
    await doc.flush();
    return;
  } catch {
    // Not even DejaVu Sans has the value's characters, or the form is broken.
  }
  try {
    form.flatten({ updateFieldAppearances: false });
  } catch {
    // A form pdf-lib cannot flatten at all: its pages are copied as they are.
  }
}

/**
 * With `/NeedAppearances true` viewers build every text and choice field's appearance from
 * its value (ISO 32000-1 §12.7.2): LibreOffice writes empty placeholders (`/Tx BMC EMC`) and
 * the values only in /V, and pdf-lib, which redraws only fields it marks dirty, printed them
 * blank (found in review). A field with a value whose widget shows no text is marked here.
 * One whose appearance does show text keeps it: pdf-lib would redraw it in Helvetica, not in
 * the font its /DA names as viewers do, and a value in a narrower font was cut off (review).
 * A password field's value is never drawn (Table 228: not echoed in visible form), and
 * pdf-lib cannot mask it: its value is taken out of the copy, so a widget without an
 * appearance draws empty and one with an appearance (Acrobat's asterisks) keeps it (review).
 */
function redrawWhereViewersDo(form: PDFForm): void {
  const need = form.acroForm.dict.lookup(PDFName.of('NeedAppearances'));
  const viewersDraw = need instanceof PDFBool && need.asBoolean();
  for (const field of form.getFields()) {
    if (field instanceof PDFTextField && field.isPassword()) {
      field.acroField.dict.delete(PDFName.of('V'));
      continue;
    }
    const drawsValue = field instanceof PDFTextField || field instanceof PDFDropdown || field instanceof PDFOptionList;
    if (viewersDraw && drawsValue && drawnValue(field) !== '' && field.acroField.getWidgets().some(showsNoText))
      form.markFieldAsDirty(field.ref);
  }
}

/** Operators that show text, or draw another object that may: an appearance without them shows no value. */
const SHOWS_TEXT = /T[jJ]|Do|['"]/;

/**
 * The most of an appearance's content read to see whether it shows text. An appearance is a
 * few KB; a FlateDecode stream of a GiB of spaces (1.5 MB in the file) was inflated whole,
 * 5.7 GB of memory on the PDF thread while every other letter's check waited (found in review).
 */
const MAX_APPEARANCE_BYTES = 4 * 1024 * 1024;

/**
 * True when the widget has no normal appearance, or one whose content shows no text. One that
 * cannot be read within MAX_APPEARANCE_BYTES, or through filters other than FlateDecode, counts
 * as showing none: the value is drawn anew, as a viewer would.
 */
function showsNoText(widget: PDFWidgetAnnotation): boolean {
  const ap = widget.dict.context.lookup(widget.dict.get(PDFName.of('AP')));
  const normal = ap instanceof PDFDict ? ap.get(PDFName.of('N')) : undefined;
  const stream = normal instanceof PDFRef ? widget.dict.context.lookup(normal) : normal;
  if (!(stream instanceof PDFStream)) return stream === undefined;
  const bytes =
    stream instanceof PDFRawStream
      ? boundedContent(stream)
      : stream instanceof PDFFlateStream
        ? stream.getUnencodedContents()
        : stream.getContents();
  return bytes === undefined || !SHOWS_TEXT.test(Buffer.from(bytes).toString('latin1'));
}

/** A parsed stream's content, inflated up to MAX_APPEARANCE_BYTES; undefined when it cannot be. */
export function boundedContent(stream: PDFRawStream): Uint8Array | undefined {
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter === undefined ? [] : [filter];
  const names = filters.map((f) => (f instanceof PDFName ? f.asString() : ''));
  if (names.length === 0) return stream.getContents();
  if (names.length > 1 || (names[0] !== '/FlateDecode' && names[0] !== '/Fl')) return undefined;
  try {
    return inflateSync(stream.getContents(), {
      maxOutputLength: MAX_APPEARANCE_BYTES,
      finishFlush: constants.Z_SYNC_FLUSH,
    });
  } catch {
    return undefined;
  }
}

/** What a field draws as text: a text field's value, a list's or dropdown's choices; nothing for buttons. */
function drawnValue(field: PDFField): string {
  if (field instanceof PDFTextField) return field.getText() ?? '';
  if (field instanceof PDFDropdown || field instanceof PDFOptionList)
    return [...field.getOptions(), '|', ...field.getSelected()].join('\u0000');
  return '';
}
