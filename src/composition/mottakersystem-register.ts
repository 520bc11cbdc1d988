/**
 * Only the receiving systems' register, for CLI commands (as config-store.ts opens only the
 * accounts): the SQLite file in embedded mode, MongoDB with MONGODB_URI.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../config/schema.js';
import type { MottakersystemRegister } from '../storage/ports.js';

/** An open register and how to close it. */
export interface OpenMottakersystemRegister {
  readonly register: MottakersystemRegister;
  close(): Promise<void>;
}

/** Opens the register the settings call for. */
export async function openMottakersystemRegister(settings: Settings): Promise<OpenMottakersystemRegister> {
  if (settings.MONGODB_URI !== undefined) {
    const { connectMongo, MongoMottakersystemRegister } = await import('../storage/mongo/index.js');
    const mongo = await connectMongo(settings.MONGODB_URI, settings.MONGODB_DB);
    const register = await MongoMottakersystemRegister.open(mongo.db);
    return {
      register,
      async close() {
        await register.close();
        await mongo.close();
      },
    };
  }
  const { openSqlite, SqliteMottakersystemRegister } = await import('../storage/sqlite/index.js');
  mkdirSync(settings.DATA_DIR, { recursive: true, mode: 0o700 });
  const db = openSqlite(join(settings.DATA_DIR, 'budbringer.sqlite'), { synchronous: settings.SQLITE_SYNCHRONOUS });
  const register = new SqliteMottakersystemRegister(db);
  return {
    register,
    async close() {
      await register.close();
      db.close();
    },
  };
}
