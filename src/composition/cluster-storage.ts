/**
 * Cluster-mode storage (docs/architecture.md "Cluster"): MongoDB for journal, read model, config and
 * documents (GridFS), BullMQ on Redis for jobs, Redis for the throttles' attempt counts.
 * MongoDB is the only source of truth; any node may serve any request.
 */
import type { Logger } from 'pino';
import type { Settings } from '../config/schema.js';
import { BullmqJobQueue } from '../storage/bullmq/index.js';
import {
  connectMongo,
  GridFsBlobStore,
  MongoAuditLog,
  MongoConfigStore,
  MongoInstallationKeyStore,
  MongoJournal,
  MongoMottakersystemRegister,
  MongoReadModel,
  MongoSendAttempts,
  MongoWebhookStore,
} from '../storage/mongo/index.js';
import { orderedChangeWriter } from '../storage/ordered-change-writer.js';
import { changeWriterLog, queueErrorLog } from './queue-log.js';
import { openAttemptCounter, openServedParts } from './attempt-counter.js';
import { closeAdapters, type Storage } from './storage.js';

/** Opens MongoDB + Redis storage; REDIS_URL is required beside MONGODB_URI. */
export async function openClusterStorage(settings: Settings, log?: Logger): Promise<Storage> {
  if (settings.MONGODB_URI === undefined || settings.REDIS_URL === undefined) {
    throw new Error('Klyngemodus krever både MONGODB_URI og REDIS_URL');
  }
  const mongo = await connectMongo(settings.MONGODB_URI, settings.MONGODB_DB);
  const [journal, readModel, blobs, config, audit, sendAttempts, mottakersystemer, keys] = await Promise.all([
    MongoJournal.open(mongo.db),
    MongoReadModel.open(mongo.db),
    GridFsBlobStore.open(mongo.db),
    MongoConfigStore.open(mongo.db),
    MongoAuditLog.open(mongo.db),
    MongoSendAttempts.open(mongo.db),
    MongoMottakersystemRegister.open(mongo.db),
    MongoInstallationKeyStore.open(mongo.db),
  ]);
  const webhooks = await MongoWebhookStore.open(mongo.db);
  const jobs = new BullmqJobQueue({
    connection: settings.REDIS_URL,
    prefix: settings.QUEUE_PREFIX,
    lockDurationMs: settings.JOB_LEASE_MS,
    ...(log === undefined ? {} : { onError: queueErrorLog(log) }),
  });
  const attempts = await openAttemptCounter(settings, undefined, log);
  const servedParts = await openServedParts(settings, log);
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
    mode: 'cluster',
    ...adapters,
    changes: orderedChangeWriter({ journal, jobs, readModel, blobs }, log === undefined ? {} : changeWriterLog(log)),
    boardQueues: () => jobs.queuesForBoard(),
    async ping() {
      await mongo.db.command({ ping: 1 });
    },
    async close() {
      await closeAdapters(adapters);
      await mongo.close();
    },
  };
}
