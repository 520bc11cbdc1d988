/**
 * A job queue kept apart from the store (REDIS_URL) can lose the work the stored letters
 * wait for, while the store keeps the letters: a Redis that restarts without persistence or
 * is flushed, a new Redis, or a database restored from a backup (`budbringer restore`, or
 * mongorestore in cluster mode) over a queue that went on and has already completed the jobs
 * the restored letters wait for again. The repair sweep does not see it (it wakes only letters
 * whose record lags their journal), so those letters would stay where they are.
 *
 * The queue holds a mark once it was filled from the store (JobQueue.hasWorkMark). Every
 * worker node checks it at start and then every REPAIR_INTERVAL_MS; without it, the node
 * queues again every stored letter's pending jobs (the jobs its state waits for, as its actor
 * would queue them), in place of completed ones of the same id, then sets the mark. A restore
 * leaves its own mark in DATA_DIR (restore-mark.ts), which clears the queue's; so does
 * `budbringer requeue`. A queue in the store's own database always holds its work.
 *
 * Work done before may be done again (a restore goes back in time: docs/operations.md);
 * every job checks its letter's state when it runs, so one queued twice (two worker nodes
 * filling a flushed queue at once) does its work once.
 */
import type { Logger } from 'pino';
import { pendingJobs } from '../actors/forsendelse-actor.js';
import type { WorkPolicy } from '../domain/pending-work.js';
import { fromRecord } from '../domain/record.js';
import type { JobQueue, ReadModel } from '../storage/ports.js';
import { hasRestoreMark, removeRestoreMark } from './restore-mark.js';

/** Letters read from the read model at a time. */
const PAGE = 500;

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
}

/** What a fill did. */
export interface Requeued {
  readonly letters: number;
  readonly jobs: number;
  /** False when it stopped early (the node stops). */
  readonly complete: boolean;
}

/**
 * Queues again every job the stored letters' states wait for, completed ones of the same id
 * included. Pages newest first: a letter that arrives meanwhile moves the pages by one and is
 * seen twice (harmless), none is skipped.
 */
export async function requeueStoredWork(deps: Omit<RequeueDeps, 'dataDir' | 'log'>): Promise<Requeued> {
  let letters = 0;
  let jobs = 0;
  for (let offset = 0; ; offset += PAGE) {
    if (deps.stopping?.() === true) return { letters, jobs, complete: false };
    const page = await deps.readModel.search({ limit: PAGE, offset });
    const records = await deps.readModel.getMany(page.items.map((item) => item.id));
    for (const record of records) {
      letters++;
      for (const job of pendingJobs(fromRecord(record), deps.policy)) {
        if (await deps.jobs.requeue(job)) jobs++;
      }
    }
    if (page.items.length < PAGE) return { letters, jobs, complete: true };
  }
}

/**
 * The check a worker node makes at start and every repair interval: fills the queue from the
 * store when it lacks its mark (or DATA_DIR has a restore's), then marks it. Returns what was
 * queued, or undefined when the queue had its mark.
 */
export async function keepQueueFilled(deps: RequeueDeps): Promise<Requeued | undefined> {
  const restored = await hasRestoreMark(deps.dataDir);
  if (restored) await deps.jobs.clearWorkMark();
  if (await deps.jobs.hasWorkMark()) {
    if (restored) await removeRestoreMark(deps.dataDir);
    return undefined;
  }
  const done = await requeueStoredWork(deps);
  if (!done.complete) return done;
  await deps.jobs.setWorkMark();
  if (restored) await removeRestoreMark(deps.dataDir);
  const why = restored ? 'the database was restored from a backup' : 'the job queue lacked its mark (new or flushed)';
  if (done.jobs > 0) deps.log.warn({ ...done, why }, "queued the stored letters' pending work again");
  else deps.log.info({ ...done, why }, "the job queue held the stored letters' pending work");
  return done;
}
