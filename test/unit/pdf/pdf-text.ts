/**
 * Test helper: where each piece of text is drawn on a page. pdf-lib does not extract text,
 * so this reads the page's content stream (Tm/Td/T* and Tj/TJ) and maps glyph ids back to
 * Unicode through each font's /ToUnicode CMap, and widths through the CIDFont's /W array.
 * It handles what pdf-lib writes, not every PDF.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  decodePDFRawStream,
  type PDFObject,
  type PDFPage,
} from 'pdf-lib';

/** One text-showing operation: its text, baseline origin and advance width, in points. */
export interface TextRun {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly size: number;
  readonly width: number;
  readonly font: string;
  /** Glyph ids drawn; 0 is .notdef (a missing glyph). */
  readonly glyphs: readonly number[];
}

interface FontInfo {
  readonly toUnicode: Map<number, string>;
  readonly widths: Map<number, number>;
  readonly defaultWidth: number;
}

/** The text runs of a page, in drawing order. */
export function textRuns(doc: PDFDocument, page: PDFPage): TextRun[] {
  const fonts = new Map<string, FontInfo>();
  const fontDict = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
  for (const [name, ref] of fontDict?.entries() ?? []) fonts.set(name.asString().slice(1), fontInfo(doc, ref));

  const runs: TextRun[] = [];
  let font: FontInfo | undefined;
  let fontName = '';
  let size = 0;
  let leading = 0;
  let lineX = 0;
  let lineY = 0;
  const operands: Array<number | string | number[][]> = [];
  for (const token of tokens(contentBytes(doc, page))) {
    if (token.kind !== 'op') {
      operands.push(token.value);
      continue;
    }
    const num = (i: number): number => operands.at(i) as number;
    switch (token.value) {
      case 'Tf':
        fontName = String(operands.at(-2)).slice(1);
        font = fonts.get(fontName);
        size = num(-1);
        break;
      case 'TL':
        leading = num(-1);
        break;
      case 'Tm':
        lineX = num(-2);
        lineY = num(-1);
        break;
      case 'Td':
        lineX += num(-2);
        lineY += num(-1);
        break;
      case 'T*':
        lineY -= leading;
        break;
      case 'Tj':
      case 'TJ': {
        const value = operands.at(-1);
        const glyphs = Array.isArray(value) ? value.flat() : [];
        if (font === undefined) break;
        const f = font;
        const text = glyphs.map((g) => f.toUnicode.get(g) ?? '\ufffd').join('');
        const width = glyphs.reduce((w, g) => w + ((f.widths.get(g) ?? f.defaultWidth) / 1000) * size, 0);
        runs.push({ text, x: lineX, y: lineY, size, width, font: fontName, glyphs });
        lineX += width;
        break;
      }
      default:
    }
    operands.length = 0;
  }
  return runs;
}

function contentBytes(doc: PDFDocument, page: PDFPage): Uint8Array {
  const contents = page.node.Contents();
  const streams =
    contents === undefined
      ? []
      : contents instanceof PDFArray
        ? contents.asArray().map((r) => doc.context.lookup(r))
        : [contents];
  const parts = streams.map((s) => (s instanceof PDFRawStream ? decodePDFRawStream(s).decode() : new Uint8Array(0)));
  return Buffer.concat(parts.flatMap((p) => [p, Buffer.from('\n')]));
}

function fontInfo(doc: PDFDocument, ref: PDFObject): FontInfo {
  const dict = doc.context.lookup(ref, PDFDict);
  const toUnicode = new Map<number, string>();
  const cmap = dict.lookup(PDFName.of('ToUnicode'));
  if (cmap instanceof PDFRawStream)
    parseToUnicode(Buffer.from(decodePDFRawStream(cmap).decode()).toString('latin1'), toUnicode);
  const widths = new Map<number, number>();
  let defaultWidth = 1000;
  const descendant = dict.lookupMaybe(PDFName.of('DescendantFonts'), PDFArray)?.lookup(0, PDFDict);
  if (descendant !== undefined) {
    defaultWidth = descendant.lookupMaybe(PDFName.of('DW'), PDFNumber)?.asNumber() ?? 1000;
    const w = descendant.lookupMaybe(PDFName.of('W'), PDFArray)?.asArray() ?? [];
    // §9.7.4.3: `c [w1 w2 ...]` or `cFirst cLast w`.
    for (let i = 0; i < w.length;) {
      const first = (resolve(doc, w[i]) as PDFNumber).asNumber();
      const next = resolve(doc, w[i + 1]);
      if (next instanceof PDFArray) {
        next.asArray().forEach((v, k) => widths.set(first + k, (resolve(doc, v) as PDFNumber).asNumber()));
        i += 2;
      } else {
        const last = (next as PDFNumber).asNumber();
        const width = (resolve(doc, w[i + 2]) as PDFNumber).asNumber();
        for (let c = first; c <= last; c++) widths.set(c, width);
        i += 3;
      }
    }
  }
  return { toUnicode, widths, defaultWidth };
}

function resolve(doc: PDFDocument, v: PDFObject | undefined): PDFObject | undefined {
  return v instanceof PDFRef ? doc.context.lookup(v) : v;
}

function utf16be(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  let s = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bytes.readUInt16BE(i));
  return s;
}

function parseToUnicode(text: string, map: Map<number, string>): void {
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      map.set(parseInt(m[1]!, 16), utf16be(m[2]!));
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
      const lo = parseInt(m[1]!, 16);
      const hi = parseInt(m[2]!, 16);
      const dst = m[3]!;
      if (dst.startsWith('[')) {
        [...dst.matchAll(/<([0-9a-fA-F]+)>/g)].forEach((d, k) => map.set(lo + k, utf16be(d[1]!)));
      } else {
        const base = utf16be(dst.slice(1, -1));
        for (let c = lo; c <= hi; c++)
          map.set(c, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + (c - lo)));
      }
    }
  }
}

type Token = { kind: 'op'; value: string } | { kind: 'operand'; value: number | string | number[][] };

/** Content-stream tokens; a hex string becomes its 2-byte glyph ids, an array a list of those. */
function* tokens(bytes: Uint8Array): Generator<Token> {
  const s = Buffer.from(bytes).toString('latin1');
  const re =
    /\s*(?:(<[0-9a-fA-F\s]*>)|(\[(?:[^\]]*)\])|(\((?:\\.|[^\\)])*\))|(\/[^\s/<>[\]()]+)|([+-]?(?:\d+\.?\d*|\.\d+))|(<<|>>)|([A-Za-z'"*][A-Za-z0-9'"*]*))/gy;
  for (let m = re.exec(s); m !== null && m[0] !== ''; m = re.exec(s)) {
    if (m[1] !== undefined) yield { kind: 'operand', value: [hexGlyphs(m[1])] };
    else if (m[2] !== undefined)
      yield { kind: 'operand', value: [...m[2].matchAll(/<[0-9a-fA-F\s]*>/g)].map((h) => hexGlyphs(h[0])) };
    else if (m[3] !== undefined || m[4] !== undefined) yield { kind: 'operand', value: m[3] ?? m[4]! };
    else if (m[5] !== undefined) yield { kind: 'operand', value: Number(m[5]) };
    else if (m[7] !== undefined) yield { kind: 'op', value: m[7] };
  }
}

function hexGlyphs(hex: string): number[] {
  const h = hex.slice(1, -1).replace(/\s+/g, '');
  const out: number[] = [];
  for (let i = 0; i + 3 < h.length + 0; i += 4) out.push(parseInt(h.slice(i, i + 4), 16));
  return out;
}

/** All text drawn on a PDF's first page, runs joined by spaces. */
export async function firstPageText(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  return textRuns(doc, doc.getPage(0))
    .map((r) => r.text)
    .join(' ');
}
