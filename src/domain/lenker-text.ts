/**
 * The sender's links (lenker) as lines of text, for where a letter has no clickable links:
 * the cover page of the forsendelsesfil, so a letter that goes on paper carries them too
 * (KS: links are "rendered in the letter", docs/interfaces.md §5).
 */
import type { Lenke } from './model.js';

/** One link as a line: lead text, link text, address. */
export function lenkeLine(lenke: Lenke): string {
  const ledetekst = lenke.ledetekst?.trim() ?? '';
  return `${ledetekst === '' ? '' : `${ledetekst} `}${lenke.urlTekst.trim()}: ${lenke.urlLenke}`;
}

/** The avsender's cover text with the letter's links after it (the text alone when none). */
export function coverTextWithLenker(tekst: string, lenker: readonly Lenke[]): string {
  if (lenker.length === 0) return tekst;
  return `${tekst.trim()}\n\nLenker fra avsender:\n${lenker.map(lenkeLine).join('\n')}`;
}
