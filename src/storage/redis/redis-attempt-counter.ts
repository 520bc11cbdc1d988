/**
 * AttemptCounter on Redis, shared by every node that names the same Redis and prefix
 * (docs/cluster.md "Throttles"), so N nodes allow no more guesses than one.
 *
 * Layout: one hash per key, `<prefix>:attempts:<key>` with fields `f` (failures) and `l`
 * (last failure, epoch ms), expiring a window after its last failure. Check and count are
 * one Lua script, which Redis runs atomically: two nodes counting at once each see the
 * other's failure. The script restates `lockLeftMs` (src/domain/attempt-lock.ts).
 */
import type { Redis } from 'ioredis';
import { isForgotten, type AttemptCount, type LockRule } from '../../domain/attempt-lock.js';
import type { AttemptCounter, AttemptKey } from '../ports.js';
import { failFastClient, quit, type RedisAdapterOptions } from './quit-redis.js';

/** KEYS: the counters. ARGV: now, baseLockMs, maxLockMs, windowMs, then each key's allowed failures. */
const ADD_UNLESS_LOCKED = `
local now = tonumber(ARGV[1])
local base, max, window = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local wait = 0
local failures = {}
for i, key in ipairs(KEYS) do
  local v = redis.call('HMGET', key, 'f', 'l')
  local f, last = tonumber(v[1]), tonumber(v[2])
  failures[i] = 0
  if f ~= nil and last ~= nil and now - last <= window then
    failures[i] = f
    local allowed = tonumber(ARGV[4 + i])
    if f >= allowed then
      local left = last + math.min(max, base * 2 ^ (f - allowed)) - now
      if left > wait then wait = left end
    end
  end
end
if wait > 0 then return tostring(wait) end
for i, key in ipairs(KEYS) do
  redis.call('HSET', key, 'f', failures[i] + 1, 'l', ARGV[1])
  redis.call('PEXPIRE', key, ARGV[4])
end
return '0'
`;

/** KEYS[1]: the counter. One failure fewer, not below 0; `l` and the expiry stay. */
const TAKE_BACK = `
local f = tonumber(redis.call('HGET', KEYS[1], 'f'))
if f ~= nil and f > 0 then redis.call('HINCRBY', KEYS[1], 'f', -1) end
return 0
`;

/** The scripts as ioredis commands (defineCommand adds them at run time). */
interface AttemptScripts {
  attemptsAddUnlessLocked(numKeys: number, ...keysAndArgs: string[]): Promise<string>;
  attemptsTakeBack(key: string): Promise<number>;
}

/** Settings for RedisAttemptCounter. */
export type RedisAttemptCounterOptions = RedisAdapterOptions;

/** Redis implementation of the AttemptCounter port. */
export class RedisAttemptCounter implements AttemptCounter {
  readonly #redis: Redis & AttemptScripts;
  readonly #prefix: string;

  constructor(options: RedisAttemptCounterOptions) {
    // While Redis is away a login waits a moment and is refused (AttemptThrottle answers 503).
    this.#redis = failFastClient(options, 'redis attempts') as Redis & AttemptScripts;
    this.#redis.defineCommand('attemptsAddUnlessLocked', { lua: ADD_UNLESS_LOCKED });
    this.#redis.defineCommand('attemptsTakeBack', { lua: TAKE_BACK, numberOfKeys: 1 });
    this.#prefix = `${options.prefix}:attempts:`;
  }

  /** Adds a failure to every key unless one is locked; the longest wait otherwise. */
  async addUnlessLocked(keys: readonly AttemptKey[], rule: LockRule, now: number): Promise<number> {
    if (keys.length === 0) return 0;
    const args = [now, rule.baseLockMs, rule.maxLockMs, rule.windowMs, ...keys.map((k) => k.allowed)].map(String);
    return Number(
      await this.#redis.attemptsAddUnlessLocked(keys.length, ...keys.map((k) => this.#prefix + k.key), ...args),
    );
  }

  /** The key's failures within the window, if any. */
  async read(key: string, windowMs: number, now: number): Promise<AttemptCount | undefined> {
    const [f, l] = await this.#redis.hmget(this.#prefix + key, 'f', 'l');
    if (f === null || l === null) return undefined;
    const count = { failures: Number(f), last: Number(l) };
    return isForgotten(count, windowMs, now) ? undefined : count;
  }

  /** Forgets the key. */
  async forget(key: string): Promise<void> {
    await this.#redis.del(this.#prefix + key);
  }

  /** One failure fewer; the last time stays. */
  async takeBack(key: string): Promise<void> {
    await this.#redis.attemptsTakeBack(this.#prefix + key);
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await quit(this.#redis);
  }
}
