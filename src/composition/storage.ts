/**
 * Picks the storage adapters for the mode (DESIGN.md "Modes"): embedded = SQLite + files
 * (+ SQLite jobs); cluster = MongoDB + GridFS, with BullMQ jobs when REDIS_URL is set.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../config/schema.js';
import { FileBlobStore } from '../storage/files/index.js';
import type { BlobStore, ConfigStore, JobQueue, Journal, ReadModel } from '../storage/ports.js';
import { openSqlite, SqliteConfigStore, SqliteJobQueue, SqliteJournal, SqliteReadModel } from '../storage/sqlite/index.js';

/** The adapters of one node and how to close them. */
export interface Storage {
  readonly mode: 'embedded' | 'cluster';
  readonly journal: Journal;
  readonly readModel: ReadModel;
  readonly blobs: BlobStore;
  readonly jobs: JobQueue;
  readonly config: ConfigStore;
  /** Queues for bull-board, when BullMQ is in use. */
  readonly boardQueues?: () => Promise<unknown[]>;
  close(): Promise<void>;
}

/** Opens the storage the settings call for. */
export async function openStorage(settings: Settings): Promise<Storage> {
  mkdirSync(settings.DATA_DIR, { recursive: true });
  if (settings.MONGODB_URI !== undefined) {
    const { openClusterStorage } = await import('./cluster-storage.js');
    return openClusterStorage(settings);
  }
  const db = openSqlite(join(settings.DATA_DIR, 'budbringer.sqlite'), { synchronous: settings.SQLITE_SYNCHRONOUS });
  const journal = new SqliteJournal(db);
  const readModel = new SqliteReadModel(db);
  const config = new SqliteConfigStore(db);
  const blobs = new FileBlobStore(join(settings.DATA_DIR, 'blobs'));
  let jobs: JobQueue;
  let boardQueues: (() => Promise<unknown[]>) | undefined;
  if (settings.REDIS_URL !== undefined) {
    const { BullmqJobQueue } = await import('../storage/bullmq/index.js');
    const queue = new BullmqJobQueue({ connection: settings.REDIS_URL, prefix: settings.QUEUE_PREFIX, lockDurationMs: settings.JOB_LEASE_MS });
    jobs = queue;
    boardQueues = () => queue.queuesForBoard();
  } else {
    jobs = new SqliteJobQueue(db, { pollMs: settings.JOB_POLL_MS });
  }
  return {
    mode: 'embedded',
    journal,
    readModel,
    blobs,
    jobs,
    config,
    boardQueues,
    async close() {
      await jobs.close();
      await Promise.all([journal.close(), readModel.close(), config.close(), blobs.close()]);
      db.close();
    },
  };
}
