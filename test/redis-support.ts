/**
 * For tests that need the shared Redis (127.0.0.1:6379, or REDIS_URL): whether it answers
 * (tests skip, or fail where a skip would hide a gap, with a message naming REDIS_URL when
 * not), a unique queue prefix per test, and a sweep that deletes every key under that
 * prefix afterwards.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Redis } from 'ioredis';

/** The Redis the tests use. */
export const redisUrl = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

/** True when something accepts a TCP connection at the Redis address within a second. */
async function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** `false` when Redis answers, else the skip message (also printed as a warning). */
export async function redisSkip(what: string): Promise<string | false> {
  if (await redisAnswers(redisUrl)) return false;
  const message = `Ingen Redis svarer på ${redisUrl}: ${what} hoppes over. Start Redis, eller sett REDIS_URL til en som svarer.`;
  console.warn(`\n⚠ ${message}\n`);
  return message;
}

/**
 * `false` when Redis answers, else a failure message: for suites that must fail, not skip,
 * without Redis (CI starts one, `.ci/run`; a skipped suite would prove nothing there).
 */
export async function redisMissing(what: string): Promise<string | false> {
  if (await redisAnswers(redisUrl)) return false;
  return `Ingen Redis svarer på ${redisUrl}: ${what} kan ikke kjøre. Start Redis (127.0.0.1:6379), eller sett REDIS_URL til en som svarer.`;
}

/** A key prefix no other test uses. */
export function uniquePrefix(name: string): string {
  return `bbtest-${name}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under `prefix`; returns how many there were. */
export async function sweepKeys(prefix: string): Promise<number> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      count += keys.length;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    return count;
  } finally {
    redis.disconnect();
  }
}
