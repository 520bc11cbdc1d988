import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { PostAdresse } from '../domain/model.js';
import { oneLine } from '../domain/envelope-address.js';
import { namesNorway } from '../domain/validation/address-rules.js';
import type { Avsender } from '../storage/ports.js';
import {
  A4,
  ADDRESS_BLOCK_MM,
  ADDRESS_FONT_SIZE,
  ADDRESS_LEADING,
  ADDRESS_MAX_LINES,
  ADDRESS_MIN_FONT_SIZE,
  BODY_TOP_MM,
  MM,
} from './envelope-window.js';
import { embedDejaVuSans, type FontFace } from './fonts.js';
import { measureWith, wrapText } from './text-layout.js';

/** What the cover page shows. */
export interface ForsideInput {
  /**
   * The avsender's configured cover: name, address lines, postnr, poststed, cover text; or, for
   * name and address, the letter's svarSendesTil, which may be abroad (`land`).
   */
  readonly avsender: Avsender['forside'] & { readonly land?: string };
  readonly mottaker: PostAdresse;
  readonly tittel: string;
  /** Epoch ms; printed as dd.MM.yyyy in Europe/Oslo. Passed in, never read from a clock. */
  readonly dato: number;
  /** Only on the printed copy: why the letter came on paper (PAPIR_MERKNAD). */
  readonly papirmerknad?: string;
}

/**
 * Why a letter came on paper. It belongs on the printed copy only: the digital copy (the
 * forsendelsesfil a recipient opens or downloads) never says it was not opened digitally.
 */
export const PAPIR_MERKNAD =
  'Brevet ble først gjort tilgjengelig digitalt. Fordi det ikke ble åpnet digitalt, eller fordi du har reservert deg mot digital post, får du det på papir.';

/**
 * Why a letter came on paper, as its printed cover says it: one made available digitally and
 * not opened within its deadline, or one that could not be delivered digitally at all
 * (reserved, not in KRR, no contact information, no fødselsnummer): PAPIR_MERKNAD, which
 * said both at once, was wrong for each.
 */
export const PAPIR_MERKNADER = {
  ulest: 'Brevet ble gjort tilgjengelig digitalt, men ble ikke åpnet innen fristen. Derfor får du det på papir.',
  straks:
    'Brevet kunne ikke leveres digitalt til deg, for eksempel fordi du har reservert deg mot digital post eller ikke har registrert kontaktinformasjon. Derfor får du det på papir.',
} as const;

/**
 * The avsender's cover text without the paper explanation, which earlier versions kept in
 * the default cover text itself (so avsendere created then still carry it).
 */
export function utenPapirmerknad(tekst: string): string {
  return tekst
    .replace(PAPIR_MERKNAD, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** The cover of one variant: the digital one without the paper explanation, the printed one with `merknad`. */
export function forsideFor(
  input: ForsideInput,
  variant: 'digital' | 'print',
  merknad: string = PAPIR_MERKNAD,
): ForsideInput {
  const avsender = { ...input.avsender, tekst: utenPapirmerknad(input.avsender.tekst) };
  return variant === 'print' ? { ...input, avsender, papirmerknad: merknad } : { ...input, avsender };
}

const MARGIN_X = 20 * MM;
const MARGIN_BOTTOM = 20 * MM;
const TEXT_WIDTH = A4.width - 2 * MARGIN_X;
const BLACK = rgb(0, 0, 0);

const DATE_FORMAT = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/**
 * Word widths per face, shared by every cover this process draws: each avsender's cover
 * text is the same on all its letters, and measuring a word runs fontkit's layout. Emptied
 * when large, so a long-running node holds at most a few hundred KB.
 */
const WIDTHS: Record<FontFace, Map<string, number>> = { regular: new Map(), bold: new Map() };
const MAX_SHARED_WIDTHS = 20_000;

function sharedWidths(face: FontFace): Map<string, number> {
  const widths = WIDTHS[face];
  if (widths.size > MAX_SHARED_WIDTHS) widths.clear();
  return widths;
}

/** Renders the cover page (forside) as a PDF of its own: one A4 page, more if the cover text is long. */
export async function renderForside(input: ForsideInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  await drawForside(doc, input);
  return doc.save({ useObjectStreams: false });
}

/**
 * Draws the cover page into `doc` and returns the pages added. Composing uses this directly,
 * so the cover is never saved and parsed again on its way into the forsendelsesfil.
 */
export async function drawForside(doc: PDFDocument, input: ForsideInput): Promise<PDFPage[]> {
  const key = JSON.stringify(input);
  const regular = await embedDejaVuSans(doc, 'regular', key);
  const bold = await embedDejaVuSans(doc, 'bold', key);
  const page = doc.addPage([A4.width, A4.height]);
  const pages = [page];

  const dato = `Dato: ${DATE_FORMAT.format(input.dato)}`;
  drawSender(page, input.avsender, regular, bold, TEXT_WIDTH - regular.widthOfTextAtSize(dato, 10) - 6 * MM);
  page.drawText(dato, {
    x: A4.width - MARGIN_X - regular.widthOfTextAtSize(dato, 10),
    y: A4.height - 15 * MM - 10,
    size: 10,
    font: regular,
    color: BLACK,
  });
  drawAddress(page, mottakerLines(input.mottaker), regular);

  // Title and cover text below the window (BODY_TOP_MM), flowing onto more pages if needed.
  let y = A4.height - BODY_TOP_MM * MM;
  let current = page;
  const flow = (lines: string[], font: PDFFont, size: number, leading: number): void => {
    for (const line of lines) {
      if (y - leading < MARGIN_BOTTOM) {
        current = doc.addPage([A4.width, A4.height]);
        pages.push(current);
        y = A4.height - 25 * MM;
      }
      y -= leading;
      if (line !== '') current.drawText(line, { x: MARGIN_X, y, size, font, color: BLACK });
    }
  };
  flow(wrapText(input.tittel, measureWith(bold, 14, sharedWidths('bold')), TEXT_WIDTH), bold, 14, 18);
  y -= 10;
  flow(wrapText(input.avsender.tekst, measureWith(regular, 11, sharedWidths('regular')), TEXT_WIDTH), regular, 11, 15);
  if (input.papirmerknad !== undefined) {
    y -= 10;
    flow(wrapText(input.papirmerknad, measureWith(regular, 11, sharedWidths('regular')), TEXT_WIDTH), regular, 11, 15);
  }
  return pages;
}

/**
 * The letterhead, top left, ending well above the window (it must not show through it). Each
 * line is one line, cut to its width: a letter's svarSendesTil is the sender's text, and a line
 * break in it printed over the recipient's address, a long name over the date (found in review).
 */
function drawSender(
  page: PDFPage,
  avsender: ForsideInput['avsender'],
  regular: PDFFont,
  bold: PDFFont,
  nameWidth: number,
): void {
  let y = A4.height - 15 * MM - 12;
  page.drawText(fitLine(oneLine(avsender.navn), bold, 12, nameWidth), {
    x: MARGIN_X,
    y,
    size: 12,
    font: bold,
    color: BLACK,
  });
  // Name plus five lines end about 39 mm from the top, clear of the window at 44 mm.
  const land = oneLine(avsender.land);
  const lines = [
    ...avsender.adresselinjer
      .map((l) => oneLine(l))
      .filter((l) => l !== '')
      .slice(0, 3),
    `${oneLine(avsender.postnr)} ${oneLine(avsender.poststed)}`.trim(),
    ...(land === '' || namesNorway(land) ? [] : [countryLine(land)]),
  ];
  for (const line of lines) {
    y -= 11;
    page.drawText(fitLine(line, regular, 9, TEXT_WIDTH), { x: MARGIN_X, y, size: 9, font: regular, color: BLACK });
  }
}

/**
 * The recipient's address as Posten wants it (see envelope-window.ts): no empty lines, the
 * postcode line, and for a foreign address the country in capitals on the last line.
 */
export function mottakerLines(adresse: PostAdresse): string[] {
  const lines = addressLines(adresse);
  // More than fits the window: keep the name and the last lines (postcode, country), which sorting needs.
  if (lines.length > ADDRESS_MAX_LINES) return [lines[0]!, ...lines.slice(lines.length - (ADDRESS_MAX_LINES - 1))];
  return lines;
}

/** Every line of the address, before any is left out to fit the window. */
export function addressLines(adresse: PostAdresse): string[] {
  const lines = [adresse.navn, adresse.adresse1, adresse.adresse2, adresse.adresse3]
    .map((l) => oneLine(l))
    .filter((l) => l !== '');
  const postLine = `${oneLine(adresse.postnr)} ${oneLine(adresse.poststed)}`.trim();
  if (postLine !== '') lines.push(postLine);
  const land = oneLine(adresse.land);
  if (!namesNorway(land)) lines.push(countryLine(land));
  return lines;
}

const COUNTRY_NAMES = new Intl.DisplayNames(['nb'], { type: 'region', fallback: 'none' });

/**
 * The envelope's last line for a foreign address: the country's name in capitals. REST v3
 * gives only an ISO 3166-1 alpha-2 `landkode`, which the post does not sort by: "SE" is
 * printed as SVERIGE (found in review: it was printed as SE). Anything else as the sender
 * wrote it.
 */
function countryLine(land: string): string {
  const code = land.toUpperCase();
  const name = /^[A-Z]{2}$/.test(code) && !NOT_A_COUNTRY.test(code) ? COUNTRY_NAMES.of(code) : undefined;
  return (name ?? land).toUpperCase();
}

/**
 * Two letters ICU names that are no country to post to: ISO 3166-1's user-assigned codes (AA,
 * QM–QZ, XA–XZ, ZZ: "ukjent område", pseudo-locales) but XK, which Kosovo uses, and the
 * reserved EU, EZ and UN (found in review). As the sender wrote them.
 */
const NOT_A_COUNTRY = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN)$/;

/**
 * Line breaks (CR, LF, VT, FF, NEL, the Unicode line and paragraph separators): each address
 * field is one line in the window, so a break inside one would print its rest over the next
 * line, or below the window (review of 7 December 2026). Intake refuses them in a printed
 * address (address-fit.ts).
 */
export const LINE_BREAK = /[\n\v\f\r\u0085\u2028\u2029]/u;

/** Each address line is its own text object at a fixed position inside the window. */
function drawAddress(page: PDFPage, lines: readonly string[], font: PDFFont): void {
  const maxWidth = ADDRESS_BLOCK_MM.width * MM;
  const widest = Math.max(...lines.map((l) => font.widthOfTextAtSize(l, ADDRESS_FONT_SIZE)));
  // One size for the whole block (Posten); shrink only when a line would leave the window.
  const size =
    widest <= maxWidth ? ADDRESS_FONT_SIZE : Math.max(ADDRESS_MIN_FONT_SIZE, (ADDRESS_FONT_SIZE * maxWidth) / widest);
  const x = ADDRESS_BLOCK_MM.left * MM;
  let y = A4.height - ADDRESS_BLOCK_MM.top * MM - font.heightAtSize(size, { descender: false });
  for (const line of lines) {
    page.drawText(fitLine(line, font, size, maxWidth), { x, y, size, font, color: BLACK });
    y -= size * ADDRESS_LEADING;
  }
}

/**
 * Cuts a line that is still too wide at the smallest size, so nothing prints outside the
 * window. Linear in the line's length: the cut is found from per-character widths summed
 * once (each distinct character measured once), then trimmed with real measurements of a
 * line that already about fits; never one full measurement per character dropped.
 */
export function fitLine(line: string, font: PDFFont, size: number, maxWidth: number): string {
  if (font.widthOfTextAtSize(line, size) <= maxWidth) return line;
  const budget = maxWidth - font.widthOfTextAtSize('…', size);
  const charWidths = new Map<string, number>();
  let width = 0;
  let end = 0;
  for (const ch of line) {
    let w = charWidths.get(ch);
    if (w === undefined) {
      w = font.widthOfTextAtSize(ch, size);
      charWidths.set(ch, w);
    }
    if (end > 0 && width + w > budget) break;
    width += w;
    end += ch.length;
  }
  let cut = line.slice(0, end);
  // Kerning may make the sum a little off: trim the few characters it costs.
  while (cut.length > 1 && font.widthOfTextAtSize(`${cut}…`, size) > maxWidth) cut = cut.slice(0, -1);
  return `${cut}…`;
}
