/**
 * The audit log of admin actions (who, what, when): logins, sends, manual handling, print
 * confirmations, configuration and access changes, downloads of letters, job-queue changes.
 * Append-only; only admins read it. The port lives in src/storage/ports.ts (adapters:
 * src/storage/sqlite/sqlite-audit-log.ts, src/storage/mongo/mongo-audit-log.ts); the admin
 * web takes its types from here.
 */
export type { AuditEntry, AuditLog, AuditQuery, StoredAuditEntry } from '../../storage/ports.js';
