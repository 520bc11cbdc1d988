/** How the BullMQ adapter stores job data and reads BullMQ's states back. */
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { JobState, Json } from '../ports.js';

/** What the adapter stores as BullMQ job data. */
export interface StoredJobData {
  /** The JobSpec id as given (the BullMQ id is its encoded form). */
  readonly id: string;
  readonly payload: Json;
  /** Random per enqueue call: tells whether this call's job is the one stored. */
  readonly nonce: string;
}

type BullState = Awaited<ReturnType<Queue['getJobState']>>;

/** Maps a BullMQ state to the port's; undefined for an unknown job. */
export function toJobState(state: BullState | string): JobState | undefined {
  switch (state) {
    case 'waiting':
    case 'prioritized':
    case 'paused':
    case 'waiting-children':
      return 'waiting';
    case 'delayed':
    case 'active':
    case 'completed':
    case 'failed':
      return state;
    default:
      return undefined;
  }
}

/** Reads job data written by `enqueue`; throws on anything else. */
export function readJobData(job: Job): StoredJobData {
  const data: unknown = job.data;
  if (typeof data === 'object' && data !== null && 'id' in data && 'nonce' in data && 'payload' in data) {
    const { id, nonce, payload } = data as Record<string, unknown>;
    if (typeof id === 'string' && typeof nonce === 'string') return { id, nonce, payload: payload as Json };
  }
  throw new UnrecoverableError(`Jobb ${job.id ?? '?'} har ukjent dataformat`);
}

/** The value as an Error (what onError takes). */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
