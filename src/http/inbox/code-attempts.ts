/**
 * Limits on level-4 one-time codes per inbox link. A code is 6 digits and lives up to 20
 * minutes (its 10-minute window and the next); unlimited guesses would find it in 10^6
 * tries, well within that time over HTTP. So after `maxFailures` wrong codes for a link,
 * every attempt for it is refused until the failures are `windowMs` old (by then the codes
 * guessed at have expired), and at most `maxSends` code SMS go out per link in that time,
 * so a link cannot be used to flood the recipient's phone. State is per node and in
 * memory, like the admin login throttle: N nodes allow N times the guesses (still about
 * 5·N in a million per window).
 */

/** Tuning of the limits. */
export interface CodeAttemptLimits {
  readonly maxFailures: number;
  readonly maxSends: number;
  readonly windowMs: number;
}

/** Defaults: 5 wrong codes and 3 code SMS per link per 20 minutes. */
export const DEFAULT_CODE_LIMITS: CodeAttemptLimits = { maxFailures: 5, maxSends: 3, windowMs: 20 * 60_000 };

/** Counts wrong codes and code SMS per link. */
export class CodeAttempts {
  private readonly failures = new Map<string, number[]>();
  private readonly sends = new Map<string, number[]>();

  constructor(private readonly limits: CodeAttemptLimits = DEFAULT_CODE_LIMITS) {}

  /** True when `key` (a link) may try a code now. */
  mayTry(key: string, now: number): boolean {
    return this.recent(this.failures, key, now).length < this.limits.maxFailures;
  }

  /** Records a wrong code for `key`. */
  failed(key: string, now: number): void {
    this.failures.set(key, [...this.recent(this.failures, key, now), now]);
  }

  /** Records a code SMS for `key` if one more is allowed; false when the limit is reached. */
  trySend(key: string, now: number): boolean {
    const recent = this.recent(this.sends, key, now);
    if (recent.length >= this.limits.maxSends) return false;
    this.sends.set(key, [...recent, now]);
    return true;
  }

  /** Times within the window; forgets keys with none (so the maps stay small). */
  private recent(map: Map<string, number[]>, key: string, now: number): number[] {
    const kept = (map.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
    if (kept.length === 0) map.delete(key);
    else map.set(key, kept);
    return kept;
  }
}
