import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

/** The two faces the cover page uses. DejaVu covers Norwegian and Sámi letters (æøå, ŋ, č, đ, ŧ, á). */
export type FontFace = 'regular' | 'bold';

const FILES: Record<FontFace, string> = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' };

/** Ligatures off: "fi" stays two glyphs, so /ToUnicode maps each glyph to one letter (copy, search, screen readers). */
const LAYOUT_FEATURES = { liga: false, clig: false } as const;

const POSTSCRIPT_NAMES: Record<FontFace, string> = { regular: 'DejaVuSans', bold: 'DejaVuSans-Bold' };

const fileBytes = new Map<FontFace, Promise<Uint8Array>>();

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

/**
 * Embeds a subset of DejaVu Sans into `doc` (only the glyphs drawn end up in the file).
 * `contentKey` names what will be drawn (e.g. the cover's input): the subset tag is derived
 * from it, so equal content gives equal bytes and different subsets get different tags.
 */
export async function embedDejaVuSans(doc: PDFDocument, face: FontFace, contentKey: string): Promise<PDFFont> {
  // The file is read once per process but parsed per document (~2 ms, plus ~10 ms for the
  // first layout). One parsed fontkit Font shared across documents keeps glyph state between
  // them: a test caught a later cover's /ToUnicode missing "A" and "s" after an earlier cover
  // with "Áššit", so output depended on process history. fontkit also writes its defaults
  // into the features object, hence a fresh copy each time.
  doc.registerFontkit(fontkit);
  return doc.embedFont(await dejaVuSansBytes(face), { subset: true, customName: subsetName(face, contentKey), features: { ...LAYOUT_FEATURES } });
}

/**
 * ISO 32000-1 §9.6.4: a subset's name is a tag of six capitals, '+', the font name; the tag
 * should differ between subsets. A forsendelsesfil holds the cover's subset next to the
 * documents' own, and some print RIPs cache fonts by name, so two subsets must not share one.
 */
function subsetName(face: FontFace, contentKey: string): string {
  const digest = createHash('sha256').update(face).update('\0').update(contentKey).digest();
  const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
  return `${tag}+${POSTSCRIPT_NAMES[face]}`;
}
