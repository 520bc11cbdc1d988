import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';
import './pdf-lib-runtime.js';

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
  // The file is read once per process and parsed per document (~2 ms). One parsed fontkit
  // Font shared across documents keeps glyph state between them: a test caught a later
  // cover's /ToUnicode missing "A" and "s" after an earlier cover with "Áššit", so output
  // depended on process history. Each document therefore gets a fresh Font, which shares
  // only the decoded tables (see sharedTablesOf). fontkit also writes its defaults
  // into the features object, hence a fresh copy each time.
  const bytes = await dejaVuSansBytes(face);
  sharedTablesOf(bytes);
  doc.registerFontkit(layoutSharingFontkit);
  return doc.embedFont(bytes, {
    subset: true,
    customName: subsetName(face, contentKey),
    features: { ...LAYOUT_FEATURES },
  });
}

/** The part of fontkit's TTFFont this module relies on (not in its typings). */
export interface FontWithTables {
  readonly _tables: Record<string, unknown>;
  readonly [tag: string]: unknown;
}

/**
 * Font tables, decoded once per process. Decoding DejaVu's GSUB/GPOS (kerning and mark
 * positioning for thousands of glyphs), loca, hmtx and cmap again for every fresh Font was
 * most of the cost of a cover page (bench/README.md). They are plain data read from the
 * same bytes, decoded lazily the same way whichever document asks first, and fontkit's
 * subsetter clones what it changes (head, hhea, maxp); the per-document state (glyph
 * objects and their cache, the subset, the layout engine) stays in each fresh Font.
 */
const SHARED_TABLES = [
  'GSUB',
  'GPOS',
  'GDEF',
  'cmap',
  'loca',
  'hmtx',
  'hhea',
  'maxp',
  'head',
  'OS/2',
  'post',
  'name',
  'cvt ',
  'prep',
  'fpgm',
] as const;
const sharedLayoutTables = new WeakMap<Uint8Array, Record<string, unknown>>();

/** The shared decoded tables of the font file `bytes`, decoded on first use. */
function sharedTablesOf(bytes: Uint8Array): Record<string, unknown> {
  let tables = sharedLayoutTables.get(bytes);
  if (tables === undefined) {
    const template = fontkit.create(wholeArrayBuffer(bytes)) as unknown as FontWithTables;
    tables = {};
    // Reading the property decodes the table (fontkit defines a lazy getter per table).
    for (const tag of SHARED_TABLES) if (template[tag] !== undefined) tables[tag] = template._tables[tag];
    sharedLayoutTables.set(bytes, tables);
  }
  return tables;
}

/**
 * The bytes as an ArrayBuffer of their own. fontkit's bundled Buffer.from copies a typed
 * array byte by byte in JavaScript (750 KB per face, twice per cover: 7 % of a node's CPU
 * under intake in the bench profile) but wraps an ArrayBuffer without copying. fontkit
 * only reads the font.
 */
function wholeArrayBuffer(bytes: Uint8Array): Uint8Array {
  const whole =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  return whole as unknown as Uint8Array;
}

/**
 * fontkit, except that a Font of bytes seen by sharedTablesOf is made without a copy, starts
 * with their decoded tables, encodes its subset at once (encodedAtOnce) and lays text out
 * without positioning it (withoutPositioning).
 */
const layoutSharingFontkit: Parameters<PDFDocument['registerFontkit']>[0] = {
  ...fontkit,
  create(data: Uint8Array, postscriptName?: string) {
    const shared = sharedLayoutTables.get(data);
    if (shared === undefined) return fontkit.create(data, postscriptName);
    const font = fontkit.create(wholeArrayBuffer(data), postscriptName);
    Object.assign((font as unknown as FontWithTables)._tables, shared);
    withoutPositioning(font as unknown as FontWithTables);
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => encodedAtOnce(createSubset() as unknown as FontSubset) as never;
    return font;
  },
};

/** fontkit's GlyphRun as its layout engine's `position` step sees it (not in its typings). */
interface GlyphRunToPosition {
  readonly glyphs: readonly { readonly advanceWidth: number }[];
  positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[];
}

/**
 * Makes `font`'s layouts skip GPOS positioning (kerning, mark placement): each glyph keeps
 * its advance width as its position. pdf-lib reads only a layout's glyphs, to write their
 * ids and look up their advance widths, never the positions, so the positioning fontkit
 * computed was thrown away: ~9 % of a PDF thread's time in the bench profile. The glyphs
 * (GSUB substitution: composed letters, marks) are chosen as before, and the files are the
 * same bytes (test/unit/pdf/pdf-lib-runtime.test.ts). Only fonts made for pdf-lib here: address-fit's
 * measuring font, which reads advance widths off the layout, keeps fontkit's own.
 */
export function withoutPositioning(font: FontWithTables): void {
  // A getter that makes the engine once and caches it on the font.
  const engine = font._layoutEngine as { position(run: GlyphRunToPosition): void };
  engine.position = (run) => {
    run.positions = run.glyphs.map((g) => ({ xAdvance: g.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 }));
  };
}

/** The part of fontkit's Subset this module relies on (not in its typings). */
export interface FontSubset {
  encode(stream: SubsetEncodeStream): void;
  encodeStream(): NodeJS.ReadableStream;
}

/** fontkit's bundled restructure EncodeStream: writes fill a buffer, which it hands to push(). */
interface SubsetEncodeStream {
  push(chunk: Uint8Array | null): boolean;
  flush(): void;
}
type SubsetEncodeStreamClass = new () => SubsetEncodeStream;

let encodeStreamClass: SubsetEncodeStreamClass | undefined;

/**
 * The subset with an encodeStream() that encodes at once. fontkit's own starts the encoding
 * on its bundled browser shim of process.nextTick, a setTimeout(0): pdf-lib asks for the
 * bytes once per face, so each cover slept two timer turns (≥ 1 ms each in Node) on the PDF
 * thread. This runs the same encoder, fontkit's Subset.encode, into the same EncodeStream
 * class, collecting what it pushes: the same bytes, without the wait (test/unit/pdf/pdf-lib-runtime.test.ts).
 */
export function encodedAtOnce(subset: FontSubset): FontSubset {
  const original = subset.encodeStream;
  subset.encodeStream = () => {
    // fontkit does not export the class: one stream made by its own encodeStream on an empty
    // encoder gives it (that one ends on its own, a timer turn later, and is dropped).
    encodeStreamClass ??= (original.call({ encode: () => undefined }) as object).constructor as SubsetEncodeStreamClass;
    const stream = new encodeStreamClass();
    const chunks: Uint8Array[] = [];
    stream.push = (chunk) => {
      if (chunk !== null) chunks.push(chunk);
      return true;
    };
    subset.encode(stream);
    stream.flush();
    return Readable.from([Buffer.concat(chunks)]);
  };
  return subset;
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
