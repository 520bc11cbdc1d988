/**
 * One consumer of the SQLite job queue. It claims due jobs when its poll timer fires or
 * when the queue wakes it (a job enqueued in this process, a job of its own finished),
 * runs at most `concurrency` at once (while the node answers requests, if told so, a new
 * job starts only when no job of the last 200 ms is running), and renews each running
 * job's lease so that only a dead process's jobs are taken over by others.
 */
import { PermanentJobError } from '../ports.js';
import type { JobHandler, JobWorker } from '../ports.js';
import type { ClaimedJob, SqliteJobClaimer } from './sqlite-job-store.js';

/** Timing and error reporting of a worker. */
export interface SqliteJobWorkerOptions {
  readonly concurrency: number;
  /** While true, no job starts next to a young one (WorkOptions.foregroundBusy). */
  readonly foregroundBusy?: () => boolean;
  readonly pollMs: number;
  readonly leaseMs: number;
  /** Errors the worker cannot hand to a caller (database errors while polling). */
  readonly onError: (err: unknown) => void;
}

/**
 * While the node answers requests (foregroundBusy), a job younger than this holds the one
 * slot: one that has run longer is waiting on the network (SMTP, KRR) or a PDF thread, not
 * on the main thread, and no longer keeps the next job from starting.
 */
const YOUNG_JOB_MS = 200;

/** A running worker; created by SqliteJobQueue.work. */
export class SqliteJobWorker implements JobWorker {
  private readonly inFlight = new Set<Promise<void>>();
  /** When each job in flight started. */
  private readonly startedAt = new Map<Promise<void>, number>();
  /** Jobs whose handler succeeded, to be marked completed with the next claim (one commit). */
  private done: ClaimedJob[] = [];
  private timer: NodeJS.Timeout | undefined;
  private wakeScheduled = false;
  private stopping = false;
  private stopped: Promise<void> | undefined;

  /** Starts polling at once. */
  constructor(
    private readonly claimer: SqliteJobClaimer,
    private readonly handlers: Readonly<Record<string, JobHandler>>,
    private readonly options: SqliteJobWorkerOptions,
    private readonly onStopped: (worker: SqliteJobWorker) => void,
  ) {
    this.poll();
  }

  /** Claims due jobs soon (coalesced), e.g. after an enqueue in this process. */
  wake(): void {
    if (this.stopping || this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.fill();
    });
  }

  /** Stops claiming and resolves when the jobs in flight have finished. */
  stop(): Promise<void> {
    this.stopped ??= this.drain();
    return this.stopped;
  }

  private async drain(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.completeDone(0);
    this.onStopped(this);
  }

  private poll(): void {
    this.fill();
    if (!this.stopping) this.timer = setTimeout(() => this.poll(), this.options.pollMs);
  }

  private fill(): void {
    if (this.stopping) return;
    const jobs = this.completeDone(this.room());
    for (const job of jobs) {
      const running: Promise<void> = this.run(job).finally(() => {
        this.inFlight.delete(running);
        this.startedAt.delete(running);
        this.wake();
      });
      this.inFlight.add(running);
      this.startedAt.set(running, Date.now());
    }
  }

  /**
   * Marks the finished jobs completed and claims up to `limit` more, in one transaction.
   * When it fails, the finished jobs wait for the next try (their leases still hold them).
   */
  private completeDone(limit: number): ClaimedJob[] {
    const done = this.done;
    this.done = [];
    try {
      return this.claimer.completeAndClaim(done, limit);
    } catch (err) {
      this.done.push(...done);
      this.options.onError(err);
      return [];
    }
  }

  /**
   * How many jobs may start now: up to `concurrency` in flight; while the node answers
   * requests, none next to a job younger than YOUNG_JOB_MS (the poll timer looks again).
   */
  private room(): number {
    const free = this.options.concurrency - this.inFlight.size;
    if (free <= 0 || this.options.foregroundBusy?.() !== true) return free;
    const now = Date.now();
    let young = 0;
    for (const at of this.startedAt.values()) if (now - at < YOUNG_JOB_MS) young += 1;
    return Math.min(free, 1 - young);
  }

  private async run(job: ClaimedJob): Promise<void> {
    const renewal = setInterval(() => this.renew(job), Math.max(10, Math.floor(this.options.leaseMs / 3)));
    try {
      const handler = this.handlers[job.type];
      if (handler === undefined) throw new PermanentJobError(`Ingen handler for jobbtype ${job.type}`);
      await handler({ id: job.id, type: job.type, payload: job.payload, attempt: job.attempt });
      clearInterval(renewal);
      // Completed with the next claim, on the wake this job's end schedules.
      this.done.push(job);
    } catch (err) {
      clearInterval(renewal);
      const permanent = err instanceof PermanentJobError || (err as Error | null)?.name === 'PermanentJobError';
      this.report(() => this.claimer.failed(job, describe(err), permanent));
    } finally {
      clearInterval(renewal);
    }
  }

  private renew(job: ClaimedJob): void {
    this.report(() => {
      if (!this.claimer.renew(job)) {
        throw new Error(`Jobb ${job.id}: leasen er tapt (tatt over av en annen prosess eller kansellert)`);
      }
    });
  }

  private report(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.onError(err);
    }
  }
}

/** The error text kept in `last_error`. */
function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 4000);
  return String(err).slice(0, 4000);
}
