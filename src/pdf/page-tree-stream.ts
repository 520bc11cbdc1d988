/**
 * The bounded page-tree walk of page-tree.ts for a file read by range (inspect-pdf-stream.ts,
 * files too large to load whole): the same rules — each node once, at most MAX_TREE_DEPTH
 * levels and `maxPages` pages, /Parent chains that end, a root /Count equal to the pages
 * found — over the objects the cross-reference data points at, so a large file is held to
 * what compose (pdf-lib, page-tree.ts) will accept.
 */
import type { ObjectResolver } from './object-resolver.js';
import {
  countMismatch,
  MAX_PAGES,
  MAX_TREE_DEPTH,
  NEITHER_PAGE_NOR_NODE,
  PageTreeError,
  WRONG_PARENT,
} from './page-tree.js';
import { dictGet, isDict, isRef, nameOf, type PdfDict, type PdfValue } from './pdf-syntax.js';

/** A page-tree node and the object number it was reached by (undefined for a direct object). */
interface Node {
  readonly dict: PdfDict;
  readonly num: number | undefined;
}

/**
 * Pages of the tree under /Root → /Pages, walked once per node; undefined when the catalog
 * or the tree's root cannot be read (the caller tries a recovery scan). Throws PageTreeError
 * for a tree compose would not copy page for page.
 */
export async function walkPageTree(
  resolver: ObjectResolver,
  rootRef: PdfValue | undefined,
  maxPages = MAX_PAGES,
): Promise<number | undefined> {
  const catalog = await resolver.resolve(rootRef);
  if (!isDict(catalog)) return undefined;
  const pagesRef = dictGet(catalog, 'Pages');
  const root = await resolver.resolve(pagesRef);
  if (!isDict(root)) return undefined;
  if (nameOf(dictGet(root, 'Type')) !== 'Pages') throw new PageTreeError('katalogen peker ikke på et sidetre (/Pages)');
  const seen = new Set<number>(isRef(pagesRef) ? [pagesRef.num] : []);
  const nodes: Node[] = [{ dict: root, num: isRef(pagesRef) ? pagesRef.num : undefined }];
  const stack: Array<{ dict: PdfDict; depth: number; num: number | undefined }> = [
    { dict: root, depth: 1, num: isRef(pagesRef) ? pagesRef.num : undefined },
  ];
  let pages = 0;
  /** Each page and node with the object number of the node whose /Kids lists it. */
  const listedBy: { readonly kid: PdfDict; readonly node: number | undefined }[] = [];
  /** Kids that are references to objects that cannot be read. */
  const unreadable: string[] = [];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const kids = await resolver.resolve(dictGet(top.dict, 'Kids'));
    if (!Array.isArray(kids)) throw new PageTreeError('en node i sidetreet mangler /Kids');
    for (const kidRef of kids) {
      const kid = await resolver.resolve(kidRef);
      const type = isDict(kid) ? nameOf(dictGet(kid, 'Type')) : undefined;
      if (!isDict(kid)) {
        // pdf-lib and viewers skip these
        if (kid === undefined && isRef(kidRef)) unreadable.push(String(kidRef.num));
        continue;
      }
      if (type !== 'Page' && type !== 'Pages') throw new PageTreeError(NEITHER_PAGE_NOR_NODE);
      if (isRef(kidRef)) {
        if (seen.has(kidRef.num))
          throw new PageTreeError('samme side eller node forekommer flere ganger (delt node eller løkke)');
        seen.add(kidRef.num);
      }
      listedBy.push({ kid, node: top.num });
      nodes.push({ dict: kid, num: isRef(kidRef) ? kidRef.num : undefined });
      if (type === 'Page') {
        if (++pages > maxPages) throw new PageTreeError(`høyst ${maxPages} sider er tillatt`, true);
      } else {
        if (top.depth + 1 > MAX_TREE_DEPTH) throw new PageTreeError(`sidetreet er dypere enn ${MAX_TREE_DEPTH} nivåer`);
        stack.push({ dict: kid, depth: top.depth + 1, num: isRef(kidRef) ? kidRef.num : undefined });
      }
    }
  }
  await checkParents(resolver, nodes);
  // Inherited along /Parent by pdf-lib and pdf.js, along /Kids by poppler: one node (review).
  for (const { kid, node } of listedBy) {
    const parent = dictGet(kid, 'Parent');
    if (parent !== undefined && node !== undefined && !(isRef(parent) && parent.num === node))
      throw new PageTreeError(WRONG_PARENT);
  }
  const count = await resolver.resolve(dictGet(root, 'Count'));
  if (count !== pages)
    throw new PageTreeError(countMismatch(typeof count === 'number' ? String(count) : 'ingenting', pages, unreadable));
  return pages;
}

/** Every node's /Parent chain reaches a node without /Parent, through page-tree nodes, without a loop. */
async function checkParents(resolver: ObjectResolver, nodes: readonly Node[]): Promise<void> {
  const ends = new Set<number>();
  for (const node of nodes) {
    const path: number[] = [];
    let parentRef = dictGet(node.dict, 'Parent');
    if (node.num !== undefined) path.push(node.num);
    while (parentRef !== undefined) {
      if (!isRef(parentRef)) throw new PageTreeError('/Parent peker ikke på en node i sidetreet');
      if (ends.has(parentRef.num)) break;
      if (path.length > MAX_TREE_DEPTH || path.includes(parentRef.num))
        throw new PageTreeError('/Parent-kjeden i sidetreet går i løkke');
      path.push(parentRef.num);
      const parent = await resolver.resolve(parentRef);
      if (!isDict(parent) || nameOf(dictGet(parent, 'Type')) !== 'Pages')
        throw new PageTreeError('/Parent peker ikke på en node i sidetreet');
      parentRef = dictGet(parent, 'Parent');
    }
    for (const num of path) ends.add(num);
  }
}
