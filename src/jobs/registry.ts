/**
 * The explicit registry of job types (STYLE.md, after outline's one-file-per-task): each
 * WorkKind of src/domain/pending-work.ts maps to one handler here.
 */
import type { JobHandler } from '../storage/ports.js';
import { composeJob, type ComposeJobDeps } from './compose-job.js';

/** Everything the job handlers need. */
export type JobDeps = ComposeJobDeps;

/** The handlers by job type. */
export function jobHandlers(deps: JobDeps): Record<string, JobHandler> {
  return {
    compose: composeJob(deps),
  };
}
