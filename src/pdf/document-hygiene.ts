/**
 * What compose does to a sender's document before copying its pages into the letter's
 * file (found in an audit; docs/interfaces.md §8):
 *
 * - **Forms are flattened.** copyPages copies pages, not the document's form (/AcroForm), so
 *   a filled-in field whose value a viewer draws from the form (NeedAppearances) printed
 *   blank. Flattening draws each field's value into its page first (pdf-lib regenerates
 *   the appearances, in DejaVu Sans for a value Helvetica cannot show, such as Sámi; where
 *   it cannot at all, the existing appearances are flattened as they are).
 * - **Active content goes.** A page's open/close actions (/AA), and link actions other than
 *   going to a web or e-mail address or a place in the file (JavaScript, Launch, SubmitForm,
 *   a `javascript:` or `file:` URI, …), would
 *   travel into the file the recipient opens; the payload of a file attachment would too.
 *   They are removed from the pages before the copy, so none of their objects is copied.
 *   The sender's original documents are kept as sent.
 */
import {
  PDFArray,
  PDFDict,
  PDFName,
  PDFDropdown,
  PDFOptionList,
  PDFStream,
  PDFTextField,
  type PDFField,
  type PDFForm,
  type PDFDocument,
  type PDFPage,
} from 'pdf-lib';
import { isSafeAction } from './active-content.js';
import { embedDejaVuSans } from './fonts.js';

/**
 * True for a dynamic XFA form (/NeedsRendering): its content is XML a viewer lays out, not
 * pages, which hold only a "please wait" notice. Refused at intake: it cannot be printed.
 */
export function isDynamicXfa(doc: PDFDocument): boolean {
  const needsRendering = doc.catalog.lookup(PDFName.of('NeedsRendering'));
  return needsRendering !== undefined && needsRendering.toString() === 'true';
}

/** Flattens the form and strips active content of every page of `doc`, in place. */
export async function prepareForCopy(doc: PDFDocument): Promise<void> {
  await flattenForm(doc);
  for (const page of doc.getPages()) stripActiveContent(doc, page);
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

/** What a field draws as text: a text field's value, a list's or dropdown's choices; nothing for buttons. */
function drawnValue(field: PDFField): string {
  if (field instanceof PDFTextField) return field.getText() ?? '';
  if (field instanceof PDFDropdown || field instanceof PDFOptionList)
    return [...field.getOptions(), '|', ...field.getSelected()].join('\u0000');
  return '';
}

function stripActiveContent(doc: PDFDocument, page: PDFPage): void {
  page.node.delete(PDFName.of('AA'));
  const annots = doc.context.lookup(page.node.get(PDFName.of('Annots')));
  if (!(annots instanceof PDFArray)) return;
  for (let i = 0; i < annots.size(); i++) {
    const found = doc.context.lookup(annots.get(i));
    // An annotation written as a stream object is read by viewers by its dictionary all the same.
    const annot = found instanceof PDFStream ? found.dict : found;
    if (!(annot instanceof PDFDict)) continue;
    annot.delete(PDFName.of('AA'));
    // A file attachment keeps its note, not its file.
    annot.delete(PDFName.of('FS'));
    const action = doc.context.lookup(annot.get(PDFName.of('A')));
    const safe = action instanceof PDFDict && isSafeAction(doc, action);
    if (action !== undefined && !safe) {
      annot.delete(PDFName.of('A'));
    } else if (action instanceof PDFDict) {
      // A safe action may chain others (/Next): those are not looked at, so they go.
      action.delete(PDFName.of('Next'));
    }
  }
}
