/**
 * Where the giro pages (dokument.giroarkSider) fall in the print file, for the print
 * provider's manifest (docs/operations.md, "Print provider"). The print file is the cover
 * page(s) and then the printed documents in letter order; in duplex print each document
 * starts on an odd page (src/pdf/compose.ts), so a blank page may follow the cover and each
 * odd-length document but the last. A document therefore starts at the same page whatever
 * the cover's length, and the positions follow from the page counts alone.
 */
import type { ForsendelseState } from './forsendelse-state.js';
import type { StoredDokument } from './model.js';

/** One printed document: its page count and its 1-based giro pages. */
export interface PrintedDocumentPages {
  readonly sider: number;
  readonly giroarkSider: readonly number[];
}

/** Where a printed document starts (1-based page of the print file) and its giro pages there. */
export interface PlacedDocument {
  readonly forsteSide: number;
  readonly giroarkSider: readonly number[];
}

/**
 * The place of each printed document in a print file of `totalSider` pages, and every giro
 * page of the file (1-based, ascending).
 */
export function placeGiroPages(
  documents: readonly PrintedDocumentPages[],
  totalSider: number,
  tosidig: boolean,
): { readonly dokumenter: readonly PlacedDocument[]; readonly giroarkSider: readonly number[] } {
  const odd = (n: number): number => (tosidig && n % 2 === 1 ? 1 : 0);
  const documentPages = documents.reduce((sum, d) => sum + d.sider, 0);
  const blanksBetween = documents.slice(0, -1).reduce((sum, d) => sum + odd(d.sider), 0);
  // The cover with its blank back (duplex), whichever length the cover has.
  let next = totalSider - documentPages - blanksBetween + 1;
  const dokumenter = documents.map((d) => {
    const forsteSide = next;
    next += d.sider + odd(d.sider);
    const giroarkSider = [...new Set(d.giroarkSider)]
      .filter((s) => Number.isInteger(s) && s >= 1 && s <= d.sider)
      .sort((a, b) => a - b)
      .map((s) => forsteSide + s - 1);
    return { forsteSide, giroarkSider };
  });
  return { dokumenter, giroarkSider: dokumenter.flatMap((d) => d.giroarkSider) };
}

/** The documents that are in a letter's print file, in order: the printed PDFs. */
export function printedDocuments(state: ForsendelseState): StoredDokument[] {
  return state.dokumenter.filter((d) => !d.ekskluderesFraPrint && d.sider !== undefined);
}

/**
 * The giro pages of a letter's print file of `totalSider` pages. The file is duplex-padded
 * only when it was composed apart from the digital one (src/jobs/compose-job.ts).
 */
export function printGiroPages(state: ForsendelseState, totalSider: number): ReturnType<typeof placeGiroPages> {
  const tosidig = state.printfil !== undefined && state.input.printkonfigurasjon?.tosidig === true;
  return placeGiroPages(
    printedDocuments(state).map((d) => ({ sider: d.sider ?? 0, giroarkSider: d.giroarkSider })),
    totalSider,
    tosidig,
  );
}
