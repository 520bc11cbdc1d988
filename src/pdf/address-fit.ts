/**
 * Does the recipient's address fit the window envelope? The cover page shrinks the whole
 * block to 8 pt at the least and then cuts a line with "…" (forside.ts), and keeps only
 * six lines: checked at intake, so the sender hears of it (a warning in the letter's
 * history) instead of the letter going out with a cut address.
 */
import fontkit from '@pdf-lib/fontkit';
import type { PostAdresse } from '../domain/model.js';
import { ADDRESS_BLOCK_MM, ADDRESS_MAX_LINES, ADDRESS_MIN_FONT_SIZE, MM } from './envelope-window.js';
import { dejaVuSansBytes } from './fonts.js';
import { addressLines } from './forside.js';

/** The part of a fontkit font measuring needs. */
interface MeasuringFont {
  readonly unitsPerEm: number;
  layout(text: string, features?: Record<string, boolean>): { advanceWidth: number };
}

let measuring: Promise<MeasuringFont> | undefined;

/** DejaVu Sans parsed once per process for measuring (no glyphs are embedded from it). */
function measuringFont(): Promise<MeasuringFont> {
  measuring ??= dejaVuSansBytes('regular').then((bytes) => fontkit.create(bytes) as unknown as MeasuringFont);
  return measuring;
}

/** The warnings for an address that would be cut on paper; [] when it fits. */
export async function addressWarnings(adresse: PostAdresse | undefined): Promise<string[]> {
  if (adresse === undefined) return [];
  const font = await measuringFont();
  const maxWidth = ADDRESS_BLOCK_MM.width * MM;
  const widthOf = (text: string): number =>
    (font.layout(text, { liga: false, clig: false }).advanceWidth / font.unitsPerEm) * ADDRESS_MIN_FONT_SIZE;
  const warnings: string[] = [];
  const lines = addressLines(adresse);
  for (const line of lines) {
    if (widthOf(line) > maxWidth) {
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
