/**
 * The ChangeWriter for stores that cannot put a forsendelse's rows in one transaction
 * (cluster mode: the journal and the read model in MongoDB, the jobs in Redis; embedded
 * mode with BullMQ jobs): the fewest writes, in an order that a process killed between
 * any two of them leaves repairable. Claims first (the bytes are kept before the id
 * exists), then the events (the truth; the id exists from here), then the jobs, then the
 * record: a record is never ahead of its jobs, and a journal ahead of its record is what
 * the repair sweep and a woken actor look for (they re-queue the pending work and project).
 */
import type { BlobStore, ChangeWriter, ForsendelseChange, JobQueue, Journal, ReadModel } from './ports.js';

/** The ports an ordered change is written through. */
export interface OrderedChangeParts {
  readonly journal: Pick<Journal, 'append'>;
  readonly jobs: Pick<JobQueue, 'enqueue'>;
  readonly readModel: Pick<ReadModel, 'upsert'>;
  readonly blobs: Pick<BlobStore, 'claim'>;
}

/** A ChangeWriter that writes claims, events, jobs and record one after another. */
export function orderedChangeWriter(parts: OrderedChangeParts): ChangeWriter {
  return {
    async write(change: ForsendelseChange): Promise<void> {
      if (change.claims !== undefined && change.claims.length > 0)
        await parts.blobs.claim(change.record.id, change.claims);
      await parts.journal.append(change.events);
      for (const job of change.jobs) await parts.jobs.enqueue(job);
      await parts.readModel.upsert(change.record);
    },
  };
}
