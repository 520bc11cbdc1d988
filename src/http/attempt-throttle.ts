/**
 * Slows guessing: after a few failed attempts on one subject (an admin user name, a
 * level-4 letter's one-time code) or from one address, further attempts are refused for a
 * while, doubling with every new failure. The check runs before the expensive or
 * revealing step (scrypt, the code comparison, an SMS).
 *
 * The counts live behind the AttemptCounter port: in the SQLite file when embedded (a
 * restart keeps them), in Redis when REDIS_URL is set, shared by every node, so N nodes
 * behind a load balancer allow no more attempts than one (docs/cluster.md "Throttles").
 * Subjects and addresses are SHA-256 hashed before they become keys, and the node keys
 * those names with its secret (keyed-attempt-counter.ts).
 *
 * An attempt is counted as failed in the same atomic step as the check (`attempt`) and
 * taken back on success: counted after the slow step, every attempt of a burst sent at
 * once — to one node or to several — would pass the check before any was counted.
 */
import { createHash } from 'node:crypto';
import { lockLeftMs, type LockRule } from '../domain/attempt-lock.js';
import { UnavailableError } from '../domain/errors.js';
import type { AttemptCounter, AttemptKey } from '../storage/ports.js';

/** Tuning of the throttle. */
export interface ThrottleOptions extends LockRule {
  /** Failures allowed per subject (user name, letter) before the lock. */
  readonly perSubject: number;
  /** Failures allowed per client address before the lock (many subjects from one place). */
  readonly perAddress: number;
}

/** Defaults (the admin login): 5 per user name, 20 per address, 30 s doubling up to 15 min, forgotten after 30 min. */
export const DEFAULT_THROTTLE: ThrottleOptions = {
  perSubject: 5,
  perAddress: 20,
  baseLockMs: 30_000,
  maxLockMs: 15 * 60_000,
  windowMs: 30 * 60_000,
};

/** The SHA-256 of a value, as key material free of the personal data it came from. */
function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/**
 * The counter cannot be asked (Redis away): the attempt is refused, never let through
 * uncounted, as a temporary error (503) the page can say, not an internal error.
 */
function counterAway(error: unknown): never {
  throw new UnavailableError(
    'Innlogging og engangskoder er midlertidig utilgjengelige: tellingen av mislykkede forsøk svarer ikke. Prøv igjen om litt',
    { cause: error },
  );
}

/** Counts failed attempts per subject and per address of one kind (`scope`: admin login, code, code SMS). */
export class AttemptThrottle {
  /**
   * @param counter where the counts live (shared by the nodes in cluster mode)
   * @param scope names this throttle's keys, so two throttles over one counter stay apart
   */
  constructor(
    private readonly counter: AttemptCounter,
    private readonly scope: string,
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
  ) {}

  /** Milliseconds the caller must wait before trying again, 0 when allowed now. Counts nothing. */
  async waitMs(subject: string, address: string, now: number): Promise<number> {
    const [s, a] = this.#keys(subject, address);
    const [subjectCount, addressCount] = await Promise.all([
      this.counter.read(s.key, this.options.windowMs, now),
      this.counter.read(a.key, this.options.windowMs, now),
    ]).catch(counterAway);
    return Math.max(
      lockLeftMs(subjectCount, s.allowed, this.options, now),
      lockLeftMs(addressCount, a.allowed, this.options, now),
    );
  }

  /**
   * Checks and, when allowed, counts the attempt as failed, in one atomic step. Returns 0
   * when the attempt may go ahead (call `succeeded` if it does succeed), else the
   * milliseconds to wait; a refused attempt counts nothing.
   */
  async attempt(subject: string, address: string, now: number): Promise<number> {
    return this.counter.addUnlessLocked(this.#keys(subject, address), this.options, now).catch(counterAway);
  }

  /**
   * After a successful attempt: forgets the subject's failures, and takes back from the
   * address the one failure `attempt` counted up front; the address keeps its other failures.
   */
  async succeeded(subject: string, address: string): Promise<void> {
    const [s, a] = this.#keys(subject, address);
    await Promise.all([this.counter.forget(s.key), this.counter.takeBack(a.key)]);
  }

  #keys(subject: string, address: string): [AttemptKey, AttemptKey] {
    return [
      { key: `${this.scope}:s:${digest(subject.toLowerCase())}`, allowed: this.options.perSubject },
      { key: `${this.scope}:a:${digest(address)}`, allowed: this.options.perAddress },
    ];
  }
}
