/** The admin web ("Forvaltningsweb") at /forvaltning. */
export { createAdminApp } from './admin-app.js';
export { BASE as ADMIN_BASE } from './admin-context.js';
export type { AdminDeps, AdminEnv, VarselResender } from './admin-context.js';
export type { AuditEntry, AuditLog, AuditQuery, StoredAuditEntry } from './audit-log.js';
export { SESSION_COOKIE, SessionCodec } from './session.js';
export type { SessionData } from './session.js';
export { CSRF_FIELD, CsrfTokens } from './csrf.js';
export { computeStatistics, loadStates, leveringOf } from './statistics.js';
export type { Statistics, Counts, Levering } from './statistics.js';
export { DEFAULT_COST_MODEL } from './cost-model.js';
export type { CostModel } from './cost-model.js';
export { manualKvittering, manualPrintQueue, buildBatch } from './manual-print.js';
export { statisticsCsv } from './stats-routes.js';
export { varselResender } from './varsel-resender.js';
export type { VarselResenderDeps } from './varsel-resender.js';
