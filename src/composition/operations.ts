/**
 * The operators' endpoints of a node, built apart from node.ts: `/metrics` (unless
 * METRICS=false, or METRICS_REQUIRE_TOKEN without METRICS_TOKEN) and bull-board at `/admin/queues` (only with the BullMQ queue, i.e.
 * REDIS_URL). bull-board and its UI are loaded only when used.
 */
import { statfs } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Settings } from '../config/schema.js';
import type { Mount } from '../http/app.js';
import type { AuditLog } from '../storage/ports.js';
import { createMetricsApp } from '../http/metrics-route.js';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import { NodeMetrics } from './node-metrics.js';
import type { Storage } from './storage.js';
import { secureCookiesFor } from '../http/secure-cookie.js';

/** The metrics of a node, or undefined with METRICS=false. `actors` is read at scrape time. */
export function nodeMetrics(
  settings: Settings,
  storage: Storage,
  actors: () => ForsendelseActors | undefined,
  log: Logger,
): NodeMetrics | undefined {
  if (!settings.METRICS) return undefined;
  return new NodeMetrics({
    jobCounts: () => storage.jobs.counts(),
    oldestWaitingJob: async () => (await storage.jobs.list('waiting', 1))[0]?.at,
    oldestUnprinted: () => oldestUnprinted(storage),
    dataDirSpace: async () => {
      const fs = await statfs(settings.DATA_DIR);
      return { free: fs.bavail * fs.bsize, total: fs.blocks * fs.bsize };
    },
    liveActors: () => actors()?.liveCount ?? 0,
    onCollectError: (error, source) => log.warn({ err: error, source }, 'metrics: could not read a source in time'),
  });
}

/**
 * Since when the oldest letter handed to print (SENDT_PRINT) waits for its receipt. The
 * read model lists them oldest received first; the first few are enough to find the
 * longest wait, as letters go to print in about the order they came.
 */
async function oldestUnprinted(storage: Storage): Promise<number | undefined> {
  const ids = await storage.readModel.idsByStatus(['SENDT_PRINT'], 20);
  if (ids.length === 0) return undefined;
  const records = await storage.readModel.getMany(ids);
  return records.reduce<number | undefined>((min, r) => Math.min(min ?? Infinity, r.sisteStatusEndring), undefined);
}

/** What the operators' endpoints need. */
export interface OperationsDeps {
  readonly settings: Settings;
  readonly storage: Storage;
  readonly metrics: NodeMetrics | undefined;
  readonly secret: Uint8Array;
  readonly audit: AuditLog;
  readonly log: Logger;
  readonly now: () => number;
}

/** The operators' endpoints, and the board's path when there is a board. */
export interface OperationsMounts {
  readonly mounts: Mount[];
  readonly queueBoardPath: string | undefined;
}

/** Builds `/metrics` and `/admin/queues` as the settings call for. */
export async function operationsMounts(deps: OperationsDeps): Promise<OperationsMounts> {
  const mounts: Mount[] = [];
  const { metrics } = deps;
  if (metrics !== undefined && deps.settings.METRICS_REQUIRE_TOKEN && deps.settings.METRICS_TOKEN === undefined) {
    deps.log.warn('/metrics is off: METRICS_REQUIRE_TOKEN is set and METRICS_TOKEN is not');
  } else if (metrics !== undefined) {
    mounts.push({
      path: '/metrics',
      app: createMetricsApp({ exposition: () => metrics.exposition(), token: deps.settings.METRICS_TOKEN }),
    });
  }
  const queues = deps.storage.boardQueues;
  if (queues === undefined) return { mounts, queueBoardPath: undefined };
  const { createQueueBoardApp, QUEUE_BOARD_PATH } = await import('../http/queue-board.js');
  const app = await createQueueBoardApp({
    queues,
    secret: deps.secret,
    config: deps.storage.config,
    audit: deps.audit,
    log: deps.log,
    now: deps.now,
    secureCookies: deps.settings.PUBLIC_URL === undefined ? undefined : secureCookiesFor(deps.settings.PUBLIC_URL),
  });
  mounts.push({ path: QUEUE_BOARD_PATH, app });
  return { mounts, queueBoardPath: QUEUE_BOARD_PATH };
}
