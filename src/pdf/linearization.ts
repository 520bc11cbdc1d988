/**
 * A linearized file's first object (`/Linearized`, ISO 32000-1 annex F) tells readers how
 * many pages the file has (/N) and which object is the first page (/O). pdf.js and poppler
 * take those from it when its /L is the file's length, before or instead of the page tree;
 * pdf-lib, which composes the print copy, walks the page tree. A dictionary saying 1 page
 * over a tree of 3 showed one page on screen and printed three (found in a review). Refused
 * unless it agrees with the tree.
 */
import type { ByteSource } from './byte-source.js';
import { dictGet, isDict } from './pdf-syntax.js';
import { readObjectAt } from './window-parse.js';

/** Where the first object is looked for: readers look only near the start. */
const HEAD = 1024;

/**
 * The reason, in Norwegian, when the linearization dictionary disagrees with the page tree
 * (`pages` pages, the first page object `firstPage` when known); undefined when it agrees or
 * the file is not linearized to readers.
 */
export async function linearizationDiffers(
  source: ByteSource,
  pages: number,
  firstPage: { readonly num: number; readonly isPage: (num: number) => boolean } | undefined,
): Promise<string | undefined> {
  const head = Buffer.from(await source.read(0, HEAD)).toString('latin1');
  const header = /%PDF-\d\.\d[^\r\n]*[\r\n]+(?:%[^\r\n]*[\r\n]+)*\s*(\d+\s+\d+\s+obj)/.exec(head);
  if (header?.[1] === undefined) return undefined;
  let dict;
  try {
    dict = (await readObjectAt(source, header.index + header[0].length - header[1].length)).value;
  } catch {
    return undefined;
  }
  if (!isDict(dict) || dictGet(dict, 'Linearized') === undefined || dictGet(dict, 'L') !== source.size)
    return undefined;
  const n = dictGet(dict, 'N');
  const o = dictGet(dict, 'O');
  if (n !== pages)
    return `lineariseringsordboken sier ${typeof n === 'number' ? n : 'ingenting'} sider, men sidetreet har ${pages}, så PDF-lesere viser andre sider enn utskriften`;
  // Readers take /O as the first page only where it is one (pdf.js: a /Page, or a dictionary
  // with /Contents and no /Type); MuPDF 1.21's `mutool clean -l` points it at a font
  // descriptor, and readers then take the tree's (found in a review: such files were refused).
  if (firstPage !== undefined && typeof o === 'number' && o !== firstPage.num && firstPage.isPage(o))
    return `lineariseringsordboken peker på objekt ${o} som første side, men sidetreets første side er objekt ${firstPage.num}`;
  return undefined;
}
