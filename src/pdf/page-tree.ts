/**
 * A bounded walk of a loaded PDF's page tree (ISO 32000-1 §7.7.3), done before pdf-lib's own
 * recursive walks touch it. pdf-lib's traverse (page count, getPages, copyPages) follows
 * /Kids without remembering where it has been, and its ascend follows /Parent without end:
 * a tree whose nodes are shared (a 2 KB DAG with 2^24 paths), a /Kids or /Parent loop, or
 * a tree ten thousand levels deep would hang or overflow the stack there. This walk visits
 * each node once, and the intake check and compose both run it, so whatever intake
 * accepts, compose copies page for page.
 */
import {
  PDFArray,
  PDFDict,
  PDFInvalidObject,
  PDFName,
  PDFNumber,
  PDFPageLeaf,
  PDFPageTree,
  PDFRef,
  type PDFDocument,
} from 'pdf-lib';

/** Most pages of one document (and, summed, of one letter): see MAX_PAGES_REASON in pdf-problems.ts. */
export const MAX_PAGES = 10_000;

/**
 * Deepest page tree accepted. Writers build balanced trees (depth ~ log of the pages, under
 * 10 for 10 000 pages); a chain of single-child nodes is the worst a sane one makes, and
 * pdf-lib's recursive walks are safe far below the stack's limit at this depth.
 */
export const MAX_TREE_DEPTH = 256;

/** The refusal of a dictionary among /Kids that is neither a page nor a node. */
export const NEITHER_PAGE_NOR_NODE = 'et objekt i sidetreet er verken side (/Type /Page) eller node (/Type /Pages)';

/** Why a page tree is refused, in Norwegian (the reason shown to the sender). */
export class PageTreeError extends Error {
  constructor(
    message: string,
    readonly tooManyPages = false,
  ) {
    super(message);
  }
}

/** The refusal of a page or node whose /Parent is not the node that lists it. Shared with page-tree-stream.ts. */
export const WRONG_PARENT = 'en side eller node har en /Parent som ikke er noden som lister den i /Kids';

/**
 * Walks the page tree of `doc` iteratively, each node once, and returns its number of pages
 * (leaves) — the number pdf-lib's getPageCount and copyPages will see. Throws PageTreeError
 * for a shared node, a loop, a tree deeper than MAX_TREE_DEPTH, more than `maxPages`
 * pages, a /Parent chain that does not end, or a root /Count that differs from the pages found.
 */
export function checkPageTree(doc: PDFDocument, maxPages = MAX_PAGES): number {
  const { context } = doc;
  const root = context.lookup(doc.catalog.get(PDFName.of('Pages')));
  if (!(root instanceof PDFPageTree)) throw new PageTreeError('katalogen peker ikke på et sidetre (/Pages)');
  const seen = new Set<PDFDict>([root]);
  const nodes: PDFDict[] = [root];
  /** The node whose /Kids lists each page and node. */
  const listedBy = new Map<PDFDict, PDFDict>();
  const stack: Array<{ node: PDFPageTree; depth: number }> = [{ node: root, depth: 1 }];
  let pages = 0;
  /** Kids that are references to nothing pdf-lib could read (it drops an object it cannot parse). */
  const unreadable: string[] = [];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const kids = top.node.get(PDFName.of('Kids'));
    const list = context.lookup(kids);
    if (!(list instanceof PDFArray)) throw new PageTreeError('en node i sidetreet mangler /Kids');
    for (let i = 0; i < list.size(); i++) {
      const kid = context.lookup(list.get(i));
      if (!(kid instanceof PDFPageTree) && !(kid instanceof PDFPageLeaf)) {
        // pdf-lib skips a kid without /Type /Page or /Pages; viewers show a dictionary kid
        // without /Kids as a page, so the letter would lose a page the sender sees.
        if (kid instanceof PDFDict) throw new PageTreeError(NEITHER_PAGE_NOR_NODE);
        const ref = list.get(i);
        if (ref instanceof PDFRef && (kid === undefined || kid instanceof PDFInvalidObject))
          unreadable.push(String(ref.objectNumber));
        continue;
      }
      if (seen.has(kid))
        throw new PageTreeError('samme side eller node forekommer flere ganger (delt node eller løkke)');
      listedBy.set(kid, top.node);
      seen.add(kid);
      nodes.push(kid);
      if (kid instanceof PDFPageLeaf) {
        if (++pages > maxPages) throw new PageTreeError(`høyst ${maxPages} sider er tillatt`, true);
      } else {
        if (top.depth + 1 > MAX_TREE_DEPTH) throw new PageTreeError(`sidetreet er dypere enn ${MAX_TREE_DEPTH} nivåer`);
        stack.push({ node: kid, depth: top.depth + 1 });
      }
    }
  }
  checkParents(doc, nodes);
  // pdf-lib and pdf.js inherit along /Parent, poppler along the /Kids that list the page: the
  // two must be one node (§7.7.3.2), or screen and paper take other resources (review).
  for (const [kid, node] of listedBy) {
    const parent = kid.get(PDFName.of('Parent'));
    if (parent !== undefined && context.lookup(parent) !== node) throw new PageTreeError(WRONG_PARENT);
  }
  const count = context.lookup(root.get(PDFName.of('Count')));
  if (!(count instanceof PDFNumber) || count.asNumber() !== pages) {
    const said = count instanceof PDFNumber ? String(count.asNumber()) : 'ingenting';
    throw new PageTreeError(countMismatch(said, pages, unreadable));
  }
  return pages;
}

/**
 * The refusal of a root /Count that differs from the pages found; when kids could not be
 * read, that is the reason given (a review found a page object with a syntax error reported
 * only as "/Count sier 2, men sidetreet har 1 sider"). Shared with page-tree-stream.ts.
 */
export function countMismatch(said: string, pages: number, unreadable: readonly string[]): string {
  if (unreadable.length === 0) return `/Count sier ${said}, men sidetreet har ${pages} sider`;
  const objects = unreadable.slice(0, 5).join(', ') + (unreadable.length > 5 ? ' …' : '');
  const what = unreadable.length === 1 ? 'en side mangler eller kan' : `${unreadable.length} sider mangler eller kan`;
  return `${what} ikke leses (objekt ${objects}): /Count sier ${said}, men bare ${pages} ${pages === 1 ? 'side' : 'sider'} kan leses`;
}

/**
 * Every node's /Parent chain ends (pdf-lib climbs it to find inherited attributes, and
 * recursively): each step is a page-tree node, and within MAX_TREE_DEPTH steps it reaches
 * a node without /Parent. Linear: a node whose chain was checked ends the climb of the next.
 */
function checkParents(doc: PDFDocument, nodes: readonly PDFDict[]): void {
  const { context } = doc;
  const ends = new Set<PDFDict>();
  for (const node of nodes) {
    const path: PDFDict[] = [];
    let at: PDFDict | undefined = node;
    while (at !== undefined && !ends.has(at)) {
      if (path.length > MAX_TREE_DEPTH || path.includes(at))
        throw new PageTreeError('/Parent-kjeden i sidetreet går i løkke');
      path.push(at);
      const parentRef: unknown = at.get(PDFName.of('Parent'));
      if (parentRef === undefined) break;
      const parent: unknown = parentRef instanceof PDFRef ? context.lookup(parentRef) : parentRef;
      if (!(parent instanceof PDFPageTree)) throw new PageTreeError('/Parent peker ikke på en node i sidetreet');
      at = parent;
    }
    for (const p of path) ends.add(p);
  }
}
