/**
 * Whether a page uses an object its cross-reference chain marks free, lists at offset 0 or
 * leaves out. Readers (pdf.js, poppler, Acrobat) take a free entry's object as null, and
 * pdf.js the other two as well: a page whose content or image is freed shows blank. pdf-lib, which composes the print copy, reads every definition in the
 * file whatever the table says, so the paper would show what the screen does not (a text
 * "deleted" by an incremental update that left the page pointing at it).
 *
 * Only what compose copies counts: the pages, with what they inherit (resources, boxes,
 * rotation) and everything their content, resources and annotations reach. An editor that
 * deletes a page or a form field often leaves a bookmark, a structure element or a link
 * pointing at the freed object; that changes nothing on paper and is left alone (found in a
 * review), as are links and actions on a page (`/Dest`, `/A`, `/AA`), which print nothing.
 */
import { PDFArray, PDFDict, PDFName, PDFRef, PDFStream, type PDFDocument, type PDFObject } from 'pdf-lib';
import { MAX_TREE_DEPTH } from './page-tree.js';
import { PdfSyntaxError } from './pdf-syntax.js';
import type { NullEntry, XrefTable } from './xref-table.js';

/**
 * Keys of a page or an annotation whose targets print nothing of themselves, or are walked
 * apart (`/Parent`). Only there: inside resources and appearance dictionaries every key is a
 * name the file chose (an image called `/A` is printed), found in a review.
 */
export const NOT_PRINTED: Readonly<Record<'page' | 'annot', ReadonlySet<string>>> = {
  page: new Set(['Parent', 'B', 'AA', 'StructParents', 'Thumb']),
  annot: new Set(['Parent', 'P', 'Dest', 'A', 'AA', 'StructParent', 'IRT', 'Popup']),
};
/** What a page inherits from the nodes above it (ISO 32000-1 §7.7.3.4). */
export const INHERITED = ['Resources', 'MediaBox', 'CropBox', 'Rotate'];

/** A value to walk, and what it is to the page: the page itself, its annotations, or anything else. */
type Walked = readonly [PDFObject | undefined, 'page' | 'annots' | 'annot' | 'any'];

/**
 * The reason, in Norwegian, when a page uses an object the cross-reference chain marks free;
 * undefined when none does, or when the chain cannot be read (readers then rebuild it from
 * the file in order, as pdf-lib reads).
 */
export async function freedObjectInUse(doc: PDFDocument, xref: XrefTable): Promise<string | undefined> {
  const asDefined = new Map<number, number>();
  let severalGenerations = false;
  for (const [ref] of doc.context.enumerateIndirectObjects()) {
    const before = asDefined.get(ref.objectNumber);
    if (before !== undefined && before !== ref.generationNumber) severalGenerations = true;
    asDefined.set(ref.objectNumber, ref.generationNumber);
  }
  let nulls: Map<number, NullEntry>;
  try {
    // Every object pdf-lib has first, in one pass over the chain: most files have none that
    // readers take as null, and need no walk of the pages (unless one number has two
    // generations, when only the page's reference tells which counts).
    if (!severalGenerations && (await xref.nullToReaders(asDefined)).size === 0) return undefined;
    const reached = printedRefs(doc);
    nulls = await xref.nullToReaders(new Map(reached.map((ref) => [ref.objectNumber, ref.generationNumber])));
    return firstNull(reached, nulls);
  } catch (error) {
    if (error instanceof PdfSyntaxError) return undefined;
    throw error;
  }
}

/** The reason for the first of `reached` that readers take as null. */
function firstNull(reached: readonly PDFRef[], nulls: ReadonlyMap<number, NullEntry>): string | undefined {
  for (const ref of reached) {
    const why = nulls.get(ref.objectNumber);
    if (why !== undefined) return nullInUse(ref.objectNumber, ref.generationNumber, why);
  }
  return undefined;
}

/** The objects a page prints, in the order the walk reaches them, each once (those pdf-lib has). */
function printedRefs(doc: PDFDocument): PDFRef[] {
  const reached: PDFRef[] = [];
  const visited = new Set<PDFRef>();
  const pending: Walked[] = [];
  const ancestors = new Set<PDFDict>();
  for (const page of doc.getPages()) {
    if (page.ref !== undefined && !visited.has(page.ref)) {
      visited.add(page.ref);
      reached.push(page.ref);
    }
    pending.push([page.node, 'page']);
    // The ancestors' inheritable attributes, each ancestor once (a /Parent chain is not
    // checked for loops, so it is bounded by the deepest tree allowed).
    let node = page.node.lookup(PDFName.of('Parent'));
    for (let depth = 0; node instanceof PDFDict && !ancestors.has(node) && depth < MAX_TREE_DEPTH; depth++) {
      ancestors.add(node);
      for (const key of INHERITED) pending.push([node.get(PDFName.of(key)), 'any']);
      node = node.lookup(PDFName.of('Parent'));
    }
  }
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, kind] = next;
    if (item instanceof PDFRef) {
      if (visited.has(item)) continue;
      visited.add(item);
      const value = doc.context.lookup(item);
      // An object neither reading has is null to both.
      if (value === undefined) continue;
      reached.push(item);
      pending.push([value, kind]);
    } else if (item instanceof PDFDict) {
      const skipped = kind === 'page' || kind === 'annot' ? NOT_PRINTED[kind] : undefined;
      for (const [key, v] of item.entries()) {
        const name = key.decodeText();
        if (skipped?.has(name)) continue;
        pending.push([v, kind === 'page' && name === 'Annots' ? 'annots' : 'any']);
      }
    } else if (item instanceof PDFArray) {
      for (const v of item.asArray()) pending.push([v, kind === 'annots' ? 'annot' : 'any']);
    } else if (item instanceof PDFStream) pending.push([item.dict, 'any']);
  }
  return reached;
}

/** The reason for an object `num` `gen` a page uses and readers take as null, in Norwegian. */
export function nullInUse(num: number, gen: number, why: NullEntry): string {
  const how =
    why === 'free'
      ? 'er merket som slettet i kryssreferansetabellen'
      : why === 'offset 0'
        ? 'har posisjon 0 i kryssreferansetabellen'
        : why === 'other generation'
          ? 'står med en annen generasjon i kryssreferansetabellen'
          : 'mangler i kryssreferansetabellen';
  return `objekt ${num} ${gen} ${how}, men en side bruker det fortsatt, så innholdet vises ulikt i ulike PDF-lesere`;
}
