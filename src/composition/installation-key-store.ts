/**
 * Only the installation's CMS keys, for the CLI (`budbringer key …`): the SQLite file in
 * embedded mode, MongoDB in cluster mode (MONGODB_URI), nothing else a node starts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { InstallationKeys } from '../app/installation-keys.js';
import type { Settings } from '../config/schema.js';
import { generateSelfSignedKey } from '../crypto/self-signed-key.js';
import type { InstallationKeyStore } from '../storage/ports.js';

/** The key service on the configured store, and how to close it. */
export interface OpenInstallationKeys {
  readonly keys: InstallationKeys;
  close(): Promise<void>;
}

/** Opens the installation's keys on the store the settings call for. */
export async function openInstallationKeys(settings: Settings): Promise<OpenInstallationKeys> {
  const service = (store: InstallationKeyStore): InstallationKeys =>
    new InstallationKeys({ store, generate: generateSelfSignedKey, commonName: 'Budbringer', now: Date.now });
  if (settings.MONGODB_URI !== undefined) {
    const { connectMongo, MongoInstallationKeyStore } = await import('../storage/mongo/index.js');
    const mongo = await connectMongo(settings.MONGODB_URI, settings.MONGODB_DB);
    const store = await MongoInstallationKeyStore.open(mongo.db);
    return { keys: service(store), close: () => mongo.close() };
  }
  const { openSqlite, SqliteInstallationKeyStore } = await import('../storage/sqlite/index.js');
  mkdirSync(settings.DATA_DIR, { recursive: true });
  const db = openSqlite(join(settings.DATA_DIR, 'budbringer.sqlite'), { synchronous: settings.SQLITE_SYNCHRONOUS });
  return {
    keys: service(new SqliteInstallationKeyStore(db)),
    close: async () => void db.close(),
  };
}
