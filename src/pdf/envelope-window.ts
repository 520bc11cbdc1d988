/**
 * Where the recipient's address goes on the cover page so it shows through the window of
 * a C5 window envelope (229 × 162 mm, window on the left) holding an A4 sheet folded once.
 *
 * Sources (checked 2025):
 * - Window on the sheet for Norwegian C5 window envelopes: 15 mm from the left edge, 44 mm
 *   from the top, 105 mm wide and 35 mm high (officeconsult.no, "Brevmaler: plassering av
 *   mottakerfelt i vinduskonvolutter"; the same page gives 15 mm / 39–44 mm for C6/5, E6/5
 *   and EC4, so this placement also fits those).
 * - Posten's rules for the address as print providers relay them (grafiskdigital.no
 *   "Maler"; 21grams.se "Adressera rätt i Norge"): 10–12 pt sans-serif (Arial, Verdana),
 *   single line spacing, no empty lines, straight left margin, light plain background with
 *   about 1 cm clear around the address; letter text no higher than 70 mm from the top
 *   because the sheet moves inside the envelope.
 * The sheet can shift a few millimetres in the envelope, so the address is inset 5 mm from
 * the window's left edge and 4 mm from its top, leaving at least 5 mm below and right.
 */

/** Millimetres to PDF points (1 pt = 1/72 inch). */
export const MM = 72 / 25.4;

/** A4 portrait in points. */
export const A4 = { width: 210 * MM, height: 297 * MM } as const;

/** The C5 window on the unfolded A4 sheet, millimetres from the sheet's top-left corner. */
export const C5_WINDOW_MM = { left: 15, top: 44, width: 105, height: 35 } as const;

/** The address block inside the window, millimetres from the sheet's top-left corner. */
export const ADDRESS_BLOCK_MM = {
  left: C5_WINDOW_MM.left + 5,
  top: C5_WINDOW_MM.top + 4,
  width: C5_WINDOW_MM.width - 10,
  height: C5_WINDOW_MM.height - 9,
} as const;

/** Posten: 10–12 pt; 10 pt fits six lines in the window. Shrunk (never below 8) only for a line too long. */
export const ADDRESS_FONT_SIZE = 10;
export const ADDRESS_MIN_FONT_SIZE = 8;
/** Single line spacing (Posten): 1.2 × the font size. */
export const ADDRESS_LEADING = 1.2;
/** Posten: name, up to three address lines, postcode line, country. */
export const ADDRESS_MAX_LINES = 6;

/** Where letter text may begin, in mm from the top: below the window with room for the sheet to move. */
export const BODY_TOP_MM = 92;

/** A rectangle in PDF user space (origin bottom-left, points). */
export interface PdfRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Converts a box given in mm from the sheet's top-left to PDF points from the bottom-left of A4. */
export function mmBoxToPdfRect(box: { left: number; top: number; width: number; height: number }): PdfRect {
  return {
    x: box.left * MM,
    y: A4.height - (box.top + box.height) * MM,
    width: box.width * MM,
    height: box.height * MM,
  };
}
