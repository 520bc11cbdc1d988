/**
 * Does the recipient's address fit the window envelope? The cover page shrinks the whole
 * block to 8 pt at the least and then cuts a line with "…" (forside.ts), and keeps only
 * six lines: checked at intake, so the sender hears of it (a warning in the letter's
 * history) instead of the letter going out with a cut address.
 */
import fontkit from '@pdf-lib/fontkit';
import type { FieldProblem } from '../domain/errors.js';
import type { PostAdresse } from '../domain/model.js';
import { problem } from '../domain/validation/problem.js';
import { ADDRESS_BLOCK_MM, ADDRESS_MAX_LINES, ADDRESS_MIN_FONT_SIZE, MM } from './envelope-window.js';
import { dejaVuSansBytes } from './fonts.js';
import { addressLines, LINE_BREAK } from './forside.js';

/** The part of a fontkit font measuring needs. */
export interface MeasuringFont {
  readonly unitsPerEm: number;
  layout(text: string, features?: Record<string, boolean>): { advanceWidth: number };
  glyphForCodePoint(codePoint: number): { readonly advanceWidth: number };
  hasGlyphForCodePoint(codePoint: number): boolean;
}

/**
 * What kerning and glyph substitutions may add to a line's width, per character, over the
 * sum of its glyphs' advances: far more than they do (DejaVu Sans: at most +0.074 em for any
 * pair of the 527 characters it has below U+0250, measured with fontkit's layout).
 */
const SLACK_EM_PER_CHARACTER = 0.25;

let measuring: Promise<MeasuringFont> | undefined;

/** DejaVu Sans parsed once per process for measuring (no glyphs are embedded from it). */
export function measuringFont(): Promise<MeasuringFont> {
  measuring ??= dejaVuSansBytes('regular').then((bytes) => fontkit.create(bytes) as unknown as MeasuringFont);
  return measuring;
}

/**
 * True when `line` fits the address block at the smallest font size. A line whose advances
 * with the slack above fit is not laid out (fontkit's layout, with its substitution and
 * positioning tables, cost ~4 % of a node's main thread at intake); one near the edge is.
 */
export function fitsAddressBlock(font: MeasuringFont, line: string): boolean {
  const maxUnits = ((ADDRESS_BLOCK_MM.width * MM) / ADDRESS_MIN_FONT_SIZE) * font.unitsPerEm;
  let bound = 0;
  for (const character of line) {
    bound +=
      font.glyphForCodePoint(character.codePointAt(0) ?? 0).advanceWidth + SLACK_EM_PER_CHARACTER * font.unitsPerEm;
  }
  if (bound <= maxUnits) return true;
  return font.layout(line, { liga: false, clig: false }).advanceWidth <= maxUnits;
}

/** The warnings for an address that would be cut on paper; [] when it fits. */
export async function addressWarnings(adresse: PostAdresse | undefined): Promise<string[]> {
  if (adresse === undefined) return [];
  const font = await measuringFont();
  const warnings: string[] = [];
  const lines = addressLines(adresse);
  for (const line of lines) {
    if (!fitsAddressBlock(font, line)) {
      warnings.push(
        `Adresselinjen «${line}» er for lang for vinduet i konvolutten og blir forkortet på papir; kort den inn`,
      );
    }
  }
  if (lines.length > ADDRESS_MAX_LINES) {
    warnings.push(
      `Adressen har ${lines.length} linjer; vinduet i konvolutten rommer ${ADDRESS_MAX_LINES}, så linjer i midten blir utelatt på papir`,
    );
  }
  return warnings;
}

/**
 * Scripts written right to left or joined letter to letter: the cover page draws text glyph
 * by glyph, left to right, so such an address would come out reversed and unjoined.
 */
const UNDRAWABLE_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;

/**
 * Characters that print as nothing or steer the text: format characters (zero-width spaces and
 * joiners, direction marks, soft hyphen, BOM) and controls other than the tab. A postnummer or
 * country so written read otherwise than it looks (found in review: "Norge" + U+200B passed as
 * a foreign country, and the letter printed without a postnummer).
 */
const INVISIBLE = /[\p{Cf}\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]/u;

/** A character as U+XXXX. */
function codeOf(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The address fields the cover page prints, in the order it prints them. */
const PRINTED_FIELDS = ['navn', 'adresse1', 'adresse2', 'adresse3', 'postnr', 'poststed', 'land'] as const;

/**
 * The address fields the cover page cannot print legibly: a line break, a character its font (DejaVu Sans)
 * has no glyph for, which would print as an empty box, or one of a script it would draw
 * reversed (found in a review: a name in CJK printed as two boxes, Arabic reversed). The post
 * cannot deliver a letter whose window address it cannot read, so intake refuses it.
 */
export async function unprintableAddressProblems(
  adresse: PostAdresse | undefined,
  path: string,
): Promise<FieldProblem[]> {
  if (adresse === undefined) return [];
  const font = await measuringFont();
  const problems: FieldProblem[] = [];
  for (const field of PRINTED_FIELDS) {
    const value = adresse[field];
    if (value === undefined) continue;
    // Messages read "<reason>: <field> …" (problem()), so each door names the field in its own words.
    if (LINE_BREAK.test(value)) {
      problems.push(
        problem(
          `${path}.${field}`,
          'Ugyldig adresse',
          'inneholder et linjeskift, som ikke er tillatt: hvert adressefelt er én linje i vinduet på konvolutten (bruk adresse1, adresse2 og adresse3 for flere linjer)',
        ),
      );
      continue;
    }
    const invisible = INVISIBLE.exec(value)?.[0];
    if (invisible !== undefined) {
      problems.push(
        problem(
          `${path}.${field}`,
          'Ugyldig tegn',
          `inneholder et usynlig tegn (${codeOf(invisible)}), som ikke hører hjemme i en adresse på konvolutten`,
        ),
      );
      continue;
    }
    const bad = [...value].find((ch) => {
      const codePoint = ch.codePointAt(0) ?? 0;
      return UNDRAWABLE_SCRIPT.test(ch) || (!/\s/u.test(ch) && !font.hasGlyphForCodePoint(codePoint));
    });
    if (bad === undefined) continue;
    const code = codeOf(bad);
    problems.push(
      problem(
        `${path}.${field}`,
        'Ugyldig tegn',
        `inneholder tegnet «${bad}» (${code}), som ikke kan skrives ut i adressefeltet på konvolutten; bruk latinske bokstaver`,
      ),
    );
  }
  return problems;
}
