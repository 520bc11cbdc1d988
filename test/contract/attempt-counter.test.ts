/**
 * The AttemptCounter contract and AttemptThrottle over it, against MemoryAttemptCounter
 * (embedded) and RedisAttemptCounter on a real Redis (127.0.0.1:6379, or REDIS_URL), plus
 * what only each adapter has: pruning in memory; hashed, prefixed, expiring keys in Redis.
 * The Redis suite fails, not skips, without a Redis: it is what keeps cluster nodes from
 * allowing N times the guesses, and CI starts a Redis (`.ci/run`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AttemptThrottle, DEFAULT_THROTTLE } from '../../src/http/attempt-throttle.js';
import { MemoryAttemptCounter } from '../../src/storage/memory/index.js';
import { RedisAttemptCounter } from '../../src/storage/redis/index.js';
import { Redis } from 'ioredis';
import { attemptCounterContract, RULE, T0, type AttemptCounterFixture } from './attempt-counter.js';
import { attemptThrottleContract } from './attempt-throttle.js';
import { withFixture } from './support.js';
import { redisMissing, redisUrl, sweepKeys, uniquePrefix } from '../redis-support.js';

// Asked before any test is registered: the runner starts them meanwhile, and the pruning
// test's busy second would outlast the check's one-second timeout.
const missing = await redisMissing('RedisAttemptCounter-kontrakten');

async function memoryFixture(): Promise<AttemptCounterFixture> {
  const counter = new MemoryAttemptCounter();
  // One process holds one counter: every throttle of the node counts in it.
  return { counter, openSecond: async () => counter, cleanup: () => counter.close() };
}

attemptCounterContract('MemoryAttemptCounter', memoryFixture);
attemptThrottleContract('MemoryAttemptCounter', memoryFixture);

void it('MemoryAttemptCounter prunes forgotten keys once it holds more than 50 000', async () => {
  const counter = new MemoryAttemptCounter();
  for (let i = 0; i <= 50_000; i++) await counter.addUnlessLocked([{ key: `k${i}`, allowed: 5 }], RULE, T0);
  assert.equal(counter.size, 50_001);
  await counter.addUnlessLocked([{ key: 'k0', allowed: 5 }], RULE, T0 + RULE.windowMs);
  assert.equal(counter.size, 50_001, 'a key still within its window is counted on, nothing pruned');
  await counter.addUnlessLocked([{ key: 'neu', allowed: 5 }], RULE, T0 + RULE.windowMs + 1);
  assert.equal(counter.size, 2, 'only the key just counted and the one counted within the window are left');
});

/** One unique prefix per fixture, one client per instance ("node"); every key removed afterwards. */
async function redisFixture(): Promise<AttemptCounterFixture & { readonly prefix: string }> {
  const prefix = uniquePrefix('attempts');
  const errors: string[] = [];
  const open = () => new RedisAttemptCounter({ connection: redisUrl, prefix, onError: (e) => errors.push(e.message) });
  const counters = [open()];
  return {
    prefix,
    counter: counters[0] as RedisAttemptCounter,
    async openSecond() {
      const second = open();
      counters.push(second);
      return second;
    },
    async cleanup() {
      await Promise.all(counters.map((c) => c.close()));
      await sweepKeys(prefix);
      assert.deepEqual(errors, [], 'no Redis errors');
    },
  };
}

if (missing !== false) void it('RedisAttemptCounter on Redis: contract suite', () => assert.fail(missing));
else
  void describe('RedisAttemptCounter on Redis', () => {
    attemptCounterContract('RedisAttemptCounter', redisFixture);
    attemptThrottleContract('RedisAttemptCounter', redisFixture);

    void it('keeps no user name or address in its keys, only their SHA-256, under the prefix, expiring with the window', () =>
      withFixture(redisFixture, async ({ counter, prefix }) => {
        const throttle = new AttemptThrottle(counter, 'admin-login', DEFAULT_THROTTLE);
        assert.equal(await throttle.attempt('Kari.Nordmann', '::ffff:192.0.2.44', Date.now()), 0);
        const redis = new Redis(redisUrl);
        try {
          const keys = (await redis.keys(`${prefix}:*`)).sort();
          assert.equal(keys.length, 2);
          for (const key of keys) {
            assert.match(key, new RegExp(`^${prefix}:attempts:admin-login:[sa]:[A-Za-z0-9_-]{43}$`));
            assert.doesNotMatch(key.toLowerCase(), /kari|nordmann|192\.0\.2/);
            const ttl = await redis.pttl(key);
            assert.ok(ttl > 0 && ttl <= DEFAULT_THROTTLE.windowMs, `${key} expires within the window (${ttl} ms)`);
          }
        } finally {
          redis.disconnect();
        }
      }));
  });
