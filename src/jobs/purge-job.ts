/**
 * Job `purge` (DESIGN.md step 9): RETENTION after sending, the documents are deleted;
 * metadata and history stay. The generated files (cover page + documents, unique to the
 * letter) are removed from the blob store. Originals are content-addressed and may be
 * shared with other letters (the same leaflet sent to many), so they are made
 * unreachable here and removed by the blob store's garbage collection.
 */
import type { JobHandler } from '../storage/ports.js';
import type { DeliveryDeps } from './delivery-deps.js';
import { forsendelseIdOf } from './job-payload.js';

/** The purge job handler. */
export function purgeJob(deps: Pick<DeliveryDeps, 'actors' | 'blobs' | 'now'>): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    const state = await deps.actors.state(id);
    if (state === undefined) return;
    if (state.dokumenterSlettetAt === undefined) {
      await deps.actors.execute(id, { type: 'SlettDokumenter', at: deps.now(), grunn: 'oppbevaringstid' });
    }
    for (const f of [state.forsendelsesfil, state.printfil]) {
      if (f !== undefined) await deps.blobs.delete(f.sha256);
    }
  };
}
