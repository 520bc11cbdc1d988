/**
 * Makes a level-4 letter's one-time code good for one use. The codes themselves are derived
 * (InboxLinks.oneTimeCode) and need no storage; what is stored, in the AttemptCounter that
 * the throttles share (in Redis across nodes, in the SQLite file when embedded, so a restart
 * keeps it), is per subject (a letter and the person its link was made for:
 * InboxService.codeSubject):
 * - its *generation*: how many of its codes were used. It is part of the code, so a code
 *   sent after a use differs from the one used, also within one 10-minute window;
 * - each generation's *use*, taken in one atomic step: of two requests with the same right
 *   code, from one browser or two, one opens the letter and the other is told the code was used;
 * - with the use, in the same step, the *form* it came from (a random id of one rendering of
 *   the code form): the same form sent again within SAME_FORM_MS (a double click, which sends
 *   the second request before the first answer sets the proof cookie) opens the letter too.
 * Keys are SHA-256 digests of the subject (no personal data), kept a day after the last use.
 */
import { createHash } from 'node:crypto';
import type { LockRule } from '../domain/attempt-lock.js';
import type { AttemptCounter } from '../storage/ports.js';

/** How long a subject's generation and used codes are kept after its last use. */
const KEEP_MS = 24 * 3600_000;
/** How long after a use the same form may send the code again and open the letter. */
export const SAME_FORM_MS = 2 * 60_000;
/**
 * One rule for both keys of a use: a used generation is locked for the day (its codes are
 * valid for at most 20 minutes); the generation count, which allows any number, never locks.
 */
const USE: LockRule = { baseLockMs: KEEP_MS, maxLockMs: KEEP_MS, windowMs: KEEP_MS };

function keyOf(kind: string, subject: string): string {
  return `otp-${kind}:${createHash('sha256').update(subject, 'utf8').digest('base64url')}`;
}

function formKey(subject: string, generation: number, form: string): string {
  return keyOf('skjema', `${generation}\u0000${form}\u0000${subject}`);
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
  async use(subject: string, generation: number, now: number, form?: string): Promise<boolean> {
    const keys = [
      { key: `${keyOf('brukt', subject)}:${generation}`, allowed: 1 },
      { key: keyOf('generasjon', subject), allowed: Number.MAX_SAFE_INTEGER },
      ...(form === undefined ? [] : [{ key: formKey(subject, generation, form), allowed: Number.MAX_SAFE_INTEGER }]),
    ];
    return (await this.counter.addUnlessLocked(keys, USE, now)) === 0;
  }

  /** Whether the subject's code of `generation` was used from `form` within SAME_FORM_MS before `now`. */
  async usedFrom(subject: string, generation: number, form: string, now: number): Promise<boolean> {
    return (await this.counter.read(formKey(subject, generation, form), SAME_FORM_MS, now)) !== undefined;
  }
}
