/** The admin web ("Forvaltningsweb") at /forvaltning. */
export { createAdminApp } from './admin-app.js';
export { BASE as ADMIN_BASE } from './admin-context.js';
export type { AdminDeps, AdminEnv } from './admin-context.js';
export type { AuditEntry, AuditLog, AuditQuery, StoredAuditEntry } from './audit-log.js';
export { SESSION_COOKIE, SessionCodec } from './session.js';
export type { SessionData } from './session.js';
export { CSRF_FIELD, CsrfTokens } from './csrf.js';
