/**
 * The checks of "two readings" (catalog-choice.ts, xref-definitions.ts, freed-objects.ts) for
 * a file too large to load whole (inspect-pdf-stream.ts). Readers follow the cross-reference
 * chain; pdf-lib, which composes the print copy, takes the last definition of each object in
 * file order, which the recovery scan (recovery-scan.ts) models here. Only what compose copies
 * is compared: the catalog, the page tree, and everything a page prints (freed-objects.ts
 * says which keys print nothing). The two readings agree down to the first object they take
 * differently, so that object is one the walk by pdf-lib's reading reaches.
 *
 * Found in a review: a file over the whole-file limit (a 17 MB scan would do) with an
 * object defined twice or a freed object still on a page got its 200 and printed another
 * text than the archive and the screen show, where the same file under the limit is refused.
 */
import type { ByteSource } from './byte-source.js';
import { catalogsDiffer } from './catalog-choice.js';
import { INHERITED, NOT_PRINTED, nullInUse } from './freed-objects.js';
import type { ObjectResolver } from './object-resolver.js';
import { MAX_TREE_DEPTH } from './page-tree.js';
import { dictGet, isDict, isRef, nameOf, PdfLexer, PdfSyntaxError, type PdfValue } from './pdf-syntax.js';
import type { RecoveredStructure } from './recovery-scan.js';
import { parseAt } from './window-parse.js';
import { differ, parsesAt, readersResolver, timesInObjectStream, twiceInObjectStream } from './xref-definitions.js';
import type { NullEntry, XrefTable } from './xref-table.js';

/** A value to walk, and what it is to the print: the tree, a page, its annotations, or anything else. */
type Walked = readonly [PdfValue | undefined, 'tree' | 'page' | 'annots' | 'annot' | 'any'];

/**
 * The reason, in Norwegian, when readers (by `xref`) and the print copy (by `file`, the file
 * read front to back) take another catalog, another definition of an object a page prints,
 * or an object the table marks free; undefined when they agree.
 */
export async function readingsDifferByRange(
  source: ByteSource,
  xref: XrefTable,
  file: RecoveredStructure,
): Promise<string | undefined> {
  const direct = file.rootsNamed.some((named) => !isRef(named));
  const catalog = catalogsDiffer(dictGet(xref.trailer, 'Root'), direct ? 'direct' : file.root);
  if (catalog !== undefined) return catalog;
  const reached = await printedObjects(file);
  const readers = readersResolver(source, xref);
  for (const [num, gen] of reached) {
    const why = await definitionDiffers(source, { xref, readers }, file, num, gen);
    if (why !== undefined) return why;
  }
  let nulls: Map<number, NullEntry>;
  try {
    nulls = await xref.nullToReaders(reached);
  } catch (error) {
    if (error instanceof PdfSyntaxError) return undefined;
    throw error;
  }
  for (const [num, gen] of reached) {
    const why = nulls.get(num);
    if (why !== undefined) return nullInUse(num, gen, why);
  }
  return undefined;
}

/** Whether readers take another definition of object `num` than the file order does. */
async function definitionDiffers(
  source: ByteSource,
  { xref, readers }: { readonly xref: XrefTable; readonly readers: ObjectResolver },
  file: RecoveredStructure,
  num: number,
  gen: number,
): Promise<string | undefined> {
  const theirs = await xref.entry(num);
  const ours = await file.entry(num);
  if (theirs === undefined || theirs.type === 'free' || ours === undefined || ours.type === 'free') return undefined;
  if (theirs.type === 'offset') {
    if (ours.type === 'offset' && ours.offset === (await definitionStart(source, theirs.offset))) return undefined;
    return (await parsesAt(source, theirs.offset, num, gen)) ? differ(num, gen) : undefined;
  }
  // An object stream that lists the object twice: pdf-lib keeps the last, poppler the one at
  // the table's index (found in a review).
  const times = await timesInObjectStream(readers, theirs.stream, num);
  if (times > 1) return twiceInObjectStream(theirs.stream, num);
  if (times === 0 || (ours.type === 'compressed' && ours.stream === theirs.stream)) return undefined;
  return differ(num, gen);
}

/** Where the definition at `offset` starts, past white space and comments (most often within a few bytes). */
async function definitionStart(source: ByteSource, offset: number): Promise<number> {
  const head = await source.read(offset, 64);
  const lexer = new PdfLexer(head);
  lexer.skipSpace();
  if (lexer.pos < head.length || offset + head.length >= source.size) return offset + lexer.pos;
  try {
    return (await parseAt(source, offset, (lx) => lx.skipSpace())).end;
  } catch {
    return offset;
  }
}

/**
 * The objects the print copy takes, by number with the generation it is referred to by: the
 * catalog, the page tree, each page with what it inherits, and all its printed values reach,
 * each once, in the file order's reading.
 */
async function printedObjects(file: RecoveredStructure): Promise<Map<number, number>> {
  const reached = new Map<number, number>();
  const object = async (num: number): Promise<PdfValue | undefined> => {
    try {
      return await file.resolver.object(num);
    } catch (error) {
      if (error instanceof PdfSyntaxError || error instanceof RangeError) return undefined;
      throw error;
    }
  };
  const root = file.root;
  if (root === undefined) return reached;
  const catalog = await object(root.num);
  if (!isDict(catalog)) return reached;
  reached.set(root.num, root.gen);
  const pending: Walked[] = [[dictGet(catalog, 'Pages'), 'tree']];
  /** The nodes pages inherit from, by /Parent, with their generations: compared, but walked from the tree. */
  const ancestors = new Map<number, number>();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, kind] = next;
    if (isRef(item)) {
      if (reached.has(item.num)) continue;
      const value = await object(item.num);
      // An object neither reading has is null to both.
      if (value === undefined) continue;
      reached.set(item.num, item.gen);
      pending.push([value, kind]);
    } else if (isDict(item)) {
      if (kind === 'tree') {
        const type = nameOf(dictGet(item, 'Type'));
        if (type === 'Pages') {
          const kids = dictGet(item, 'Kids');
          pending.push([kids, 'tree']);
          for (const key of INHERITED) pending.push([dictGet(item, key), 'any']);
        } else if (type === 'Page') {
          pending.push([item, 'page']);
          await pushAncestors(item, { pending, ancestors }, object);
        }
        continue;
      }
      const skipped = kind === 'page' || kind === 'annot' ? NOT_PRINTED[kind] : undefined;
      for (const [name, v] of item.entries) {
        if (skipped?.has(name)) continue;
        pending.push([v, kind === 'page' && name === 'Annots' ? 'annots' : 'any']);
      }
    } else if (Array.isArray(item)) {
      const each = kind === 'tree' ? 'tree' : kind === 'annots' ? 'annot' : 'any';
      for (const v of item) pending.push([v, each]);
    }
  }
  for (const [num, gen] of ancestors) if (!reached.has(num)) reached.set(num, gen);
  return reached;
}

/**
 * What a page inherits up its /Parent chain, as pdf-lib finds it (not the /Kids path the walk
 * came down): each ancestor is noted (not walked: its other pages are walked from the
 * tree) and its inherited values walked, each ancestor once, bounded by the deepest tree allowed.
 */
async function pushAncestors(
  page: PdfValue,
  walk: { readonly pending: Walked[]; readonly ancestors: Map<number, number> },
  object: (num: number) => Promise<PdfValue | undefined>,
): Promise<void> {
  let parentRef = isDict(page) ? dictGet(page, 'Parent') : undefined;
  for (let depth = 0; isRef(parentRef) && !walk.ancestors.has(parentRef.num) && depth < MAX_TREE_DEPTH; depth++) {
    walk.ancestors.set(parentRef.num, parentRef.gen);
    const parent = await object(parentRef.num);
    if (!isDict(parent)) return;
    for (const key of INHERITED) walk.pending.push([dictGet(parent, key), 'any']);
    parentRef = dictGet(parent, 'Parent');
  }
}
