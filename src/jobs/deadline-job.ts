/**
 * Job `deadline` (docs/architecture.md step 8): due at the stored print deadline. An unread letter
 * gets "Lesefrist utløpt." and the print job follows; a read one is left alone. The due
 * time lives in the job queue, so a restart in between still fires on time.
 */
import type { JobHandler } from '../storage/ports.js';
import type { DeliveryDeps } from './delivery-deps.js';
import { forsendelseIdOf } from './job-payload.js';

/** The deadline job handler. */
export function deadlineJob(deps: Pick<DeliveryDeps, 'actors' | 'now'>): JobHandler {
  return async (job) => {
    const id = forsendelseIdOf(job.payload);
    await deps.actors.execute(id, { type: 'LesefristUtlopt', at: deps.now() });
  };
}
