/**
 * Whether the document still uses an object its cross-reference chain marks free. Readers
 * (pdf.js, poppler, Acrobat) take a free entry's object as null: a page whose content or image
 * is freed shows blank. pdf-lib, which composes the print copy, reads every definition in the
 * file whatever the table says, so the paper would show what the screen does not (a text
 * "deleted" by an incremental update that left the page pointing at it).
 *
 * An editor that deletes an object marks it free and removes every reference to it, so a
 * freed object no longer reachable from the catalog is fine; one that is reachable makes
 * the readings differ, and the file is refused.
 */
import { PDFArray, PDFDict, PDFRef, PDFStream, type PDFDocument, type PDFObject } from 'pdf-lib';
import type { XrefTable } from './xref-table.js';

/**
 * The reason, in Norwegian, when an object reachable from the catalog is marked free in the
 * cross-reference chain; undefined when none is.
 */
export async function freedObjectInUse(doc: PDFDocument, xref: XrefTable): Promise<string | undefined> {
  const freed = await xref.freed();
  if (freed.size === 0) return undefined;
  const used = reachableFreed(doc, freed);
  return used === undefined ? undefined : inUse(used);
}

/**
 * The first object of `freed` that pdf-lib has and reaches from its catalog, each object
 * walked once.
 */
function reachableFreed(doc: PDFDocument, freed: ReadonlySet<number>): PDFRef | undefined {
  const root = doc.context.trailerInfo.Root;
  if (!(root instanceof PDFRef)) return undefined;
  const visited = new Set<PDFRef>();
  const refs: PDFRef[] = [root];
  for (let ref = refs.pop(); ref !== undefined; ref = refs.pop()) {
    if (visited.has(ref)) continue;
    visited.add(ref);
    const value = doc.context.lookup(ref);
    // An object neither reading has is null to both.
    if (freed.has(ref.objectNumber) && value !== undefined) return ref;
    const pending: (PDFObject | undefined)[] = [value];
    while (pending.length > 0) {
      const item = pending.pop();
      if (item instanceof PDFRef) refs.push(item);
      else if (item instanceof PDFDict) for (const v of item.values()) pending.push(v);
      else if (item instanceof PDFArray) for (const v of item.asArray()) pending.push(v);
      else if (item instanceof PDFStream) pending.push(item.dict);
    }
  }
  return undefined;
}

function inUse(ref: PDFRef): string {
  return `objekt ${ref.objectNumber} ${ref.generationNumber} er merket som slettet i kryssreferansetabellen, men dokumentet bruker det fortsatt, så innholdet vises ulikt i ulike PDF-lesere`;
}
