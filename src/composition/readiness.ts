/**
 * What `/readyz` says: whether a load balancer should send this node work. Not while it
 * drains (SIGTERM), not while the letters' store does not answer within the bound (MongoDB
 * away, a SQLite file that cannot be read), and not while DATA_DIR has less free space than
 * READY_MIN_FREE_MB (a full disk, where every send failed while /readyz said ready: found in
 * a review): such a node could only answer 5xx to a send. A job queue in Redis that is away does not count: a send is still accepted and its
 * work queued once Redis is back (docs/operations.md). One ping at a time, shared by the
 * probes that come meanwhile; a change of state is logged once. (SQLite's ping is a read of
 * the open file, synchronous: the bound is for MongoDB.)
 */
import type { Logger } from 'pino';
import type { Readiness } from '../http/app.js';
import { withinMs } from '../storage/time-bound.js';

/** What the check needs. */
export interface ReadinessDeps {
  /** False once the node drains. */
  readonly accepting: () => boolean;
  /** Resolves once the store answers (Storage.ping). */
  readonly ping: () => Promise<void>;
  readonly log: Logger;
  /** How long the store may take; default 2 000 ms. */
  readonly timeoutMs?: number;
  /** DATA_DIR's free bytes, and the least it needs; without them free space is not checked. */
  readonly freeBytes?: () => Promise<number>;
  readonly minFreeBytes?: number;
}

/** The check /readyz calls. */
export function readinessCheck(deps: ReadinessDeps): () => Promise<Readiness> {
  const ms = deps.timeoutMs ?? 2_000;
  // One ping out at a time, shared until it settles, also past a probe's bound: a store that
  // hangs is asked once, not once per probe.
  let pinging: Promise<void> | undefined;
  let lastReachable = true;
  const ping = (): Promise<void> =>
    (pinging ??= deps.ping().finally(() => {
      pinging = undefined;
    }));
  let lastRoomy = true;
  // One look at the disk out at a time, shared like the ping: DATA_DIR on a hung network mount
  // must not hold every probe (and a thread of libuv's pool each).
  let looking: Promise<number> | undefined;
  const freeBytes = deps.freeBytes;
  /** Whether DATA_DIR has the room a send needs; a state change is logged once. */
  const roomy = async (): Promise<boolean> => {
    if (freeBytes === undefined || !deps.minFreeBytes) return true;
    let free: number;
    try {
      const look = (looking ??= freeBytes().finally(() => {
        looking = undefined;
      }));
      free = await withinMs(look, ms, () => new Error(`svarte ikke innen ${ms} ms`));
    } catch {
      // Not knowing is no reason to send the work elsewhere; the store's ping says more.
      return true;
    }
    const now = free >= deps.minFreeBytes;
    if (now !== lastRoomy) {
      if (now) deps.log.info({ free }, 'DATA_DIR has room again: ready');
      else
        deps.log.error({ free, needed: deps.minFreeBytes }, 'DATA_DIR is (nearly) full: not ready (READY_MIN_FREE_MB)');
    }
    lastRoomy = now;
    return now;
  };
  return async () => {
    if (!deps.accepting()) return { status: 'draining' };
    if (!(await roomy())) return { status: 'unavailable', reason: 'Det er for lite ledig plass på disken' };
    try {
      await withinMs(ping(), ms, () => new Error(`svarte ikke innen ${ms} ms`));
      if (!lastReachable) deps.log.info('the letter store answers again: ready');
      lastReachable = true;
      return { status: 'ready' };
    } catch (error) {
      if (lastReachable) deps.log.error({ err: error }, 'the letter store does not answer: not ready');
      lastReachable = false;
      // The details (hosts, ports) go to the log only: /readyz answers anyone.
      return { status: 'unavailable', reason: 'Lageret for forsendelser svarer ikke' };
    }
  };
}
