/**
 * The operators' view of the embedded job queue: failed and waiting jobs listed, a failed
 * job retried (back to 'queued', due now, attempts counted afresh) or discarded (deleted).
 * Both changes apply only to a job that is failed at that moment, in one statement.
 */
import type { JobListing, ListedJobState } from '../ports.js';
import type { SqliteDatabase } from './open-sqlite.js';
import { fromJsonText } from './sqlite-json.js';

interface ListingRow {
  id: string;
  type: string;
  payload: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  created_at: number;
  at: number;
}

interface OneRow extends Omit<ListingRow, 'at'> {
  state: string;
  run_at: number;
  lease_until: number | null;
  finished: number;
}

const COLUMNS = 'id, type, payload, attempts, max_attempts, last_error, created_at';

/** Which list a job row belongs to now (as the three list queries select); undefined for running or done. */
function listedState(r: OneRow, now: number): ListedJobState | undefined {
  if (r.state === 'failed') return 'failed';
  if (r.state === 'queued') return r.run_at <= now ? 'waiting' : 'delayed';
  if (r.state === 'active' && r.lease_until !== null && r.lease_until <= now) return 'waiting';
  return undefined;
}

function toListing(r: ListingRow, state: ListedJobState): JobListing {
  return {
    id: r.id,
    type: r.type,
    state,
    payload: fromJsonText(r.payload),
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    ...(r.last_error === null ? {} : { lastError: r.last_error }),
    createdAt: r.created_at,
    at: r.at,
  };
}

/** Lists, retries and discards jobs of the `jobs` table. */
export class SqliteJobListing {
  private readonly failed;
  private readonly waiting;
  private readonly delayed;
  private readonly retryFailed;
  private readonly deleteFailed;
  private readonly byId;

  /** Prepares the statements on `db`. */
  constructor(db: SqliteDatabase) {
    this.failed = db.prepare<{ limit: number }, ListingRow>(
      `SELECT ${COLUMNS}, COALESCE(finished_at, updated_at) AS at FROM jobs
       WHERE state = 'failed' ORDER BY at DESC, id LIMIT @limit`,
    );
    // Due and not running: queued and due, or active with a lease that ran out (its
    // process died; the next claim runs it again). Longest waiting first: a job waits from
    // when it was both due and enqueued (a letter's print job is due from the letter's
    // arrival, pendingJobs, but waits only from its enqueue), which the oldest-waiting
    // metric reads.
    this.waiting = db.prepare<{ now: number; limit: number }, ListingRow>(
      `SELECT ${COLUMNS}, MAX(run_at, created_at) AS at FROM jobs
       WHERE (state = 'queued' AND run_at <= @now) OR (state = 'active' AND lease_until <= @now)
       ORDER BY at, id LIMIT @limit`,
    );
    this.delayed = db.prepare<{ now: number; limit: number }, ListingRow>(
      `SELECT ${COLUMNS}, run_at AS at FROM jobs WHERE state = 'queued' AND run_at > @now
       ORDER BY run_at, id LIMIT @limit`,
    );
    this.retryFailed = db.prepare<{ id: string; now: number }>(
      `UPDATE jobs SET state = 'queued', run_at = @now, attempts = 0, finished_at = NULL, updated_at = @now
       WHERE id = @id AND state = 'failed'`,
    );
    this.deleteFailed = db.prepare<[string]>("DELETE FROM jobs WHERE id = ? AND state = 'failed'");
    this.byId = db.prepare<[string], OneRow>(
      `SELECT ${COLUMNS}, state, run_at, lease_until, COALESCE(finished_at, updated_at) AS finished FROM jobs WHERE id = ?`,
    );
  }

  /** Job `id` as `list` would show it, when it is failed, waiting or delayed now. */
  one(id: string, now: number): JobListing | undefined {
    const r = this.byId.get(id);
    if (r === undefined) return undefined;
    const listed = listedState(r, now);
    if (listed === undefined) return undefined;
    const at = listed === 'failed' ? r.finished : listed === 'waiting' ? Math.max(r.run_at, r.created_at) : r.run_at;
    return toListing({ ...r, at }, listed);
  }

  /** Up to `limit` jobs in `state`. */
  list(state: ListedJobState, limit: number, now: number): JobListing[] {
    const n = Math.max(0, Math.trunc(limit));
    const rows =
      state === 'failed'
        ? this.failed.all({ limit: n })
        : (state === 'waiting' ? this.waiting : this.delayed).all({ now, limit: n });
    return rows.map((r) => toListing(r, state));
  }

  /** Makes a failed job due now; false when no failed job has that id. */
  retry(id: string, now: number): boolean {
    return this.retryFailed.run({ id, now }).changes === 1;
  }

  /** Deletes a failed job; false when no failed job has that id. */
  discard(id: string): boolean {
    return this.deleteFailed.run(id).changes === 1;
  }
}
