/**
 * Which bytes of a file the recipient has been sent in parts (HTTP ranges), so that a file
 * fetched in pieces counts as read once every byte has left the server, as one fetched whole
 * does (docs/architecture.md step 7). A resumed download, a download manager or a PDF viewer
 * that loads by ranges never sent the whole file in one response: the letter stayed unread,
 * was reminded of and printed after the recipient had it (found in a review).
 *
 * This is the ServedParts port in this process's memory, for a node on its own; nodes that
 * share Redis add up their parts there (src/storage/redis/redis-served-parts.ts, the same
 * rules). Bounded: a file's parts are forgotten a day after its last one, the oldest file's
 * when more than MAX_FILES are followed, and a file's when its parts stay apart in more than
 * MAX_PIECES pieces.
 */
import { FORGET_AFTER_MS, MAX_PIECES, merged } from '../domain/served-pieces.js';
import type { ByteRange, ServedParts } from '../storage/ports.js';

/** An inclusive byte range, as served. */
export type ServedRange = ByteRange;

interface Coverage {
  /** Disjoint, sorted, inclusive; touching pieces are merged. */
  pieces: ServedRange[];
  lastAt: number;
}

const MAX_FILES = 2_000;

/** The parts of files served so far, by a key naming the file and whose download it is. */
export class DownloadCoverage implements ServedParts {
  readonly #files = new Map<string, Coverage>();

  /**
   * Adds `range` of the `size`-byte file `key`; true when the parts so far cover the whole file
   * (the key is then forgotten: the next part starts anew).
   */
  add(key: string, range: ServedRange, size: number, now: number): Promise<boolean> {
    return Promise.resolve(this.#add(key, range, size, now));
  }

  close(): Promise<void> {
    this.#files.clear();
    return Promise.resolve();
  }

  #add(key: string, range: ServedRange, size: number, now: number): boolean {
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
