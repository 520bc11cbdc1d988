/**
 * A job queue kept apart from the store (REDIS_URL) can lose the work the stored letters
 * wait for, while the store keeps the letters: a Redis that restarts without persistence or
 * is flushed, a new Redis, or a database restored from a backup (`budbringer restore`, or
 * mongorestore in cluster mode) over a queue that went on, whose completed jobs of the same
 * ids would make the restored letters' next jobs no-ops. The repair sweep does not see it (it
 * wakes only letters whose record lags their journal), so those letters would stay put.
 *
 * Every worker node checks at start and then every REPAIR_INTERVAL_MS
 * (JobQueue.fillIfNeeded): a queue without its mark, or one asked to refill (a restore leaves
 * its mark in DATA_DIR, restore-mark.ts, which becomes such a request; `budbringer requeue`
 * makes one), is filled by one node: after a request every job not running is removed first,
 * then every stored letter's pending jobs (the jobs its state waits for, as its actor would
 * queue them) are queued, page by page in id order, and the queue is marked. A queue in the
 * store's own database always holds its work.
 *
 * Work done before may be done again (a restore goes back in time: docs/operations.md); every
 * job checks its letter's state when it runs.
 */
import type { Logger } from 'pino';
import { pendingJobs } from '../actors/forsendelse-actor.js';
import type { WorkPolicy } from '../domain/pending-work.js';
import { fromRecord } from '../domain/record.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import type { FillOutcome, ForsendelseRecord, JobQueue, ReadModel } from '../storage/ports.js';
import { hasRestoreMark, removeRestoreMark } from './restore-mark.js';

/** Letters read from the read model at a time. */
const PAGE = 500;
/** Ids of letters that could not be queued named in the log, at most. */
const NAMED = 20;

/** What filling the queue needs. */
export interface RequeueDeps {
  readonly readModel: ReadModel;
  readonly jobs: JobQueue;
  readonly policy: WorkPolicy;
  readonly log: Logger;
  /** Where `budbringer restore` leaves its mark. */
  readonly dataDir: string;
  /** True once the node stops: a fill ends at the next page, unmarked, for the next start. */
  readonly stopping?: () => boolean;
  /** Clock for the time a fill holds the work through (recent-work-check.ts); default Date.now. */
  readonly now?: () => number;
}

/** What one pass over the stored letters did. */
export interface Requeued {
  readonly letters: number;
  /** Jobs added (those already queued stay and are not counted). */
  readonly jobs: number;
  /** Letters whose stored view could not be read, and so not queued. */
  readonly failed: readonly string[];
  /** False when it stopped early (the node stops, or another process took the turn). */
  readonly complete: boolean;
}

/**
 * Queues every job the stored letters' states wait for (enqueue: a job already there stays),
 * going through the letters in id order while `go()` holds. A letter that arrives meanwhile
 * queues its own jobs as it is written.
 */
export async function queueStoredWork(
  deps: Pick<RequeueDeps, 'readModel' | 'jobs' | 'policy'>,
  go: () => boolean,
): Promise<Requeued> {
  let letters = 0;
  let jobs = 0;
  const failed: string[] = [];
  for (let after: string | undefined; ;) {
    if (!go()) return { letters, jobs, failed, complete: false };
    const ids = await deps.readModel.idsAfter(after, PAGE);
    for (const [id, state] of await statesOf(deps.readModel, ids)) {
      letters++;
      if (state === undefined) failed.push(id);
      else for (const job of pendingJobs(state, deps.policy)) if (await deps.jobs.enqueue(job)) jobs++;
    }
    if (ids.length < PAGE) return { letters, jobs, failed, complete: true };
    after = ids.at(-1);
  }
}

/**
 * The letters' states by id, read a page at a time; a letter whose stored view cannot be
 * read or checked (not JSON, no journal to rebuild it from) is undefined, read on its own so
 * that it does not take its page with it.
 */
async function statesOf(
  readModel: ReadModel,
  ids: readonly string[],
): Promise<[string, ForsendelseState | undefined][]> {
  const stateOf = (record: ForsendelseRecord): ForsendelseState | undefined => {
    try {
      return fromRecord(record);
    } catch {
      return undefined;
    }
  };
  try {
    return (await readModel.getMany(ids)).map((record) => [record.id, stateOf(record)]);
  } catch {
    const one = async (id: string): Promise<[string, ForsendelseState | undefined]> => {
      const record = await readModel.get(id).catch(() => undefined);
      return [id, record === undefined ? undefined : stateOf(record)];
    };
    const states: [string, ForsendelseState | undefined][] = [];
    for (const id of ids) states.push(await one(id));
    return states;
  }
}

/**
 * A restore's mark in DATA_DIR made a refill request of the queue (which pauses it until the
 * old jobs are removed), then removed. Called before the node's job worker starts, so that it
 * runs no job of the queue's other time. The request is made before the file goes: a crash in
 * between makes it again.
 */
export async function takeRestoreMark(deps: Pick<RequeueDeps, 'jobs' | 'dataDir' | 'log'>): Promise<void> {
  if (!(await hasRestoreMark(deps.dataDir))) return;
  if (await deps.jobs.requestRefill({ removeOld: true }))
    deps.log.warn('the database was restored: the job queue is refilled from it, its old jobs removed first');
  await removeRestoreMark(deps.dataDir);
}

/** The check a worker node makes at start and every repair interval. */
export async function keepQueueFilled(deps: RequeueDeps): Promise<FillOutcome> {
  const stopping = deps.stopping ?? (() => false);
  if (stopping()) return 'incomplete';
  await takeRestoreMark(deps);
  let done: Requeued | undefined;
  const startedAt = (deps.now ?? Date.now)();
  const outcome = await deps.jobs.fillIfNeeded(async (held) => {
    done = await queueStoredWork(deps, () => held() && !stopping());
    return done.complete;
  });
  if (done === undefined) return outcome;
  // Every letter written before the fill began has its work queued now.
  if (outcome === 'filled') await deps.jobs.apart?.markHeldThrough(startedAt);
  const { failed, ...counts } = done;
  const fields = { ...counts, outcome, failed: failed.length, failedIds: failed.slice(0, NAMED) };
  if (failed.length > 0)
    deps.log.error(fields, 'stored letters whose pending work could not be queued (their view is unreadable)');
  if (outcome === 'filled' && counts.jobs > 0) deps.log.warn(fields, "queued the stored letters' pending work again");
  else deps.log.info(fields, 'the job queue was checked against the stored letters');
  return outcome;
}
