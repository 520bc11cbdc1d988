/**
 * Makes a level-4 letter's one-time code good for one use. The codes themselves are derived
 * (InboxLinks.oneTimeCode) and need no storage; what is stored, in the AttemptCounter that
 * the throttles share (in Redis across nodes, in memory when embedded), is per subject (a
 * letter and the person its link was made for: InboxService.codeSubject):
 * - its *generation*: how many of its codes were used. It is part of the code, so a code
 *   sent after a use differs from the one used, also within one 10-minute window;
 * - each generation's *use*, taken in one atomic step: of two requests with the same right
 *   code, from one browser or two, one opens the letter and the other is told the code was used.
 * Keys are SHA-256 digests of the subject (no personal data), kept half an hour: longer
 * than a code is valid (10–20 minutes).
 */
import { createHash } from 'node:crypto';
import type { LockRule } from '../domain/attempt-lock.js';
import type { AttemptCounter } from '../storage/ports.js';

/** Longer than a code stays valid (its window and the previous one: at most 20 minutes). */
const KEEP_MS = 30 * 60_000;
/** A used generation stays used (locked) while its codes could still be valid. */
const USED: LockRule = { baseLockMs: KEEP_MS, maxLockMs: KEEP_MS, windowMs: KEEP_MS };
/** The generation count never locks; it is only read. */
const COUNT: LockRule = { baseLockMs: 0, maxLockMs: 0, windowMs: KEEP_MS };

function keyOf(kind: string, subject: string): string {
  return `otp-${kind}:${createHash('sha256').update(subject, 'utf8').digest('base64url')}`;
}

/** The use of one-time codes per subject: a letter and the person its link was made for. */
export class OneTimeCodeUses {
  constructor(private readonly counter: AttemptCounter) {}

  /** The subject's code generation at `now`: how many of its codes were used in the last half hour. */
  async generation(subject: string, now: number): Promise<number> {
    return (await this.counter.read(keyOf('generasjon', subject), KEEP_MS, now))?.failures ?? 0;
  }

  /**
   * Uses the subject's code of `generation`: true for the first use, false when it was
   * already used. After a use the subject's next code is of the next generation.
   */
  async use(subject: string, generation: number, now: number): Promise<boolean> {
    const key = `${keyOf('brukt', subject)}:${generation}`;
    if ((await this.counter.addUnlessLocked([{ key, allowed: 1 }], USED, now)) > 0) return false;
    await this.counter.addUnlessLocked(
      [{ key: keyOf('generasjon', subject), allowed: Number.MAX_SAFE_INTEGER }],
      COUNT,
      now,
    );
    return true;
  }
}
