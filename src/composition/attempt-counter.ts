/**
 * Where the login and level-4 throttles count failed attempts, and where used one-time codes
 * are recorded (src/http/attempt-throttle.ts, src/app/one-time-code-uses.ts): in Redis when
 * REDIS_URL is set, so every node behind the load balancer shares them (docs/cluster.md
 * "Throttles"); otherwise in the embedded SQLite database, so a restart keeps them. The parts
 * of downloads in ranges are added up the same way (openServedParts).
 */
import type { Logger } from 'pino';
import type { Settings } from '../config/schema.js';
import { DownloadCoverage } from '../app/download-coverage.js';
import type { AttemptCounter, ServedParts } from '../storage/ports.js';
import { SqliteAttemptCounter, type SqliteDatabase } from '../storage/sqlite/index.js';
import { queueErrorLog } from './queue-log.js';

/**
 * Opens the AttemptCounter the settings call for; `embedded` is the node's SQLite file, if it
 * has one. Redis' connection errors go to `log` as the job queue's do (one line, then at most
 * one every 30 s), not as stack traces on stderr.
 */
export async function openAttemptCounter(
  settings: Settings,
  embedded?: SqliteDatabase,
  log?: Logger,
): Promise<AttemptCounter> {
  if (settings.REDIS_URL === undefined) {
    if (embedded === undefined) throw new Error('Tellingen av mislykkede forsøk trenger REDIS_URL eller SQLite-fila');
    return new SqliteAttemptCounter(embedded);
  }
  const { RedisAttemptCounter } = await import('../storage/redis/index.js');
  return new RedisAttemptCounter(redisOptions(settings.REDIS_URL, settings, 'attempt counter', log));
}

/** A small Redis adapter's settings; its connection errors go to `log` as the job queue's do. */
function redisOptions(url: string, settings: Settings, what: string, log?: Logger) {
  const report = log === undefined ? undefined : queueErrorLog(log);
  return {
    connection: url,
    prefix: settings.QUEUE_PREFIX,
    ...(report === undefined ? {} : { onError: (error: Error) => report(error, what) }),
  };
}

/**
 * Opens where the parts of files sent in ranges are added up (src/app/inbox-service.ts): in
 * Redis when REDIS_URL is set, so the parts that several nodes sent add up (docs/cluster.md
 * "Reads in parts"); otherwise in this process's memory, the one node there is.
 */
export async function openServedParts(settings: Settings, log?: Logger): Promise<ServedParts> {
  if (settings.REDIS_URL === undefined) return new DownloadCoverage();
  const { RedisServedParts } = await import('../storage/redis/index.js');
  return new RedisServedParts(redisOptions(settings.REDIS_URL, settings, 'served parts', log));
}
