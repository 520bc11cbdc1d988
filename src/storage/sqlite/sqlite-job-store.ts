/**
 * The SQL of the job queue: claim with a lease, renew, complete, retry, fail. Every change
 * to a claimed job names the claim's token, so a worker that lost its lease (its process
 * stalled, another took the job over) can no longer overwrite the job's fate.
 */
import { randomUUID } from 'node:crypto';
import { retryDelayMs } from '../job-retry.js';
import type { Json } from '../ports.js';
import type { SqliteDatabase } from './open-sqlite.js';
import { writeTransaction } from './open-sqlite.js';
import { fromJsonText } from './sqlite-json.js';

/** A job this process has claimed and holds the lease of. */
export interface ClaimedJob {
  readonly id: string;
  readonly type: string;
  readonly payload: Json;
  /** 1 on the first run; counts claims, including ones whose process died. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly token: string;
}

interface ClaimRow {
  id: string;
  type: string;
  payload: string;
  attempts: number;
  max_attempts: number;
  backoff_ms: number;
}

/** Claims jobs of a fixed set of types and reports their outcome. */
export class SqliteJobClaimer {
  private readonly anyDue;
  private readonly giveUpAbandoned;
  private readonly claimDue;
  private readonly renewLease;
  private readonly completeJob;
  private readonly retryJob;
  private readonly failJob;
  private readonly typeParams: Record<string, string>;

  /** Prepares the statements for jobs of `types` (at least one). */
  constructor(
    private readonly db: SqliteDatabase,
    types: readonly string[],
    private readonly leaseMs: number,
  ) {
    // Types are bound as @t0, @t1, … next to the other named parameters.
    this.typeParams = Object.fromEntries(types.map((t, i) => [`t${i}`, t]));
    const typeList = types.map((_, i) => `@t${i}`).join(', ');
    // A job is claimable when it is due, or when the lease of the process running it ran
    // out (that process died or hung): the job is then run again, by whoever comes first.
    const claimable = `type IN (${typeList}) AND (
        (state = 'queued' AND run_at <= @now) OR (state = 'active' AND lease_until <= @now))`;
    this.anyDue = db.prepare(`SELECT 1 FROM jobs WHERE ${claimable} LIMIT 1`).pluck();
    // A job whose last allowed attempt died with its process fails instead of running again.
    this.giveUpAbandoned = db.prepare(
      `UPDATE jobs SET state = 'failed', lease_until = NULL, lease_token = NULL, finished_at = @now,
         updated_at = @now, last_error = 'Prosessen som kjørte jobben stoppet under siste forsøk (lease utløpt)'
       WHERE type IN (${typeList}) AND state = 'active' AND lease_until <= @now AND attempts >= max_attempts`,
    );
    // The first `limit` of each kind through its own index, then the first `limit` of both.
    // One query with the OR above gathers every due job and sorts them all for the first
    // one: with a backlog of 3 000 due jobs 0.5 ms per claim instead of 0.03 ms, on the
    // main thread, two or three claims per letter (bench/README.md, `sustained_ratio`).
    const firstDue = (state: string, dueColumn: string): string =>
      `SELECT id, run_at FROM (SELECT id, run_at FROM jobs
         WHERE state = '${state}' AND ${dueColumn} <= @now AND type IN (${typeList})
         ORDER BY run_at, id LIMIT @limit)`;
    this.claimDue = db.prepare(
      `UPDATE jobs SET state = 'active', lease_token = @token, lease_until = @leaseUntil,
         attempts = attempts + 1, updated_at = @now
       WHERE id IN (SELECT id FROM (${firstDue('queued', 'run_at')} UNION ALL ${firstDue('active', 'lease_until')})
         ORDER BY run_at, id LIMIT @limit)
       RETURNING id, type, payload, attempts, max_attempts, backoff_ms`,
    );
    const mine = "id = @id AND lease_token = @token AND state = 'active'";
    this.renewLease = db.prepare(`UPDATE jobs SET lease_until = @leaseUntil, updated_at = @now WHERE ${mine}`);
    this.completeJob = db.prepare(
      `UPDATE jobs SET state = 'completed', lease_until = NULL, lease_token = NULL, last_error = NULL,
         finished_at = @now, updated_at = @now WHERE ${mine}`,
    );
    this.retryJob = db.prepare(
      `UPDATE jobs SET state = 'queued', run_at = @runAt, lease_until = NULL, lease_token = NULL,
         last_error = @error, updated_at = @now WHERE ${mine}`,
    );
    this.failJob = db.prepare(
      `UPDATE jobs SET state = 'failed', lease_until = NULL, lease_token = NULL, last_error = @error,
         finished_at = @now, updated_at = @now WHERE ${mine}`,
    );
  }

  /** Atomically takes up to `limit` due jobs with a fresh lease; [] when none is due. */
  claim(limit: number): ClaimedJob[] {
    return this.completeAndClaim([], limit);
  }

  /**
   * Marks the `done` jobs completed (see `complete`) and takes up to `limit` due jobs with a
   * fresh lease, in one transaction: a worker's next claim carries the completions of the
   * jobs it finished since, so a job costs one commit fewer. [] when none is due.
   */
  completeAndClaim(done: readonly ClaimedJob[], limit: number): ClaimedJob[] {
    const now = Date.now();
    // A read first, so that idle polling never takes the file's write lock.
    if (limit <= 0 || this.anyDue.get({ ...this.typeParams, now }) === undefined) {
      if (done.length > 0) writeTransaction(this.db, () => this.completeAll(done, now));
      return [];
    }
    const token = randomUUID();
    const rows = writeTransaction(this.db, () => {
      this.completeAll(done, now);
      this.giveUpAbandoned.run({ ...this.typeParams, now });
      return this.claimDue.all({ ...this.typeParams, now, token, leaseUntil: now + this.leaseMs, limit }) as ClaimRow[];
    });
    return rows
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((r) => ({
        id: r.id,
        type: r.type,
        payload: fromJsonText(r.payload),
        attempt: r.attempts,
        maxAttempts: r.max_attempts,
        backoffMs: r.backoff_ms,
        token,
      }));
  }

  /** Extends the lease; false when it was lost (the job was taken over or cancelled). */
  renew(job: ClaimedJob): boolean {
    const now = Date.now();
    return this.renewLease.run({ id: job.id, token: job.token, now, leaseUntil: now + this.leaseMs }).changes === 1;
  }

  /** Marks the job done; it stays in the table so that enqueuing its id again is a no-op. */
  complete(job: ClaimedJob): void {
    this.completeJob.run({ id: job.id, token: job.token, now: Date.now() });
  }

  private completeAll(done: readonly ClaimedJob[], now: number): void {
    for (const job of done) this.completeJob.run({ id: job.id, token: job.token, now });
  }

  /** Schedules the next attempt after exponential backoff, or fails the job for good. */
  failed(job: ClaimedJob, error: string, permanent: boolean): void {
    const now = Date.now();
    if (permanent || job.attempt >= job.maxAttempts) {
      this.failJob.run({ id: job.id, token: job.token, now, error });
      return;
    }
    const delay = retryDelayMs(job.backoffMs, job.attempt);
    this.retryJob.run({ id: job.id, token: job.token, now, error, runAt: now + delay });
  }
}
