/**
 * Which bytes of a file the recipient has been sent in parts (HTTP ranges), so that a file
 * fetched in pieces counts as read once every byte has left the server, as one fetched whole
 * does (docs/architecture.md step 7). A resumed download, a download manager or a PDF viewer
 * that loads by ranges never sent the whole file in one response: the letter stayed unread,
 * was reminded of and printed after the recipient had it (found in a review).
 *
 * Held in this process's memory, bounded: a file's parts are forgotten a day after its last
 * one, the oldest file's when more than MAX_FILES are followed, and a file's when its parts
 * stay apart in more than MAX_PIECES pieces. Parts served by different nodes of a cluster
 * are not added up.
 */

/** An inclusive byte range, as served. */
export interface ServedRange {
  readonly start: number;
  readonly end: number;
}

interface Coverage {
  /** Disjoint, sorted, inclusive; touching pieces are merged. */
  pieces: ServedRange[];
  lastAt: number;
}

const MAX_FILES = 2_000;
const MAX_PIECES = 512;
const FORGET_AFTER_MS = 24 * 3600_000;

/** The parts of files served so far, by a key naming the file and whose download it is. */
export class DownloadCoverage {
  readonly #files = new Map<string, Coverage>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Adds `range` of the `size`-byte file `key`; true when the parts so far cover the whole file
   * (the key is then forgotten: the next part starts anew).
   */
  add(key: string, range: ServedRange, size: number): boolean {
    const now = this.now();
    this.#forgetOld(now);
    const coverage = this.#files.get(key) ?? { pieces: [], lastAt: now };
    this.#files.delete(key);
    coverage.pieces = merged(coverage.pieces, range);
    coverage.lastAt = now;
    const first = coverage.pieces[0];
    if (coverage.pieces.length === 1 && first !== undefined && first.start <= 0 && first.end >= size - 1) return true;
    if (coverage.pieces.length > MAX_PIECES) return false;
    // Re-inserted last: the Map's order is the order of last use.
    this.#files.set(key, coverage);
    if (this.#files.size > MAX_FILES) this.#files.delete(this.#files.keys().next().value as string);
    return false;
  }

  #forgetOld(now: number): void {
    for (const [key, coverage] of this.#files) {
      if (now - coverage.lastAt < FORGET_AFTER_MS) break;
      this.#files.delete(key);
    }
  }
}

/** `pieces` (sorted, disjoint) with `range` added, merged with every piece it overlaps or touches. */
function merged(pieces: readonly ServedRange[], range: ServedRange): ServedRange[] {
  const out: ServedRange[] = [];
  let current: ServedRange = { start: range.start, end: range.end };
  let placed = false;
  for (const piece of pieces) {
    if (piece.end + 1 < current.start) out.push(piece);
    else if (piece.start > current.end + 1) {
      if (!placed) out.push(current);
      placed = true;
      out.push(piece);
    } else current = { start: Math.min(current.start, piece.start), end: Math.max(current.end, piece.end) };
  }
  if (!placed) out.push(current);
  return out;
}
