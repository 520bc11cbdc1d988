/**
 * What intake checks of a loaded PDF besides its page tree (page-copyability.ts, and
 * isDynamicXfa in document-hygiene.ts), for a file read by range (inspect-pdf-stream.ts,
 * files too large to load whole): a size for every page, objects nested shallowly enough for
 * pdf-lib's copier, and no dynamic XFA form. A review sent files over the whole-file limit
 * that the small-file check refuses (no MediaBox, a 2 000-object chain, /NeedsRendering):
 * each got its 200 and then failed at compose, or went out as the form's placeholder page.
 * Runs after walkPageTree (page-tree-stream.ts) accepted the tree, so the walk here ends.
 */
import type { ObjectResolver } from './object-resolver.js';
import { MAX_OBJECT_DEPTH, MAX_SIDE } from './page-copyability.js';
import { MAX_TREE_DEPTH } from './page-tree.js';
import { dictGet, isDict, isRef, nameOf, type PdfDict, type PdfValue } from './pdf-syntax.js';

/** Why the document cannot be composed, in Norwegian, or 'dynamisk-xfa'; undefined when it can. */
export async function copyProblemByRange(
  resolver: ObjectResolver,
  rootRef: PdfValue | undefined,
): Promise<string | 'dynamisk-xfa' | undefined> {
  const catalog = await resolver.resolve(rootRef);
  if (!isDict(catalog)) return undefined;
  if ((await resolver.resolve(dictGet(catalog, 'NeedsRendering'))) === true) return 'dynamisk-xfa';
  const root = await resolver.resolve(dictGet(catalog, 'Pages'));
  if (!isDict(root)) return undefined;
  const seen = new Set<number>();
  let page = 0;
  // Depth first in document order; each frame is a node and its next kid.
  const stack: Array<{ kids: PdfValue[]; next: number }> = [];
  const push = async (node: PdfDict): Promise<void> => {
    const kids = await resolver.resolve(dictGet(node, 'Kids'));
    stack.push({ kids: Array.isArray(kids) ? kids : [], next: 0 });
  };
  await push(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const kidRef = top.kids[top.next++];
    if (top.next > top.kids.length) {
      stack.pop();
      continue;
    }
    const kid = await resolver.resolve(kidRef);
    if (!isDict(kid)) continue;
    if (nameOf(dictGet(kid, 'Type')) === 'Pages') {
      await push(kid);
      continue;
    }
    page++;
    if (!(await isPageBox(resolver, await inheritedMediaBox(resolver, kid))))
      return `side ${page} har ingen gyldig sidestørrelse (MediaBox)`;
    if (await deeperThan(resolver, kid, MAX_OBJECT_DEPTH, seen))
      return `side ${page} har objekter nøstet i mer enn ${MAX_OBJECT_DEPTH} nivåer`;
  }
  return undefined;
}

/**
 * The page's own /MediaBox or the nearest one up its /Parent chain, as pdf-lib finds it
 * (PDFPageLeaf.MediaBox climbs /Parent, not the /Kids path the walk came down; walkPageTree
 * checked that every chain ends within MAX_TREE_DEPTH).
 */
async function inheritedMediaBox(resolver: ObjectResolver, page: PdfDict): Promise<PdfValue | undefined> {
  let node: PdfValue | undefined = page;
  for (let depth = 0; isDict(node) && depth <= MAX_TREE_DEPTH + 1; depth++) {
    const box = dictGet(node, 'MediaBox');
    if (box !== undefined) return box;
    node = await resolver.resolve(dictGet(node, 'Parent'));
  }
  return undefined;
}

/** Four numbers that make a page of a size between 0 and MAX_SIDE units each way; an unreadable box is none. */
async function isPageBox(resolver: ObjectResolver, value: PdfValue | undefined): Promise<boolean> {
  try {
    return await isPageSize(resolver, value);
  } catch {
    return false;
  }
}

async function isPageSize(resolver: ObjectResolver, value: PdfValue | undefined): Promise<boolean> {
  const box = await resolver.resolve(value);
  if (!Array.isArray(box) || box.length !== 4) return false;
  const n: unknown[] = [];
  for (const v of box) n.push(await resolver.resolve(v));
  if (!n.every((v): v is number => typeof v === 'number')) return false;
  const [x0, y0, x1, y1] = n as [number, number, number, number];
  const width = Math.abs(x1 - x0);
  const height = Math.abs(y1 - y0);
  return width > 0 && height > 0 && width <= MAX_SIDE && height <= MAX_SIDE;
}

/**
 * True when an object below `start` lies more than `limit` levels down, each indirect object
 * counted once in the whole document (pdf-lib's copier copies a shared object once).
 */
async function deeperThan(
  resolver: ObjectResolver,
  start: PdfDict,
  limit: number,
  seen: Set<number>,
): Promise<boolean> {
  const stack: Array<[PdfValue | undefined, number]> = [[start, 0]];
  while (stack.length > 0) {
    const [object, depth] = stack.pop()!;
    if (depth > limit) return true;
    let value = object;
    if (isRef(object)) {
      if (seen.has(object.num)) continue;
      seen.add(object.num);
      try {
        value = await resolver.object(object.num);
      } catch {
        // An object this reader cannot parse: pdf-lib may (it keeps what it cannot read as
        // an invalid object, copied as such); nothing below it is judged, nothing refused.
        continue;
      }
    }
    if (isDict(value)) {
      // The page's parent leads back up the tree (pdf-lib's copier leaves /Parent out too).
      for (const [key, child] of value.entries) if (key !== 'Parent') stack.push([child, depth + 1]);
    } else if (Array.isArray(value)) {
      for (const child of value) stack.push([child, depth + 1]);
    }
  }
  return false;
}
