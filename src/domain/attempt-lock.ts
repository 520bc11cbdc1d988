/**
 * When failed attempts lock a key (an admin user name, a level-4 letter, a client address):
 * the rule the throttles apply (src/http/attempt-throttle.ts) and every AttemptCounter
 * adapter enforces atomically. The Redis adapter's Lua script restates `lockLeftMs`; the
 * AttemptCounter contract suite holds both to the same answers.
 */

/** Failures counted under one key: how many within the window, and the latest (epoch ms). */
export interface AttemptCount {
  readonly failures: number;
  readonly last: number;
}

/**
 * How failures lock: once a key has its allowed failures, every further attempt waits
 * baseLockMs, doubled for every failure beyond the allowed, at most maxLockMs, counted
 * from the last failure. Failures whose last is older than windowMs are forgotten.
 */
export interface LockRule {
  /** First lock; doubled for every further failure. */
  readonly baseLockMs: number;
  /** Longest lock. */
  readonly maxLockMs: number;
  /** Failures older than this are forgotten. */
  readonly windowMs: number;
}

/** True when the count's last failure lies more than the window before `now`. */
export function isForgotten(count: AttemptCount, windowMs: number, now: number): boolean {
  return now - count.last > windowMs;
}

/** Milliseconds a key with `count` must wait at `now` when it allows `allowed` failures; 0 when not locked. */
export function lockLeftMs(count: AttemptCount | undefined, allowed: number, rule: LockRule, now: number): number {
  if (count === undefined || isForgotten(count, rule.windowMs, now) || count.failures < allowed) return 0;
  const lock = Math.min(rule.maxLockMs, rule.baseLockMs * 2 ** (count.failures - allowed));
  return Math.max(0, count.last + lock - now);
}
