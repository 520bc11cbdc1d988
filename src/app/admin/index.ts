/** The admin web's application layer: one service for the routes, and what the composition root builds it from. */
export { AdminService } from './admin-service.js';
export type { AdminServiceDeps, AvsenderScope, VarselResender } from './admin-service.js';
export { varselResender } from './varsel-resender.js';
export type { VarselResenderDeps } from './varsel-resender.js';
export { computeStatistics, statisticsBuckets, statisticsCsvLines } from './statistics.js';
export type { Statistics, Counts, Levering } from './statistics.js';
export { DEFAULT_COST_MODEL } from './cost-model.js';
export type { CostModel } from './cost-model.js';
export { manualKvittering, manualPrintQueue, buildBatch } from './manual-print.js';
export { JobAdmin, JOB_PAGE_LIMIT } from './job-admin.js';
export type { JobOverview, JobRow } from './job-admin.js';
