/**
 * One consumer of the SQLite job queue. It claims due jobs when its poll timer fires or
 * when the queue wakes it (a job enqueued in this process, a job of its own finished),
 * runs at most `concurrency` at once (one while the node answers requests, if told so),
 * and renews each running job's lease so that only a dead process's jobs are taken over
 * by others.
 */
import { PermanentJobError } from '../ports.js';
import type { JobHandler, JobWorker } from '../ports.js';
import type { ClaimedJob, SqliteJobClaimer } from './sqlite-job-store.js';

/** Timing and error reporting of a worker. */
export interface SqliteJobWorkerOptions {
  readonly concurrency: number;
  /** While true, no job starts next to a running one (WorkOptions.foregroundBusy). */
  readonly foregroundBusy?: () => boolean;
  readonly pollMs: number;
  readonly leaseMs: number;
  /** Errors the worker cannot hand to a caller (database errors while polling). */
  readonly onError: (err: unknown) => void;
}

/** A running worker; created by SqliteJobQueue.work. */
export class SqliteJobWorker implements JobWorker {
  private readonly inFlight = new Set<Promise<void>>();
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
    this.onStopped(this);
  }

  private poll(): void {
    this.fill();
    if (!this.stopping) this.timer = setTimeout(() => this.poll(), this.options.pollMs);
  }

  private fill(): void {
    if (this.stopping) return;
    let jobs: ClaimedJob[];
    try {
      const limit = this.options.foregroundBusy?.() === true ? 1 : this.options.concurrency;
      jobs = this.claimer.claim(limit - this.inFlight.size);
    } catch (err) {
      this.options.onError(err);
      return;
    }
    for (const job of jobs) {
      const running: Promise<void> = this.run(job).finally(() => {
        this.inFlight.delete(running);
        this.wake();
      });
      this.inFlight.add(running);
    }
  }

  private async run(job: ClaimedJob): Promise<void> {
    const renewal = setInterval(() => this.renew(job), Math.max(10, Math.floor(this.options.leaseMs / 3)));
    try {
      const handler = this.handlers[job.type];
      if (handler === undefined) throw new PermanentJobError(`Ingen handler for jobbtype ${job.type}`);
      await handler({ id: job.id, type: job.type, payload: job.payload, attempt: job.attempt });
      clearInterval(renewal);
      this.report(() => this.claimer.complete(job));
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
