/**
 * The ChangeWriter for stores that cannot put a forsendelse's rows in one transaction
 * (cluster mode: the journal and the read model in MongoDB, the jobs in Redis; embedded
 * mode with BullMQ jobs): the fewest writes, in an order that a process killed between
 * any two of them leaves repairable. Claims first (the bytes are kept before the id
 * exists), then the events (the truth; the id exists from here), then the jobs, then the
 * record: a record is never ahead of its jobs, and a journal ahead of its record is what
 * the repair sweep and a woken actor look for (they re-queue the pending work and project).
 */
import { withinMs } from './time-bound.js';
import {
  ChangeIncompleteError,
  type BlobStore,
  type ChangeWriter,
  type ForsendelseChange,
  type JobQueue,
  type Journal,
  type ReadModel,
} from './ports.js';

/** The ports an ordered change is written through. */
export interface OrderedChangeParts {
  readonly journal: Pick<Journal, 'append'>;
  readonly jobs: Pick<JobQueue, 'enqueue'>;
  readonly readModel: Pick<ReadModel, 'upsert'>;
  readonly blobs: Pick<BlobStore, 'claim'>;
}

/** How long the steps after the events may take before the write answers ChangeIncompleteError. */
export const DEFAULT_SETTLE_MS = 5_000;

/** Tuning of the ordered writer. */
export interface OrderedChangeOptions {
  /** How long the jobs and the record may take once the events are stored (DEFAULT_SETTLE_MS). */
  readonly settleMs?: number;
  /** Hears each change left incomplete (to log it). */
  readonly onIncomplete?: (error: ChangeIncompleteError) => void;
}

/**
 * A ChangeWriter that writes claims, events, jobs and record one after another. Once the
 * events are stored the change has happened: a job queue that is away (Redis down; ioredis
 * retries a command for ~100 s) must not turn it into an error after a long wait, which a
 * sender would take for "not sent" and send again. The jobs and the record get `settleMs`;
 * a failure or a longer wait is ChangeIncompleteError, with the record not written, so the
 * repair sweep finds the journal ahead of it and completes the change.
 */
export function orderedChangeWriter(parts: OrderedChangeParts, options: OrderedChangeOptions = {}): ChangeWriter {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  return {
    async write(change: ForsendelseChange): Promise<void> {
      if (change.claims !== undefined && change.claims.length > 0)
        await parts.blobs.claim(change.record.id, change.claims);
      await parts.journal.append(change.events);
      const rest = async (): Promise<void> => {
        // The record only after every job: a record is never ahead of its jobs.
        for (const job of change.jobs) await parts.jobs.enqueue(job);
        await parts.readModel.upsert(change.record);
      };
      try {
        // Still running after the wait: it may finish or fail later, heard by nobody.
        await withinMs(rest(), settleMs, () => new Error(`ikke ferdig etter ${settleMs} ms`));
      } catch (cause) {
        const incomplete = new ChangeIncompleteError(change.record.id, cause);
        options.onIncomplete?.(incomplete);
        throw incomplete;
      }
    },
  };
}
