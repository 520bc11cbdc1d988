/**
 * Slows guessing: after a few failed attempts on one subject (an admin user name, a
 * level-4 letter's one-time code) or from one address, further attempts are refused for a
 * while, doubling with every new failure. The check runs before the expensive or
 * revealing step (scrypt, the code comparison, an SMS). State is per node and in memory:
 * a restart forgets it, and N nodes allow N times the attempts — still minutes per
 * handful of guesses. A shared store would be a port addition.
 */

/** Tuning of the throttle. */
export interface ThrottleOptions {
  /** Failures allowed per subject (user name, letter) before the lock. */
  readonly perSubject: number;
  /** Failures allowed per client address before the lock (many subjects from one place). */
  readonly perAddress: number;
  /** First lock; doubled for every further failure. */
  readonly baseLockMs: number;
  /** Longest lock. */
  readonly maxLockMs: number;
  /** Failures older than this are forgotten. */
  readonly windowMs: number;
}

/** Defaults (the admin login): 5 per user name, 20 per address, 30 s doubling up to 15 min, forgotten after 30 min. */
export const DEFAULT_THROTTLE: ThrottleOptions = { perSubject: 5, perAddress: 20, baseLockMs: 30_000, maxLockMs: 15 * 60_000, windowMs: 30 * 60_000 };

interface Entry {
  failures: number;
  last: number;
}

/** Counts failed attempts per subject and per address. */
export class AttemptThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: ThrottleOptions = DEFAULT_THROTTLE) {}

  /** Milliseconds the caller must wait before trying again, 0 when allowed now. */
  waitMs(subject: string, address: string, now: number): number {
    return Math.max(this.lockLeft(`u:${subject.toLowerCase()}`, this.options.perSubject, now), this.lockLeft(`a:${address}`, this.options.perAddress, now));
  }

  /** Records a failed attempt. */
  failed(subject: string, address: string, now: number): void {
    this.bump(`u:${subject.toLowerCase()}`, now);
    this.bump(`a:${address}`, now);
  }

  /**
   * Forgets the subject's failures after a success. With `address`, the attempt had been
   * counted as failed up front (`failed` before an await, so concurrent attempts see it):
   * that one count is taken back from the address, which otherwise keeps its count.
   */
  succeeded(subject: string, address?: string): void {
    this.entries.delete(`u:${subject.toLowerCase()}`);
    const e = address === undefined ? undefined : this.entries.get(`a:${address}`);
    if (e !== undefined) e.failures = Math.max(0, e.failures - 1);
  }

  private lockLeft(key: string, allowed: number, now: number): number {
    const e = this.entries.get(key);
    if (e === undefined || now - e.last > this.options.windowMs || e.failures < allowed) return 0;
    const lock = Math.min(this.options.maxLockMs, this.options.baseLockMs * 2 ** (e.failures - allowed));
    return Math.max(0, e.last + lock - now);
  }

  private bump(key: string, now: number): void {
    const e = this.entries.get(key);
    if (e === undefined || now - e.last > this.options.windowMs) {
      if (this.entries.size > 50_000) this.prune(now);
      this.entries.set(key, { failures: 1, last: now });
    } else {
      e.failures += 1;
      e.last = now;
    }
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries) if (now - e.last > this.options.windowMs) this.entries.delete(k);
  }
}
