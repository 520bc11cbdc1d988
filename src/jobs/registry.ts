/**
 * The explicit registry of job types (docs/architecture.md, conventions, after outline's one-file-per-task): each
 * WorkKind of src/domain/pending-work.ts maps to one handler here.
 */
import type { WorkKind } from '../domain/pending-work.js';
import type { PdfWork } from '../pdf/index.js';
import type { JobHandler } from '../storage/ports.js';
import type { ByteBudget } from './byte-budget.js';
import { composeJob } from './compose-job.js';
import { deadlineJob } from './deadline-job.js';
import type { DeliveryDeps } from './delivery-deps.js';
import { notifyJob, reminderJob } from './notify-job.js';
import { printJob } from './print-job.js';
import { purgeJob } from './purge-job.js';
import { routeJob } from './route-job.js';

/** Everything the job handlers need: the delivery jobs' needs and the compose job's PDF work. */
export type JobDeps = DeliveryDeps & {
  readonly pdf: Pick<PdfWork, 'compose'>;
  /** Bounds the document bytes the compose and print jobs hold at once (COMPOSE_MEMORY_MB). */
  readonly composeMemory?: ByteBudget;
};

/** The handlers by job type: one for every kind of pending work. */
export function jobHandlers(deps: JobDeps): Record<WorkKind, JobHandler> {
  return {
    compose: composeJob(deps),
    route: routeJob(deps),
    notify: notifyJob(deps),
    reminder: reminderJob(deps),
    deadline: deadlineJob(deps),
    print: printJob(deps),
    purge: purgeJob(deps),
  };
}
