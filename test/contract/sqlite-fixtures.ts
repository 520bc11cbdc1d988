/** Factories that give the contract suites the SQLite adapters on a fresh temp file each. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobQueue } from '../../src/storage/ports.js';
import {
  SqliteConfigStore,
  SqliteJobQueue,
  SqliteJournal,
  SqliteReadModel,
  openSqlite,
} from '../../src/storage/sqlite/index.js';
import type { SqliteDatabase } from '../../src/storage/sqlite/index.js';
import type { ConfigStoreFixture } from './config-store.js';
import type { JobQueueFixture, JobQueueTestOptions } from './job-queue.js';
import type { JournalFixture } from './journal.js';
import type { ReadModelFixture, VersionedViewFixture } from './read-model.js';

/** A temp database file and the connections opened on it. */
export interface SqliteFile {
  readonly dir: string;
  readonly path: string;
  /** Another connection to the file, as another process would have. */
  connect(): SqliteDatabase;
  cleanup(): Promise<void>;
}

/** Creates a database file in a fresh temp directory. */
export async function sqliteFile(): Promise<SqliteFile> {
  const dir = await mkdtemp(join(tmpdir(), 'budbringer-sqlite-'));
  const path = join(dir, 'budbringer.db');
  const connections: SqliteDatabase[] = [];
  return {
    dir,
    path,
    connect() {
      const db = openSqlite(path);
      connections.push(db);
      return db;
    },
    async cleanup() {
      for (const db of connections) if (db.open) db.close();
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

/** Journal fixture: the second instance is a second connection to the same file. */
export async function sqliteJournalFixture(): Promise<JournalFixture> {
  const file = await sqliteFile();
  return {
    journal: new SqliteJournal(file.connect()),
    openSecond: async () => new SqliteJournal(file.connect()),
    cleanup: () => file.cleanup(),
  };
}

/** ReadModel fixture. */
export async function sqliteReadModelFixture(): Promise<ReadModelFixture> {
  const file = await sqliteFile();
  return { readModel: new SqliteReadModel(file.connect()), cleanup: () => file.cleanup() };
}

/** Versioned-view fixture: a read model and a journal on one file, as a node has them. */
export async function sqliteVersionedViewFixture(): Promise<VersionedViewFixture> {
  const file = await sqliteFile();
  const db = file.connect();
  return { readModel: new SqliteReadModel(db), journal: new SqliteJournal(db), cleanup: () => file.cleanup() };
}

/** ConfigStore fixture. */
export async function sqliteConfigStoreFixture(): Promise<ConfigStoreFixture> {
  const file = await sqliteFile();
  return { config: new SqliteConfigStore(file.connect()), cleanup: () => file.cleanup() };
}

/**
 * JobQueue fixture: each queue has its own connection; crash() closes that connection
 * under the running worker, so it can renew no lease and record no outcome, as after
 * SIGKILL. Worker errors of live queues fail the test at cleanup.
 */
export async function sqliteJobQueueFixture(): Promise<JobQueueFixture> {
  const file = await sqliteFile();
  const queues: SqliteJobQueue[] = [];
  const connections = new Map<JobQueue, SqliteDatabase>();
  const errors: unknown[] = [];
  return {
    async open(options: JobQueueTestOptions) {
      const db = file.connect();
      const queue = new SqliteJobQueue(db, {
        ...options,
        onError: (err) => {
          if (db.open) errors.push(err);
        },
      });
      queues.push(queue);
      connections.set(queue, db);
      return queue;
    },
    async crash(queue: JobQueue) {
      connections.get(queue)?.close();
    },
    async cleanup() {
      try {
        await Promise.all(queues.map((q) => q.close()));
        if (errors.length > 0) throw new AggregateError(errors, 'worker errors on a live queue');
      } finally {
        await file.cleanup();
      }
    },
  };
}
