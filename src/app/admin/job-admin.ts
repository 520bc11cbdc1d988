/**
 * The failed-jobs page's application layer (issue #18 "Failed and waiting work is visible
 * in embedded mode too"): the jobs that failed for good and those waiting, with their
 * error and letter, and a failed job retried or discarded. Jobs span every organisation,
 * so only admins see or change them. Works on any JobQueue: the embedded SQLite queue and
 * BullMQ alike.
 */
import { pendingJobs } from '../../actors/forsendelse-actor.js';
import { BadRequestError } from '../../domain/errors.js';
import type { ForsendelseState } from '../../domain/forsendelse-state.js';
import type { WorkPolicy } from '../../domain/pending-work.js';
import type { AdminUser, JobListing, JobQueue, JobState } from '../../storage/ports.js';
import { requireAdmin } from './access.js';

/** How many jobs of each list the page shows. */
export const JOB_PAGE_LIMIT = 100;
/** At most this many failed jobs are put back by one "Prøv alle igjen". */
export const MAX_RETRY_ALL = 5_000;

/** One job row of the page. */
export interface JobRow extends Omit<JobListing, 'payload'> {
  /** The letter the job works on, when its payload names one. */
  readonly forsendelseId?: string;
}

/** What the page shows. */
export interface JobOverview {
  readonly counts: Record<JobState, number>;
  readonly failed: readonly JobRow[];
  readonly waiting: readonly JobRow[];
  /** Delayed jobs whose last attempt failed: waiting for their next try (backoff). */
  readonly retrying: readonly JobRow[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The letter id of a job's payload (`{ forsendelseId }`, src/jobs/job-payload.ts). */
function forsendelseOf(listing: JobListing): string | undefined {
  const payload = listing.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const id = (payload as { forsendelseId?: unknown }).forsendelseId;
  return typeof id === 'string' && UUID.test(id) ? id : undefined;
}

function toRow(listing: JobListing): JobRow {
  const { payload: _payload, ...rest } = listing;
  const forsendelseId = forsendelseOf(listing);
  return { ...rest, ...(forsendelseId === undefined ? {} : { forsendelseId }) };
}

/** A job id from a form: present and of a sane length (ids are `<type>:<uuid>`). */
function jobId(id: string | undefined): string {
  if (id === undefined || id.length === 0 || id.length > 200)
    throw new BadRequestError('Feltet «id» mangler eller er ugyldig: oppgi jobbens id');
  return id;
}

/** Lists, retries and discards jobs for admins. */
export class JobAdmin {
  /** Works on `queue`; with `policy` (the node's work policy) it also shows a letter's stalled work. */
  constructor(
    private readonly queue: JobQueue,
    private readonly policy?: WorkPolicy,
  ) {}

  /**
   * The work `state` still waits for whose last try failed, or that failed for good, with the
   * error and when it runs next: a letter's page shows why it has not moved (KRR or the print
   * drop away, a full disk). The caller has checked that the user may see the letter.
   */
  async stalledWork(state: ForsendelseState): Promise<JobRow[]> {
    if (this.policy === undefined) return [];
    const listed = await Promise.all(pendingJobs(state, this.policy).map((job) => this.queue.listed(job.id)));
    return listed
      .filter((j): j is JobListing => j !== undefined && (j.state === 'failed' || j.lastError !== undefined))
      .map(toRow);
  }

  /** Failed jobs (newest first) and waiting ones (longest-waiting first), with the counts. */
  async overview(user: AdminUser): Promise<JobOverview> {
    requireAdmin(user);
    const [counts, failed, waiting, delayed] = await Promise.all([
      this.queue.counts(),
      this.queue.list('failed', JOB_PAGE_LIMIT),
      this.queue.list('waiting', JOB_PAGE_LIMIT),
      // Delayed jobs are mostly deadlines (days ahead); retries come due within a day, so
      // they sort among the first ones.
      this.queue.list('delayed', JOB_PAGE_LIMIT * 5),
    ]);
    const retrying = delayed.filter((j) => j.lastError !== undefined).slice(0, JOB_PAGE_LIMIT);
    return { counts, failed: failed.map(toRow), waiting: waiting.map(toRow), retrying: retrying.map(toRow) };
  }

  /** Puts a failed job back in the queue; false when it is no longer failed. */
  async retry(user: AdminUser, id: string | undefined): Promise<boolean> {
    requireAdmin(user);
    return this.queue.retry(jobId(id));
  }

  /**
   * Puts failed jobs back in the queue, oldest listed first, at most `MAX_RETRY_ALL` in one call
   * (a request must end); the number put back. After an outage (the print drop away for days)
   * hundreds fail at once, and the page lists only the newest 100 (found in review).
   */
  async retryAll(user: AdminUser): Promise<number> {
    requireAdmin(user);
    let retried = 0;
    while (retried < MAX_RETRY_ALL) {
      const failed = await this.queue.list('failed', Math.min(JOB_PAGE_LIMIT, MAX_RETRY_ALL - retried));
      let progress = 0;
      for (const job of failed) if (await this.queue.retry(job.id)) progress += 1;
      retried += progress;
      // None left, or every one listed handled by someone else meanwhile.
      if (progress === 0) break;
    }
    return retried;
  }

  /** Removes a failed job for good; false when it is no longer failed. */
  async discard(user: AdminUser, id: string | undefined): Promise<boolean> {
    requireAdmin(user);
    return this.queue.discard(jobId(id));
  }
}
