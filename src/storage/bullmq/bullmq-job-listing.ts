/**
 * The operators' view of the BullMQ queues (one per job type): failed and waiting jobs
 * listed across every type, newest failure first, longest wait first.
 */
import type { Job, Queue } from 'bullmq';
import type { JobListing, ListedJobState } from '../ports.js';
import { readJobData } from './bullmq-job-data.js';

/** BullMQ's lists behind each listed state (a paused queue keeps its due jobs in the wait list). */
const BULL_STATES = {
  failed: ['failed'],
  waiting: ['waiting', 'prioritized'],
  delayed: ['delayed'],
} as const;

/** Up to `limit` jobs in `state` over all `queues`, in the port's order. */
export async function listBullmqJobs(
  queues: readonly Queue[],
  state: ListedJobState,
  limit: number,
): Promise<JobListing[]> {
  const n = Math.max(0, Math.trunc(limit));
  if (n === 0) return [];
  const listed: JobListing[] = [];
  for (const queue of queues) {
    // Failed: newest first (asc=false); waiting and delayed: oldest / soonest due first.
    const jobs = await queue.getJobs([...BULL_STATES[state]], 0, n - 1, state !== 'failed');
    for (const job of jobs as Job[]) {
      const listing = toListing(job, state);
      if (listing !== undefined) listed.push(listing);
    }
  }
  const order = state === 'failed' ? -1 : 1;
  return listed.sort((a, b) => order * (a.at - b.at) || (a.id < b.id ? -1 : 1)).slice(0, n);
}

/** The port's view of one BullMQ job; undefined for data this adapter did not write. */
export function toListing(job: Job, state: ListedJobState): JobListing | undefined {
  let data;
  try {
    data = readJobData(job);
  } catch {
    return undefined;
  }
  // A failed job's time is when it failed; a waiting or delayed one's, when it is due.
  const at = state === 'failed' ? (job.finishedOn ?? job.processedOn ?? job.timestamp) : job.timestamp + job.delay;
  return {
    id: data.id,
    type: job.name,
    state,
    payload: data.payload,
    attempts: Math.max(job.attemptsStarted, job.attemptsMade),
    maxAttempts: job.opts.attempts ?? 1,
    ...(job.failedReason ? { lastError: job.failedReason } : {}),
    createdAt: job.timestamp,
    at,
  };
}
