/**
 * The embedded job queue (docs/architecture.md: side effects and the 2-day deadline are jobs with
 * deterministic ids). Any process on the same database file may run any job; a claim is
 * one UPDATE … RETURNING in a BEGIN IMMEDIATE transaction, so two processes never hold
 * the same job, and a lease that is renewed while the job runs hands the job of a dead
 * process to another after the lease runs out.
 */
import type {
  FillOutcome,
  JobHandler,
  JobListing,
  JobQueue,
  JobSpec,
  JobState,
  JobWorker,
  ListedJobState,
  WorkOptions,
} from '../ports.js';
import { DEFAULT_BACKOFF_MS, DEFAULT_MAX_ATTEMPTS } from '../job-retry.js';
import type { SqliteDatabase } from './open-sqlite.js';
import { SqliteJobListing } from './sqlite-job-listing.js';
import { SqliteJobClaimer } from './sqlite-job-store.js';
import { toJsonText } from './sqlite-json.js';
import { SqliteJobWorker } from './sqlite-job-worker.js';

/** Lease, polling and error reporting of the queue's workers. */
export interface SqliteJobQueueOptions {
  /** How long a claimed job is reserved without renewal; default 60 000 ms. */
  readonly leaseMs?: number;
  /** How often an idle worker looks for due jobs; default 200 ms. */
  readonly pollMs?: number;
  /** Errors a worker cannot hand to a caller; default: a process warning. */
  readonly onError?: (err: unknown) => void;
}

const DERIVED_STATE = `CASE
  WHEN state = 'queued' AND run_at <= @now THEN 'waiting'
  WHEN state = 'queued' THEN 'delayed'
  WHEN state = 'active' AND lease_until <= @now THEN 'waiting'
  ELSE state END`;

/** JobQueue over the `jobs` table. */
export class SqliteJobQueue implements JobQueue {
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly workers = new Set<SqliteJobWorker>();
  private readonly insertJob;
  private readonly deleteQueued;
  private readonly selectState;
  private readonly countStates;
  private readonly selectLastError;
  private readonly listing: SqliteJobListing;

  /** Uses `db` (from openSqlite) without owning it; close() stops this queue's workers. */
  constructor(
    private readonly db: SqliteDatabase,
    options: SqliteJobQueueOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 200;
    this.onError =
      options.onError ?? ((err) => process.emitWarning(err instanceof Error ? err : String(err), 'JobQueueWarning'));
    this.insertJob = db.prepare(
      `INSERT OR IGNORE INTO jobs (id, type, payload, state, run_at, attempts, max_attempts, backoff_ms, created_at, updated_at)
       VALUES (@id, @type, @payload, 'queued', @runAt, 0, @maxAttempts, @backoffMs, @now, @now)`,
    );
    this.deleteQueued = db.prepare<[string]>("DELETE FROM jobs WHERE id = ? AND state = 'queued'");
    this.selectState = db.prepare(`SELECT ${DERIVED_STATE} FROM jobs WHERE id = @id`).pluck();
    this.countStates = db.prepare<{ now: number }, { s: JobState; n: number }>(
      `SELECT ${DERIVED_STATE} AS s, COUNT(*) AS n FROM jobs GROUP BY s`,
    );
    this.selectLastError = db.prepare<[string], string | null>('SELECT last_error FROM jobs WHERE id = ?').pluck();
    this.listing = new SqliteJobListing(db);
  }

  /** Adds the job unless its id exists in any state; wakes this process's workers. */
  async enqueue(job: JobSpec): Promise<boolean> {
    return this.enqueueNow(job);
  }

  /**
   * `enqueue`, synchronously, as part of the caller's transaction when one is open
   * (SqliteChangeWriter). The workers are woken on a later turn (setImmediate), by when
   * that transaction has committed; a wake for a job rolled back finds nothing, as a poll would.
   */
  enqueueNow(job: JobSpec): boolean {
    const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const backoffMs = job.backoffMs ?? DEFAULT_BACKOFF_MS;
    if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1)
      throw new RangeError(`Ugyldig maxAttempts for jobb ${job.id}`);
    if (!Number.isFinite(backoffMs) || backoffMs < 0) throw new RangeError(`Ugyldig backoffMs for jobb ${job.id}`);
    const now = Date.now();
    const runAt = Math.trunc(job.runAt ?? now);
    const added =
      this.insertJob.run({
        id: job.id,
        type: job.type,
        payload: toJsonText(job.payload),
        runAt,
        maxAttempts,
        backoffMs,
        now,
      }).changes === 1;
    if (added && runAt <= now) for (const w of this.workers) w.wake();
    return added;
  }

  /** The jobs are in the store's own database: written and restored with the letters. */
  async fillIfNeeded(): Promise<FillOutcome> {
    return 'held';
  }

  async requestRefill(_options: { readonly removeOld: boolean }): Promise<boolean> {
    return false;
  }

  /** Deletes the job if it is waiting or delayed (not running, not finished). */
  async cancel(id: string): Promise<boolean> {
    return this.deleteQueued.run(id).changes === 1;
  }

  /** Starts a worker for the handlers' types. */
  work(handlers: Readonly<Record<string, JobHandler>>, options: WorkOptions): JobWorker {
    const types = Object.keys(handlers);
    const concurrency = Math.trunc(options.concurrency);
    if (types.length === 0) throw new RangeError('work() trenger minst én handler');
    if (concurrency < 1) throw new RangeError(`Ugyldig concurrency ${options.concurrency}`);
    const claimer = new SqliteJobClaimer(this.db, types, this.leaseMs);
    const worker = new SqliteJobWorker(
      claimer,
      handlers,
      {
        concurrency,
        foregroundBusy: options.foregroundBusy,
        pollMs: this.pollMs,
        leaseMs: this.leaseMs,
        onError: this.onError,
      },
      (w) => this.workers.delete(w),
    );
    this.workers.add(worker);
    return worker;
  }

  /** Jobs per state; a queued job is 'waiting' once due, 'delayed' before. */
  async counts(): Promise<Record<JobState, number>> {
    const counts: Record<JobState, number> = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
    for (const row of this.countStates.all({ now: Date.now() })) counts[row.s] += row.n;
    return counts;
  }

  /** The job's state, or undefined if no job has that id. */
  async state(id: string): Promise<JobState | undefined> {
    return this.selectState.get({ id, now: Date.now() }) as JobState | undefined;
  }

  /** Failed jobs newest first; waiting and delayed ones by due time. */
  async list(state: ListedJobState, limit: number): Promise<JobListing[]> {
    return this.listing.list(state, limit, Date.now());
  }

  async listed(id: string): Promise<JobListing | undefined> {
    return this.listing.one(id, Date.now());
  }

  /** Makes a failed job due now with fresh attempts; wakes this process's workers. */
  async retry(id: string): Promise<boolean> {
    const done = this.listing.retry(id, Date.now());
    if (done) for (const w of this.workers) w.wake();
    return done;
  }

  /** Deletes a failed job. */
  async discard(id: string): Promise<boolean> {
    return this.listing.discard(id);
  }

  /** The error of the job's last failed attempt (kept when it failed for good), if any. */
  async lastError(id: string): Promise<string | undefined> {
    return this.selectLastError.get(id) ?? undefined;
  }

  /** Stops this queue's workers, waiting for their jobs in flight. */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.stop()));
  }
}
