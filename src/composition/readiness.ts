/**
 * What `/readyz` says: whether a load balancer should send this node work. Not while it
 * drains (SIGTERM), and not while the letters' store does not answer within the bound
 * (MongoDB away, a SQLite file that cannot be read): such a node could only answer 5xx to
 * a send. A job queue in Redis that is away does not count: a send is still accepted and its
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
  return async () => {
    if (!deps.accepting()) return { status: 'draining' };
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
