/**
 * What `/readyz` says: whether a load balancer should send this node work. Not while it
 * drains (SIGTERM), not while the letters' store does not answer within the bound (MongoDB
 * away, a SQLite file that cannot be read), and not while DATA_DIR has less free space than
 * READY_MIN_FREE_MB (a full disk, where every send failed while /readyz said ready: found in
 * a review), and not while no file can be written there: such a node could only answer 5xx to a send. A job queue in Redis that is away does not count: a send is still accepted and its
 * work queued once Redis is back (docs/operations.md). One ping at a time, shared by the
 * probes that come meanwhile; a change of state is logged once. (SQLite's ping is a read of
 * the open file, synchronous: the bound is for MongoDB.)
 */
import { randomUUID } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
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
  /**
   * Resolves once a new file could be written in DATA_DIR and removed: a DATA_DIR made read-only
   * (remounted after an I/O error, wrong owner after a restore) failed every send while /readyz
   * said ready (found in review). Without it, not checked.
   */
  readonly writable?: () => Promise<void>;
}

/** A look that did not come back within the bound: not knowing, unlike a failure. */
class NoAnswerInTime extends Error {}

/** `look`, one at a time: the probes that come while it is out share it, also past their bound. */
function oneAtATime<T>(look: () => Promise<T>): () => Promise<T> {
  let out: Promise<T> | undefined;
  return () =>
    (out ??= look().finally(() => {
      out = undefined;
    }));
}

/** The check /readyz calls. */
export function readinessCheck(deps: ReadinessDeps): () => Promise<Readiness> {
  const ms = deps.timeoutMs ?? 2_000;
  const bounded = <T>(look: Promise<T>): Promise<T> =>
    withinMs(look, ms, () => new NoAnswerInTime(`svarte ikke innen ${ms} ms`));
  // A store that hangs is asked once, not once per probe; DATA_DIR on a hung network mount
  // must not hold every probe either (and a thread of libuv's pool each).
  const ping = oneAtATime(deps.ping);
  const freeBytes = deps.freeBytes === undefined ? undefined : oneAtATime(deps.freeBytes);
  const writable = deps.writable === undefined ? undefined : oneAtATime(deps.writable);
  let lastReachable = true;
  let lastRoomy = true;
  let lastWritable = true;
  /** Whether DATA_DIR has the room a send needs; a state change is logged once. */
  const roomy = async (): Promise<boolean> => {
    if (freeBytes === undefined || !deps.minFreeBytes) return true;
    let free: number;
    try {
      free = await bounded(freeBytes());
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
  /** Whether a file can be written in DATA_DIR; a state change is logged once. */
  const canWrite = async (): Promise<boolean> => {
    if (writable === undefined) return true;
    let now: boolean;
    try {
      await bounded(writable());
      now = true;
    } catch (error) {
      // A look that did not come back in time is not knowing, as above.
      if (error instanceof NoAnswerInTime) return true;
      if (lastWritable) deps.log.error({ err: error }, 'DATA_DIR cannot be written: not ready');
      now = false;
    }
    if (now && !lastWritable) deps.log.info('DATA_DIR can be written again: ready');
    lastWritable = now;
    return now;
  };
  return async () => {
    if (!deps.accepting()) return { status: 'draining' };
    if (!(await roomy())) return { status: 'unavailable', reason: 'Det er for lite ledig plass på disken' };
    if (!(await canWrite())) return { status: 'unavailable', reason: 'Noden kan ikke skrive til disken' };
    try {
      await bounded(ping());
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

/** Creates, writes and removes a small file in `dir`: whether a send could store its files there. */
export async function probeWrite(dir: string): Promise<void> {
  // `.tmp`: a backup taken meanwhile leaves it out (backup-layout.ts isDataDirFile).
  const path = join(dir, `.readyz-${randomUUID()}.tmp`);
  const file = await open(path, 'wx');
  try {
    await file.write('klar\n');
  } finally {
    await file.close();
    await unlink(path).catch(() => undefined);
  }
}
