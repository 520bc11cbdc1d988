/**
 * The pages a reader counts: PDF readers (poppler, pdf.js, Acrobat) find the last
 * `startxref` near the end of the file and read the objects its cross-reference chain points
 * at, where pdf-lib, which composes the letter, reads the file front to back and keeps the
 * last definition of each object. A file can make the two disagree: objects written after
 * the last cross-reference section, which no table names (found in a review: a three-page
 * letter whose print copy held one "decoy" page instead). Intake compares both readings
 * (inspect-pdf.ts, inspect-pdf-stream.ts) and refuses a file whose pages differ.
 */
import type { ByteSource } from './byte-source.js';
import { ObjectResolver } from './object-resolver.js';
import { PageTreeError } from './page-tree.js';
import { walkPageTree } from './page-tree-stream.js';
import { PdfNestingError, dictGet, isPdfWhitespace, latin1 } from './pdf-syntax.js';
import { openXrefChain, type XrefTable } from './xref-table.js';

/** §7.5.5: readers look for `startxref` and `%%EOF` near the end; allow some trailing bytes (appended objects). */
export const TAIL_WINDOW = 4096;
/** Whitespace and NUL padding after the end (block-size padding of some scanners and file systems) is looked past, up to this much. */
const PADDING_WINDOW = 64 * 1024;

/**
 * The last TAIL_WINDOW characters (Latin-1) before any trailing whitespace or NUL padding
 * (PDF whitespace, §7.2.2): a file followed by 5 000 zero bytes, which readers open, was
 * refused as unreadable (found in a review).
 */
export async function fileTail(source: ByteSource): Promise<string> {
  const start = Math.max(0, source.size - TAIL_WINDOW - PADDING_WINDOW);
  const bytes = await source.read(start, source.size - start);
  // A loop, not a regular expression: /[…]+$/ backtracks quadratically over a long run of
  // blanks followed by anything else (68 KB of spaces and one byte took 5.5 s; found in review).
  let end = bytes.length;
  while (end > 0 && isPdfWhitespace(bytes[end - 1] as number)) end--;
  return latin1(bytes, Math.max(0, end - TAIL_WINDOW), end);
}

/** The offset named by the last `startxref` in the file's tail, if any. */
export async function lastStartxref(source: ByteSource): Promise<number | undefined> {
  const tail = await fileTail(source);
  let offset: number | undefined;
  for (const match of tail.matchAll(/startxref\s+(\d+)/g)) offset = Number(match[1]);
  return offset;
}

/** The cross-reference chain a reader uses; undefined when there is none it can read (readers then rebuild it in file order). */
export async function readersXref(source: ByteSource): Promise<XrefTable | undefined> {
  const startxref = await lastStartxref(source);
  if (startxref === undefined) return undefined;
  try {
    return await openXrefChain(source, startxref);
  } catch {
    return undefined;
  }
}

/**
 * Pages of the tree the cross-reference chain leads to; undefined when the chain or the tree
 * cannot be read that way (readers rebuild the table in file order then, as pdf-lib reads).
 * Throws PageTreeError for a tree that reading finds and intake refuses.
 */
export async function pagesByCrossReference(source: ByteSource, table?: XrefTable): Promise<number | undefined> {
  const xref = table ?? (await readersXref(source));
  if (xref === undefined) return undefined;
  try {
    return await walkPageTree(new ObjectResolver(source, (num) => xref.entry(num)), dictGet(xref.trailer, 'Root'));
  } catch (e) {
    // Nesting past the lexer's depth is no unreadable table (readers walk it): said, not hidden.
    if (e instanceof PageTreeError || e instanceof PdfNestingError) throw e;
    return undefined;
  }
}

/** The refusal's reason when the two readings differ, in Norwegian. */
export function readingsDiffer(byXref: number, inFileOrder: number): string {
  return `kryssreferansetabellen gir ${byXref} sider, men objektene slik de sist er definert i filen gir ${inFileOrder}`;
}
