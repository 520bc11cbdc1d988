/**
 * What the trailers say that readers and pdf-lib take differently. Readers (pdf.js, poppler,
 * Acrobat) take the catalog (/Root) of the trailer `startxref` leads to; pdf-lib, which
 * composes the print copy, that of the last trailer in the file. A file can carry two
 * trailers naming two complete page trees of as many pages: the screen and the archive show
 * one, the paper the other (found in a review: "Beløp: 100 kr" on screen, "Beløp: 10 000 kr"
 * on paper). A legitimate incremental update names the same catalog again, or names its new
 * one in the trailer both readings take. §7.5.5 requires /Root to be an indirect reference
 * and /Prev an integer; readers treat a direct catalog or a /Prev given as a reference each
 * their own way (pdf.js follows `/Prev 12 0 R` to offset 12), so such a file is refused too
 * (found in a review).
 */
import type { PdfValue } from './pdf-syntax.js';
import { isRef } from './pdf-syntax.js';

/** The catalog pdf-lib took: a reference, or a dictionary given directly in a trailer. */
export type PrintedCatalog = { readonly num: number; readonly gen: number } | 'direct';

/** The reason, in Norwegian, when readers and the print copy take different catalogs; undefined when the same. */
export function catalogsDiffer(readers: PdfValue | undefined, printed: PrintedCatalog | undefined): string | undefined {
  if (printed === 'direct' || (readers !== undefined && readers !== null && !isRef(readers))) return directCatalog();
  if (!isRef(readers) || printed === undefined) return undefined;
  if (readers.num === printed.num && readers.gen === printed.gen) return undefined;
  return `kryssreferansetabellen peker på dokumentkatalogen i objekt ${readers.num} ${readers.gen}, men den siste trailer i filen på objekt ${printed.num} ${printed.gen}, så PDF-lesere og utskriften viser ulike sider`;
}

/**
 * The reason, in Norwegian, when a file whose cross-reference data readers cannot use names
 * more than one catalog: readers then rebuild the table and choose among the trailers by
 * rules of their own (pdf.js the first with an /ID), pdf-lib the last.
 */
export function severalCatalogs(named: readonly PdfValue[]): string | undefined {
  if (named.some((r) => !isRef(r))) return directCatalog();
  if (named.length < 2) return undefined;
  const list = named.map((r) => (isRef(r) ? `${r.num} ${r.gen}` : '?')).join(', ');
  return `filen har trailere som peker på ulike dokumentkataloger (objekt ${list}) og ingen kryssreferansetabell PDF-lesere kan bruke, så ulike PDF-lesere kan vise ulike sider`;
}

/** The reason for a direct catalog, in Norwegian. */
function directCatalog(): string {
  return 'dokumentkatalogen (/Root) er gitt direkte i en trailer, ikke som en indirekte referanse, så PDF-lesere og utskriften kan vise ulike sider';
}

/** The reason for a /Prev or /XRefStm that is not a number, in Norwegian. */
export function oddChainLink(key: 'Prev' | 'XRefStm'): string {
  return `/${key} i en trailer er ikke et tall, så PDF-lesere følger kryssreferansetabellene ulikt`;
}
