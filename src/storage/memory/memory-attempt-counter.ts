/**
 * AttemptCounter in the node's memory: the embedded default (one process). A restart
 * forgets the counts, and several processes would each count their own — cluster setups
 * (REDIS_URL) use RedisAttemptCounter instead. `addUnlessLocked` runs without an await, so
 * within the process it is atomic: concurrent requests each see the others' counts.
 */
import { isForgotten, lockLeftMs, type AttemptCount, type LockRule } from '../../domain/attempt-lock.js';
import type { AttemptCounter, AttemptKey } from '../ports.js';

interface Entry {
  failures: number;
  last: number;
  /** The window of the rule that last counted here, for pruning. */
  windowMs: number;
}

/** Keys held before forgotten ones are pruned (a guesser trying many user names or addresses). */
const PRUNE_ABOVE = 50_000;

/** In-memory implementation of the AttemptCounter port. */
export class MemoryAttemptCounter implements AttemptCounter {
  readonly #entries = new Map<string, Entry>();

  /** Adds a failure to every key unless one is locked; the longest wait otherwise. */
  async addUnlessLocked(keys: readonly AttemptKey[], rule: LockRule, now: number): Promise<number> {
    const wait = Math.max(0, ...keys.map(({ key, allowed }) => lockLeftMs(this.#entries.get(key), allowed, rule, now)));
    if (wait > 0) return wait;
    for (const { key } of keys) this.#bump(key, rule.windowMs, now);
    return 0;
  }

  /** The key's failures within the window, if any. */
  async read(key: string, windowMs: number, now: number): Promise<AttemptCount | undefined> {
    const e = this.#entries.get(key);
    return e === undefined || isForgotten(e, windowMs, now) ? undefined : { failures: e.failures, last: e.last };
  }

  /** Forgets the key. */
  async forget(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  /** One failure fewer; the last time stays. */
  async takeBack(key: string): Promise<void> {
    const e = this.#entries.get(key);
    if (e !== undefined) e.failures = Math.max(0, e.failures - 1);
  }

  /** Nothing to release. */
  async close(): Promise<void> {}

  /** Keys held now (for tests of the pruning). */
  get size(): number {
    return this.#entries.size;
  }

  #bump(key: string, windowMs: number, now: number): void {
    const e = this.#entries.get(key);
    if (e === undefined || isForgotten(e, windowMs, now)) {
      if (this.#entries.size > PRUNE_ABOVE) this.#prune(now);
      this.#entries.set(key, { failures: 1, last: now, windowMs });
    } else {
      e.failures += 1;
      e.last = now;
      e.windowMs = windowMs;
    }
  }

  #prune(now: number): void {
    for (const [k, e] of this.#entries) if (isForgotten(e, e.windowMs, now)) this.#entries.delete(k);
  }
}
