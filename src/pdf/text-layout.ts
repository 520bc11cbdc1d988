import type { PDFFont } from 'pdf-lib';

/** Measures a string at the font size in use. */
export type Measure = (text: string) => number;

/**
 * Measure for a pdf-lib font at a size, memoised: each call runs fontkit's layout, which
 * is the dominant cost of a cover page, and wrapping measures the same words repeatedly.
 * `widths` may be a cache shared across documents set in the same font file (widths
 * depend only on the font, its features and the text); it is keyed by size and text.
 */
export function measureWith(font: PDFFont, size: number, widths: Map<string, number> = new Map()): Measure {
  return (text) => {
    const key = `${size}\u0000${text}`;
    let width = widths.get(key);
    if (width === undefined) {
      width = font.widthOfTextAtSize(text, size);
      widths.set(key, width);
    }
    return width;
  };
}

/**
 * Breaks text into lines no wider than `maxWidth`. A blank line separates paragraphs and
 * comes back as an empty string; a single newline is kept as a line break. A word wider
 * than a line (a URL, a long compound) is cut between characters rather than overflowing.
 */
export function wrapText(text: string, measure: Measure, maxWidth: number): string[] {
  const lines: string[] = [];
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n[ \t]*\n+/);
  paragraphs.forEach((paragraph, i) => {
    if (i > 0) lines.push('');
    for (const hardLine of paragraph.split('\n')) lines.push(...wrapLine(hardLine.trim(), measure, maxWidth));
  });
  return lines;
}

function wrapLine(line: string, measure: Measure, maxWidth: number): string[] {
  const words = line.split(/[ \t]+/).filter((w) => w !== '');
  const out: string[] = [];
  const space = measure(' ');
  let current = '';
  let currentWidth = 0;
  for (const word of words) {
    // Word widths add up (kerning across a space is nil in practice): linear, not quadratic.
    const wordWidth = measure(word);
    const candidateWidth = current === '' ? wordWidth : currentWidth + space + wordWidth;
    if (candidateWidth <= maxWidth) {
      current = current === '' ? word : `${current} ${word}`;
      currentWidth = candidateWidth;
      continue;
    }
    if (current !== '') out.push(current);
    current = '';
    for (const piece of splitLongWord(word, measure, maxWidth)) {
      if (current !== '') out.push(current);
      current = piece;
      currentWidth = measure(piece);
    }
  }
  if (current !== '' || out.length === 0) out.push(current);
  return out;
}

function splitLongWord(word: string, measure: Measure, maxWidth: number): string[] {
  if (measure(word) <= maxWidth) return [word];
  const pieces: string[] = [];
  let piece = '';
  for (const ch of word) {
    if (piece !== '' && measure(piece + ch) > maxWidth) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}
