/**
 * Makes a level-4 letter's one-time code good for one use. The codes themselves are derived
 * (InboxLinks.oneTimeCode) and need no storage; what is stored, in the AttemptCounter that
 * the throttles share (in Redis across nodes, in memory when embedded), is per subject (a
 * letter and the person its link was made for: InboxService.codeSubject):
 * - its *generation*: how many of its codes were used. It is part of the code, so a code
 *   sent after a use differs from the one used, also within one 10-minute window;
 * - each generation's *use*, taken in one atomic step: of two requests with the same right
 *   code, from one browser or two, one opens the letter and the other is told the code was used.
 * Keys are SHA-256 digests of the subject (no personal data), kept a day after the last use.
 */
import { createHash } from 'node:crypto';
import type { LockRule } from '../domain/attempt-lock.js';
import type { AttemptCounter } from '../storage/ports.js';

/** How long a subject's generation and used codes are kept after its last use. */
const KEEP_MS = 24 * 3600_000;
/**
 * One rule for both keys of a use: a used generation is locked for the day (its codes are
 * valid for at most 20 minutes); the generation count, which allows any number, never locks.
 */
const USE: LockRule = { baseLockMs: KEEP_MS, maxLockMs: KEEP_MS, windowMs: KEEP_MS };

function keyOf(kind: string, subject: string): string {
  return `otp-${kind}:${createHash('sha256').update(subject, 'utf8').digest('base64url')}`;
}

/** The use of one-time codes per subject: a letter and the person its link was made for. */
export class OneTimeCodeUses {
  constructor(private readonly counter: AttemptCounter) {}

  /**
   * The subject's code generation at `now`: how many of its codes were used in the day
   * before its last use (kept that long, so a code sent hours after a use is checked
   * against the generation it was made with).
   */
  async generation(subject: string, now: number): Promise<number> {
    return (await this.counter.read(keyOf('generasjon', subject), KEEP_MS, now))?.failures ?? 0;
  }

  /**
   * Uses the subject's code of `generation`: true for the first use, false when it was
   * already used. The use and the move to the next generation are one atomic step (one
   * call of the counter, a Lua script in Redis): the next code sent differs from the one
   * used, also when the node dies right after.
   */
  async use(subject: string, generation: number, now: number): Promise<boolean> {
    const keys = [
      { key: `${keyOf('brukt', subject)}:${generation}`, allowed: 1 },
      { key: keyOf('generasjon', subject), allowed: Number.MAX_SAFE_INTEGER },
    ];
    return (await this.counter.addUnlessLocked(keys, USE, now)) === 0;
  }
}
