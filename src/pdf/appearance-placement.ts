/**
 * Where a widget's appearance lands when a form is flattened. Viewers map the appearance's
 * bounding box, as its /Matrix transforms it, onto the widget's /Rect (ISO 32000-1 §12.5.5,
 * Algorithm 8.1: scaled and moved to fit). pdf-lib's flatten draws it at the /Rect's corner
 * and no more, so an appearance whose box is not at the origin (some generators draw in page
 * coordinates) or is turned by its /Matrix (Acrobat's fields on a turned page) landed beside
 * its field or off the page, and its value was missing from the letter (found in review).
 * Such an appearance is wrapped in one whose box is the /Rect's size at the origin and which
 * draws the original with the mapping viewers use; what pdf-lib then draws is what they show.
 */
import {
  PDFArray,
  PDFCheckBox,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFRadioGroup,
  PDFRef,
  PDFStream,
  type PDFContext,
  type PDFForm,
  type PDFObject,
} from 'pdf-lib';

/** How far (in points) a mapped box may be off the /Rect before the appearance is wrapped. */
const TOLERANCE = 0.01;

/** Wraps every widget appearance of `form` that pdf-lib would place otherwise than viewers do. */
export function placeAppearancesAsViewersDo(form: PDFForm): void {
  const context = form.acroForm.dict.context;
  for (const field of form.getFields()) {
    for (const widget of field.acroField.getWidgets()) {
      const rect = boxOf(context, widget.dict.get(PDFName.of('Rect')));
      if (rect === undefined) continue;
      // Corners in the other order are the same rectangle (§7.9.5); pdf-lib draws from the first.
      widget.dict.set(PDFName.of('Rect'), context.obj([...rect]));
      const ap = context.lookup(widget.dict.get(PDFName.of('AP')));
      if (!(ap instanceof PDFDict)) continue;
      const normal = ap.get(PDFName.of('N'));
      const states = normal instanceof PDFRef ? context.lookup(normal) : normal;
      if (states instanceof PDFStream && normal instanceof PDFRef) {
        const wrapped = placed(context, normal, rect);
        // The widget's own /AP: another widget of another size may share the dictionary.
        if (wrapped !== undefined) widget.dict.set(PDFName.of('AP'), withEntry(ap, 'N', wrapped));
        continue;
      }
      // A button's states, each an appearance of its own.
      if (!(states instanceof PDFDict)) continue;
      let own: PDFDict | undefined;
      for (const [state, ref] of states.entries()) {
        if (!(ref instanceof PDFRef)) continue;
        const wrapped = placed(context, ref, rect);
        if (wrapped === undefined) continue;
        own ??= states.clone(context);
        own.set(state, wrapped);
      }
      if (own !== undefined) widget.dict.set(PDFName.of('AP'), withEntry(ap, 'N', own));
    }
  }
}

/** A copy of `dict` with `key` set to `value`: the original may be shared by other widgets. */
function withEntry(dict: PDFDict, key: string, value: PDFObject): PDFDict {
  const copy = dict.clone(dict.context);
  copy.set(PDFName.of(key), value);
  return copy;
}

/**
 * Each check box and radio widget drawn in the state it shows (/AS). pdf-lib's flatten takes
 * a widget's appearance by the field's value (/V), so radio kids sharing one appearance
 * dictionary, with the same on-state name, all printed chosen where viewers show one chosen
 * and the others off (found in review). Such a widget gets its own dictionary in which every
 * state, and the field's value, names the appearance of the state it shows.
 */
export function pinShownStates(form: PDFForm): void {
  const context = form.acroForm.dict.context;
  for (const field of form.getFields()) {
    if (!(field instanceof PDFCheckBox) && !(field instanceof PDFRadioGroup)) continue;
    const value = field.acroField.dict.get(PDFName.of('V'));
    for (const widget of field.acroField.getWidgets()) {
      const state = widget.dict.get(PDFName.of('AS'));
      const ap = context.lookup(widget.dict.get(PDFName.of('AP')));
      if (!(state instanceof PDFName) || !(ap instanceof PDFDict)) continue;
      const states = context.lookup(ap.get(PDFName.of('N')));
      const shown = states instanceof PDFDict ? states.get(state) : undefined;
      // No appearance for the state it is in: left as pdf-lib draws it.
      if (!(states instanceof PDFDict) || !(shown instanceof PDFRef)) continue;
      const pinned = states.clone(context);
      for (const key of [...pinned.keys(), PDFName.of('Off'), ...(value instanceof PDFName ? [value] : [])])
        pinned.set(key, shown);
      widget.dict.set(PDFName.of('AP'), withEntry(ap, 'N', pinned));
    }
  }
}

type Box = readonly [number, number, number, number];
type Matrix = readonly [number, number, number, number, number, number];

/** A wrapper of the appearance at `ref` that fits `rect` as viewers fit it; undefined when pdf-lib's placement is already theirs. */
function placed(context: PDFContext, ref: PDFRef, rect: Box): PDFRef | undefined {
  const stream = context.lookup(ref);
  if (!(stream instanceof PDFStream)) return undefined;
  const bbox = boxOf(context, stream.dict.get(PDFName.of('BBox')));
  if (bbox === undefined) return undefined;
  const matrix = matrixOf(context, stream.dict.get(PDFName.of('Matrix')));
  const [x0, y0, x1, y1] = mappedBox(bbox, matrix);
  const width = rect[2] - rect[0];
  const height = rect[3] - rect[1];
  if (x1 - x0 <= 0 || y1 - y0 <= 0 || width <= 0 || height <= 0) return undefined;
  const fits = [x0, y0, x1 - x0 - width, y1 - y0 - height].every((d) => Math.abs(d) <= TOLERANCE);
  if (fits) return undefined;
  const sx = width / (x1 - x0);
  const sy = height / (y1 - y0);
  const cm = [sx, 0, 0, sy, -x0 * sx, -y0 * sy].map((n) => Number(n.toFixed(6))).join(' ');
  const wrapper = context.stream(`q ${cm} cm /Placed Do Q`, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Matrix: [1, 0, 0, 1, 0, 0],
    Resources: { XObject: { Placed: ref } },
  });
  return context.register(wrapper);
}

/** The box of `box` once `m` maps it: the smallest upright box around its four corners. */
function mappedBox(box: Box, m: Matrix): Box {
  const corners = [
    [box[0], box[1]],
    [box[0], box[3]],
    [box[2], box[1]],
    [box[2], box[3]],
  ].map(([x, y]) => [
    m[0] * (x as number) + m[2] * (y as number) + m[4],
    m[1] * (x as number) + m[3] * (y as number) + m[5],
  ]);
  const xs = corners.map((c) => c[0] as number);
  const ys = corners.map((c) => c[1] as number);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** Four numbers as a box with its corners in order; undefined when it is no such array. */
function boxOf(context: PDFContext, value: unknown): Box | undefined {
  const numbers = numbersOf(context, value, 4);
  if (numbers === undefined) return undefined;
  const [a, b, c, d] = numbers as [number, number, number, number];
  return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
}

function matrixOf(context: PDFContext, value: unknown): Matrix {
  return (numbersOf(context, value, 6) as Matrix | undefined) ?? [1, 0, 0, 1, 0, 0];
}

function numbersOf(context: PDFContext, value: unknown, count: number): number[] | undefined {
  const array = value instanceof PDFRef ? context.lookup(value) : value;
  if (!(array instanceof PDFArray) || array.size() !== count) return undefined;
  const numbers: number[] = [];
  for (let i = 0; i < count; i++) {
    const n = context.lookup(array.get(i));
    if (!(n instanceof PDFNumber) || !Number.isFinite(n.asNumber())) return undefined;
    numbers.push(n.asNumber());
  }
  return numbers;
}
