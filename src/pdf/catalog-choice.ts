/**
 * Which document catalog (/Root) each reading takes. Readers (pdf.js, poppler, Acrobat) take
 * the one the trailer at `startxref` names; pdf-lib, which composes the print copy, takes the
 * one the last trailer in the file names. A file can carry two trailers naming two complete
 * page trees of as many pages: the screen and the archive show one, the paper the other
 * (found in a review: "Beløp: 100 kr" on screen, "Beløp: 10 000 kr" on paper). A legitimate
 * incremental update names the same catalog again, or names its new one in the trailer both
 * readings take.
 */
import type { PdfRef, PdfValue } from './pdf-syntax.js';
import { isRef } from './pdf-syntax.js';

/** The reason, in Norwegian, when readers and the print copy take different catalogs; undefined when the same. */
export function catalogsDiffer(
  readers: PdfValue | undefined,
  printed: { readonly num: number; readonly gen: number } | undefined,
): string | undefined {
  if (!isRef(readers) || printed === undefined) return undefined;
  if (readers.num === printed.num && readers.gen === printed.gen) return undefined;
  return `kryssreferansetabellen peker på dokumentkatalogen i objekt ${readers.num} ${readers.gen}, men den siste trailer i filen på objekt ${printed.num} ${printed.gen}, så PDF-lesere og utskriften viser ulike sider`;
}

/**
 * The reason, in Norwegian, when a file whose cross-reference data readers cannot use names
 * more than one catalog: readers then rebuild the table and choose among the trailers by
 * rules of their own (pdf.js the first with an /ID), pdf-lib the last.
 */
export function severalCatalogs(named: readonly PdfRef[]): string | undefined {
  if (named.length < 2) return undefined;
  const list = named.map((r) => `${r.num} ${r.gen}`).join(', ');
  return `filen har trailere som peker på ulike dokumentkataloger (objekt ${list}) og ingen kryssreferansetabell PDF-lesere kan bruke, så ulike PDF-lesere kan vise ulike sider`;
}
