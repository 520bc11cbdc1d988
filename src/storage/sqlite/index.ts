/**
 * Embedded storage on one SQLite file. The adapters borrow a connection from openSqlite;
 * whoever opened it closes it after the adapters' close().
 */
export { openSqlite, writeTransaction } from './open-sqlite.js';
export type { SqliteDatabase, SqliteOptions } from './open-sqlite.js';
export { SCHEMA_VERSION, migrate } from './migrations.js';
export { SqliteJournal } from './sqlite-journal.js';
export { SqliteReadModel } from './sqlite-read-model.js';
export { SqliteJobQueue } from './sqlite-job-queue.js';
export type { SqliteJobQueueOptions } from './sqlite-job-queue.js';
export { SqliteConfigStore } from './sqlite-config-store.js';
export { SqliteAuditLog } from './sqlite-audit-log.js';
export { SqliteSendAttempts } from './sqlite-send-attempts.js';
export { SqliteAttemptCounter } from './sqlite-attempt-counter.js';
export { SqliteWebhookStore } from './sqlite-webhook-store.js';
export { SqliteMottakersystemRegister } from './sqlite-mottakersystem-register.js';
export { SqliteInstallationKeyStore } from './sqlite-installation-key-store.js';
export { SqliteChangeWriter } from './sqlite-change-writer.js';
export type { SqliteChangeParts, SqliteClaims } from './sqlite-change-writer.js';
export { WalCheckpointer } from './wal-checkpointer.js';
export type { CheckpointResult, WalCheckpointerOptions } from './wal-checkpointer.js';
