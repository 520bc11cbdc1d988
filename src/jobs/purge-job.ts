/**
 * Job `purge` (docs/architecture.md step 9): RETENTION after sending, the documents are deleted;
 * metadata and history stay. The forsendelse releases its references to its blobs
 * (originals and generated files); the blob store deletes every blob no other letter
 * references (the same leaflet may go with many letters) at once. slettFiler releases
 * at once itself; a purge job still due for such a letter releases again, harmlessly.
 */
import { strandedInSvarInn } from '../domain/delivery-rules.js';
import type { JobHandler } from '../storage/ports.js';
import type { DeliveryDeps } from './delivery-deps.js';
import { forsendelseIdOf } from './job-payload.js';

/** The purge job handler. */
export function purgeJob(deps: Pick<DeliveryDeps, 'actors' | 'blobs' | 'now'>): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    const state = await deps.actors.state(id);
    if (state === undefined) return;
    // A letter stranded in SvarInn (files deleted, never fetched) is ended by the deletion command too.
    if (state.dokumenterSlettetAt === undefined || strandedInSvarInn(state)) {
      await deps.actors.execute(id, { type: 'SlettDokumenter', at: deps.now(), grunn: 'oppbevaringstid' });
    }
    await deps.blobs.release(id);
  };
}
