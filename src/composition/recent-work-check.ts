/**
 * A job queue in Redis that went back in time keeps its fill mark (requeue.ts) but not the
 * jobs queued after the moment it went back to: a Redis restored from a snapshot, an AOF
 * that lost its last second (`everysec`), a failover to a replica that was behind. The
 * letters written meanwhile are stored, acknowledged and up to date in the store, so neither
 * the fill nor the repair sweep saw them, and they waited until an operator ran
 * `budbringer requeue` (found in review, 7 December 2026: ten acknowledged letters stayed
 * MOTTATT with nothing in the metrics).
 *
 * The queue records the time through which it holds the jobs of every letter written to the
 * store (QueueApartFromStore.heldThrough); that record goes back with the Redis. Every
 * worker node checks the letters whose journal grew since then, less a slack for jobs queued
 * after their events (cluster mode: up to 5 s) and the nodes' clocks: their pending jobs that
 * the queue has in no state are queued again, and the time is moved on. A Redis that never
 * had the record is checked over the last hour once. The time is never set later than
 * Redis's own clock (nor read later than the checking node's), so the nodes' clocks need to
 * agree with Redis's within the slack: NTP's usual milliseconds are far inside it.
 */
import type { Logger } from 'pino';
import { pendingJobs } from '../actors/forsendelse-actor.js';
import type { WorkPolicy } from '../domain/pending-work.js';
import { fromRecord } from '../domain/record.js';
import type { JobQueue, JobSpec, Journal, ReadModel } from '../storage/ports.js';

const PREFIX = 'forsendelse:';
/** Letters read from the read model at a time. */
const PAGE = 500;
/** How far before the held-through time a check looks (jobs queued after their events, clocks). */
export const RECHECK_SLACK_MS = 15_000;
/** How far back the first check over a Redis without the record looks. */
const FIRST_LOOK_BACK_MS = 3_600_000;
/** Ids of letters whose work was queued again named in the log, at most. */
const NAMED = 20;

/** What the check needs. */
export interface RecentWorkDeps {
  readonly journal: Journal;
  readonly readModel: ReadModel;
  readonly jobs: JobQueue;
  readonly policy: WorkPolicy;
  readonly log: Logger;
  readonly now: () => number;
}

/**
 * Queues again the pending jobs the queue lost of letters written since its held-through
 * time, and moves that time on; returns how many jobs it queued (0 where the queue is in the
 * store's own database).
 */
export async function queueLostRecentWork(deps: RecentWorkDeps): Promise<number> {
  const apart = deps.jobs.apart;
  if (apart === undefined) return 0;
  const startedAt = deps.now();
  // Never later than this node's clock: one behind the others' (or Redis's) checks from its own now.
  const through = Math.min((await apart.heldThrough()) ?? startedAt - FIRST_LOOK_BACK_MS, startedAt);
  const keys = (await deps.journal.keysAppendedSince(through - RECHECK_SLACK_MS)).filter((k) => k.startsWith(PREFIX));
  let queued = 0;
  const named: string[] = [];
  for (let i = 0; i < keys.length; i += PAGE) {
    const ids = keys.slice(i, i + PAGE).map((k) => k.slice(PREFIX.length));
    const letterOf = new Map<JobSpec, string>();
    for (const record of await deps.readModel.getMany(ids)) {
      try {
        for (const job of pendingJobs(fromRecord(record), deps.policy)) letterOf.set(job, record.id);
      } catch {
        // An unreadable view: the repair and the fill name such letters; nothing to queue from it.
      }
    }
    for (const job of await apart.missing([...letterOf.keys()])) {
      if (!(await deps.jobs.enqueue(job))) continue;
      queued++;
      const id = letterOf.get(job) ?? job.id;
      if (named.length < NAMED && !named.includes(id)) named.push(id);
    }
  }
  if (queued > 0)
    deps.log.warn(
      { jobs: queued, ids: named, since: new Date(through).toISOString() },
      'queued again work the job queue had lost (a Redis that went back in time)',
    );
  await apart.markHeldThrough(startedAt);
  return queued;
}
