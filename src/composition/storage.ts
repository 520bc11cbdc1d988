/**
 * Picks the storage adapters for the mode (docs/architecture.md "Modes"): embedded = SQLite + files
 * (+ SQLite jobs); cluster = MongoDB + GridFS, with BullMQ jobs when REDIS_URL is set.
 * REDIS_URL also moves the throttles' attempt counts into Redis (attempt-counter.ts).
 */
import { markRunning } from './running-nodes.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { viewCheckedReadModel, type ViewProblem } from '../app/view-checked-read-model.js';
import type { Settings } from '../config/schema.js';
import { FileBlobStore } from '../storage/files/index.js';
import type {
  AttemptCounter,
  ServedParts,
  AuditLog,
  BlobStore,
  ChangeWriter,
  ConfigStore,
  InstallationKeyStore,
  JobQueue,
  Journal,
  MottakersystemRegister,
  ReadModel,
  SendAttempts,
  WebhookStore,
} from '../storage/ports.js';
import {
  openSqlite,
  SqliteAuditLog,
  SqliteChangeWriter,
  WalCheckpointer,
  SqliteConfigStore,
  SqliteInstallationKeyStore,
  SqliteJobQueue,
  SqliteJournal,
  SqliteMottakersystemRegister,
  SqliteReadModel,
  SqliteSendAttempts,
  SqliteWebhookStore,
  type SqliteDatabase,
} from '../storage/sqlite/index.js';
import { orderedChangeWriter } from '../storage/ordered-change-writer.js';
import { changeWriterLog, queueErrorLog, rateLimitedErrorLog } from './queue-log.js';
import { openAttemptCounter, openServedParts } from './attempt-counter.js';

/** The adapters of one node and how to close them. */
export interface Storage {
  readonly mode: 'embedded' | 'cluster';
  readonly journal: Journal;
  readonly readModel: ReadModel;
  readonly blobs: BlobStore;
  readonly jobs: JobQueue;
  /** A forsendelse's events, jobs and record in one write (one transaction where the store allows). */
  readonly changes: ChangeWriter;
  readonly config: ConfigStore;
  /** The admin web's audit log, shared by every node of the deployment. */
  readonly audit: AuditLog;
  /** The installation's CMS keys, shared by every node (docs/interfaces.md "Encryption"). */
  readonly keys: InstallationKeyStore;
  /** Failed-attempt counts of the login and level-4 throttles; shared by the nodes with REDIS_URL. */
  readonly attempts: AttemptCounter;
  /** The parts of the recipients' downloads in ranges; shared by the nodes with REDIS_URL. */
  readonly servedParts: ServedParts;
  /** Recent send attempts for the duplicate rule (docs/interfaces.md §8), shared by every node. */
  readonly sendAttempts: SendAttempts;
  /** Webhook subscriptions and their outbox (src/app/webhooks/). */
  readonly webhooks: WebhookStore;
  /** The receiving systems (SvarInn), shared by every node. */
  readonly mottakersystemer: MottakersystemRegister;
  /** Queues for bull-board, when BullMQ is in use. */
  readonly boardQueues?: () => Promise<Queue[]>;
  /** Resolves once the letters' store answers (a read of the SQLite file; MongoDB's ping): /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Closes the job queue first (no job starts on a closed store), then every other adapter. */
export async function closeAdapters(
  storage: Omit<Storage, 'mode' | 'changes' | 'boardQueues' | 'ping' | 'close'>,
): Promise<void> {
  await storage.jobs.close();
  await Promise.all([
    storage.webhooks.close(),
    storage.journal.close(),
    storage.readModel.close(),
    storage.config.close(),
    storage.audit.close(),
    storage.keys.close(),
    storage.blobs.close(),
    storage.attempts.close(),
    storage.servedParts.close(),
    storage.sendAttempts.close(),
    storage.mottakersystemer.close(),
  ]);
}

/**
 * Opens the storage the settings call for. Its read model hands out checked views: an old
 * version migrated, a corrupt one rebuilt from the journal and reported to `log`.
 */
export async function openStorage(settings: Settings, log?: Logger): Promise<Storage> {
  const storage = await openAdapters(settings, log);
  const report = (p: ViewProblem): void => {
    if (log === undefined)
      process.emitWarning(`corrupt view of forsendelse ${p.forsendelseId}: ${p.problem} (rebuilt: ${p.rebuilt})`);
    else log.error(p, 'stored view of a forsendelse failed its check');
  };
  const readModel = viewCheckedReadModel(storage.readModel, storage.journal, report);
  if (settings.MONGODB_URI !== undefined) return { ...storage, readModel };
  // A node on a DATA_DIR marks itself there while its storage is open, so restore can tell.
  const unmark = await markRunning(settings.DATA_DIR);
  return {
    ...storage,
    readModel,
    async close() {
      await storage.close();
      await unmark();
    },
  };
}

/**
 * The thread that copies SQLite's WAL into the database file (SQLITE_CHECKPOINTS=thread),
 * logging its failures at most once per 30 s; undefined when commits checkpoint themselves.
 */
function startCheckpointer(
  db: SqliteDatabase,
  settings: Settings,
  log: Logger | undefined,
): WalCheckpointer | undefined {
  if (settings.SQLITE_CHECKPOINTS !== 'thread') return undefined;
  if (log === undefined) return WalCheckpointer.start(db, { synchronous: settings.SQLITE_SYNCHRONOUS });
  const checkpointErrors = rateLimitedErrorLog(log, 'WAL checkpoint failed');
  return WalCheckpointer.start(db, {
    synchronous: settings.SQLITE_SYNCHRONOUS,
    onThreadLost: (err) => log.warn({ err }, 'WAL checkpoint thread ended: checkpoints are back on commits'),
    onCheckpointError: (err) => checkpointErrors(err, 'wal-checkpoint'),
  });
}

/**
 * The job queue of embedded mode (SQLite's, or Redis's with REDIS_URL) and the change writer
 * that writes a change's rows with it: in one transaction on SQLite, in order with Redis.
 */
async function embeddedJobs(
  settings: Settings,
  db: SqliteDatabase,
  stores: { journal: SqliteJournal; readModel: SqliteReadModel; blobs: FileBlobStore },
  log: Logger | undefined,
): Promise<{ jobs: JobQueue; changes: ChangeWriter; boardQueues?: () => Promise<Queue[]> }> {
  const { journal, readModel, blobs } = stores;
  if (settings.REDIS_URL !== undefined) {
    const { BullmqJobQueue } = await import('../storage/bullmq/index.js');
    const queue = new BullmqJobQueue({
      connection: settings.REDIS_URL,
      prefix: settings.QUEUE_PREFIX,
      lockDurationMs: settings.JOB_LEASE_MS,
      ...(log === undefined ? {} : { onError: queueErrorLog(log) }),
    });
    const changes = orderedChangeWriter(
      { journal, jobs: queue, readModel, blobs },
      log === undefined ? {} : changeWriterLog(log),
    );
    return { jobs: queue, changes, boardQueues: () => queue.queuesForBoard() };
  }
  // Its errors (a full disk, a lost lease) as JSON log lines, not process warnings on stderr (review).
  const jobErrors = log === undefined ? undefined : rateLimitedErrorLog(log, 'job queue failed');
  const jobs = new SqliteJobQueue(db, {
    pollMs: settings.JOB_POLL_MS,
    leaseMs: settings.JOB_LEASE_MS,
    ...(jobErrors === undefined ? {} : { onError: (err: unknown) => jobErrors(err, 'sqlite-job-queue') }),
  });
  return { jobs, changes: new SqliteChangeWriter(db, { journal, jobs, readModel, claims: blobs }) };
}

/** The adapters of the mode, unwrapped. */
async function openAdapters(settings: Settings, log: Logger | undefined): Promise<Storage> {
  mkdirSync(settings.DATA_DIR, { recursive: true, mode: 0o700 });
  if (settings.MONGODB_URI !== undefined) {
    const { openClusterStorage } = await import('./cluster-storage.js');
    return openClusterStorage(settings, log);
  }
  const db = openSqlite(join(settings.DATA_DIR, 'budbringer.sqlite'), { synchronous: settings.SQLITE_SYNCHRONOUS });
  const checkpointer = startCheckpointer(db, settings, log);
  const journal = new SqliteJournal(db);
  const readModel = new SqliteReadModel(db);
  const config = new SqliteConfigStore(db);
  const audit = new SqliteAuditLog(db);
  const sendAttempts = new SqliteSendAttempts(db);
  const webhooks = new SqliteWebhookStore(db);
  const mottakersystemer = new SqliteMottakersystemRegister(db);
  const keys = new SqliteInstallationKeyStore(db);
  const blobs = new FileBlobStore(join(settings.DATA_DIR, 'blobs'), db);
  const attempts = await openAttemptCounter(settings, db, log);
  const servedParts = await openServedParts(settings, log);
  const { jobs, changes, boardQueues } = await embeddedJobs(settings, db, { journal, readModel, blobs }, log);
  const adapters = {
    journal,
    readModel,
    blobs,
    jobs,
    config,
    audit,
    keys,
    attempts,
    servedParts,
    sendAttempts,
    webhooks,
    mottakersystemer,
  };
  return {
    mode: 'embedded',
    ...adapters,
    changes,
    boardQueues,
    async ping() {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    },
    async close() {
      await closeAdapters(adapters);
      await checkpointer?.stop();
      db.close();
    },
  };
}
