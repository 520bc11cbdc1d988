/** The admin web ("Forvaltningsweb") at /forvaltning. */
export { createAdminApp } from './admin-app.js';
export { BASE as ADMIN_BASE } from './admin-context.js';
export type { AdminDeps, AdminEnv, VarselResender } from './admin-context.js';
export type { AuditEntry, AuditLog, AuditQuery, StoredAuditEntry } from './audit-log.js';
export { SESSION_COOKIE, SessionCodec } from './session.js';
export type { SessionData } from './session.js';
export { CSRF_FIELD, CsrfTokens } from './csrf.js';
export { computeStatistics, statisticsBuckets, statisticsCsvLines } from '../../app/admin/statistics.js';
export type { Statistics, Counts, Levering } from '../../app/admin/statistics.js';
export { DEFAULT_COST_MODEL } from '../../app/admin/cost-model.js';
export type { CostModel } from '../../app/admin/cost-model.js';
export { manualKvittering, manualPrintQueue, buildBatch } from './manual-print.js';
export { varselResender } from './varsel-resender.js';
export type { VarselResenderDeps } from './varsel-resender.js';
