import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

/** The two faces the cover page uses. DejaVu covers Norwegian and Sámi letters (æøå, ŋ, č, đ, ŧ, á). */
export type FontFace = 'regular' | 'bold';

const FILES: Record<FontFace, string> = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' };

/** Deterministic subset tags (ISO 32000-1 §9.6.4: six capitals and '+'), so equal input gives equal bytes. */
const SUBSET_NAMES: Record<FontFace, string> = { regular: 'BUDBRA+DejaVuSans', bold: 'BUDBRB+DejaVuSans-Bold' };

const fileBytes = new Map<FontFace, Promise<Uint8Array>>();
type ParsedFont = ReturnType<typeof fontkit.create>;
const parsed = new WeakMap<Uint8Array, ParsedFont>();

/**
 * fontkit as pdf-lib calls it, but parsing each font file once per process: pdf-lib would
 * otherwise parse the 750 KB TTF again for every document. Subsets are still per document.
 */
const cachingFontkit = {
  create(buffer: Uint8Array, postscriptName?: string): ParsedFont {
    let font = parsed.get(buffer);
    if (font === undefined) {
      font = fontkit.create(buffer, postscriptName);
      parsed.set(buffer, font);
    }
    return font;
  },
};

/** The TTF bytes of a DejaVu Sans face, read from the `dejavu-fonts-ttf` package once per process. */
export function dejaVuSansBytes(face: FontFace = 'regular'): Promise<Uint8Array> {
  let bytes = fileBytes.get(face);
  if (bytes === undefined) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    bytes = readFile(join(dir, FILES[face])).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.length));
    // A failed read is not cached: the next caller tries again.
    bytes.catch(() => fileBytes.delete(face));
    fileBytes.set(face, bytes);
  }
  return bytes;
}

/** Embeds a subset of DejaVu Sans into `doc` (only the glyphs drawn end up in the file). */
export async function embedDejaVuSans(doc: PDFDocument, face: FontFace = 'regular'): Promise<PDFFont> {
  doc.registerFontkit(cachingFontkit);
  // Ligatures off: "fi" stays two glyphs, so text extraction and screen readers see plain letters.
  return doc.embedFont(await dejaVuSansBytes(face), { subset: true, customName: SUBSET_NAMES[face], features: { liga: false } });
}
