/**
 * Only the accounts (avsendere and admin users) and the audit log their changes are written
 * to, for CLI commands: in embedded mode the
 * SQLite file without the job queue, the blob store's writer threads or anything else a
 * node starts, so a command starts in a moment. Cluster mode (MONGODB_URI) connects to
 * MongoDB only.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../config/schema.js';
import type { AuditLog, ConfigStore } from '../storage/ports.js';

/** An open config store, the audit log beside it, and how to close them. */
export interface OpenConfigStore {
  readonly config: ConfigStore;
  readonly audit: AuditLog;
  close(): Promise<void>;
}

/** Opens the config store the settings call for. */
export async function openConfigStore(settings: Settings): Promise<OpenConfigStore> {
  if (settings.MONGODB_URI !== undefined) {
    const { connectMongo, MongoAuditLog, MongoConfigStore } = await import('../storage/mongo/index.js');
    const mongo = await connectMongo(settings.MONGODB_URI, settings.MONGODB_DB);
    const config = await MongoConfigStore.open(mongo.db);
    const audit = await MongoAuditLog.open(mongo.db);
    return {
      config,
      audit,
      async close() {
        await config.close();
        await audit.close();
        await mongo.close();
      },
    };
  }
  const { openSqlite, SqliteAuditLog, SqliteConfigStore } = await import('../storage/sqlite/index.js');
  mkdirSync(settings.DATA_DIR, { recursive: true, mode: 0o700 });
  const db = openSqlite(join(settings.DATA_DIR, 'budbringer.sqlite'), { synchronous: settings.SQLITE_SYNCHRONOUS });
  const config = new SqliteConfigStore(db);
  const audit = new SqliteAuditLog(db);
  return {
    config,
    audit,
    async close() {
      await config.close();
      await audit.close();
      db.close();
    },
  };
}
