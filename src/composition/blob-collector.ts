/**
 * The blob store's periodic garbage collection (BlobStore.collectGarbage). Releasing a
 * forsendelse's references or an intake's lease deletes what nothing holds at once; this
 * timer only finishes what a dead process left: leases of puts that never claimed or
 * released (killed mid-request), and a release interrupted between its steps. The grace
 * period is far longer than any intake (a 1 GB upload, PDF checks) so a lease of a request
 * still running is never expired. Every worker node runs it; in cluster mode several
 * nodes collecting at once is safe, because each deletion is conditional (docs/cluster.md).
 */
import type { Logger } from 'pino';
import type { BlobStore } from '../storage/ports.js';
import { type PeriodicTask, startPeriodicTask } from './periodic-task.js';

/** How the collector runs. */
export interface BlobCollectorOptions {
  /** Time between runs; default an hour. */
  readonly intervalMs?: number;
  /** Age after which a lease has expired; default a day. */
  readonly graceMs?: number;
}

/** A running collector. */
export type BlobCollector = PeriodicTask;

/** Runs `blobs.collectGarbage` now and then every interval, logging what it deleted. */
export function startBlobCollector(blobs: BlobStore, log: Logger, options: BlobCollectorOptions = {}): BlobCollector {
  const graceMs = options.graceMs ?? 24 * 3600_000;
  return startPeriodicTask(
    async () => {
      const deleted = await blobs.collectGarbage(graceMs);
      if (deleted > 0) log.info({ deleted }, 'deleted documents no forsendelse holds any more');
    },
    options.intervalMs ?? 3600_000,
    (err) => log.error({ err }, 'blob garbage collection failed'),
  );
}
