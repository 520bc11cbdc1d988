/**
 * Where the login and level-4 throttles count failed attempts (src/http/attempt-throttle.ts):
 * in Redis when REDIS_URL is set, so every node behind the load balancer shares the counts
 * (docs/cluster.md "Throttles"); in the node's memory otherwise (one process).
 */
import type { Settings } from '../config/schema.js';
import { MemoryAttemptCounter } from '../storage/memory/index.js';
import type { AttemptCounter } from '../storage/ports.js';

/** Opens the AttemptCounter the settings call for. */
export async function openAttemptCounter(settings: Settings): Promise<AttemptCounter> {
  if (settings.REDIS_URL === undefined) return new MemoryAttemptCounter();
  const { RedisAttemptCounter } = await import('../storage/redis/index.js');
  return new RedisAttemptCounter({ connection: settings.REDIS_URL, prefix: settings.QUEUE_PREFIX });
}
