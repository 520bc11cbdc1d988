/**
 * Where the login and level-4 throttles count failed attempts, and where used one-time codes
 * are recorded (src/http/attempt-throttle.ts, src/app/one-time-code-uses.ts): in Redis when
 * REDIS_URL is set, so every node behind the load balancer shares them (docs/cluster.md
 * "Throttles"); otherwise in the embedded SQLite database, so a restart keeps them.
 */
import type { Settings } from '../config/schema.js';
import type { AttemptCounter } from '../storage/ports.js';
import { SqliteAttemptCounter, type SqliteDatabase } from '../storage/sqlite/index.js';

/** Opens the AttemptCounter the settings call for; `embedded` is the node's SQLite file, if it has one. */
export async function openAttemptCounter(settings: Settings, embedded?: SqliteDatabase): Promise<AttemptCounter> {
  if (settings.REDIS_URL === undefined) {
    if (embedded === undefined) throw new Error('Tellingen av mislykkede forsøk trenger REDIS_URL eller SQLite-fila');
    return new SqliteAttemptCounter(embedded);
  }
  const { RedisAttemptCounter } = await import('../storage/redis/index.js');
  return new RedisAttemptCounter({ connection: settings.REDIS_URL, prefix: settings.QUEUE_PREFIX });
}
