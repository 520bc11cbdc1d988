/**
 * The AttemptCounter contract and AttemptThrottle over it, against SqliteAttemptCounter
 * (embedded) and RedisAttemptCounter on a real Redis (127.0.0.1:6379, or REDIS_URL), plus
 * what only each adapter has: counts kept across a reopen and expired rows dropped in
 * SQLite; hashed, prefixed, expiring keys in Redis.
 * The Redis suite fails, not skips, without a Redis: it is what keeps cluster nodes from
 * allowing N times the guesses, and CI starts a Redis (`.ci/run`).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AttemptThrottle, DEFAULT_THROTTLE } from '../../src/http/attempt-throttle.js';
import { openSqlite, SqliteAttemptCounter, type SqliteDatabase } from '../../src/storage/sqlite/index.js';
import { RedisAttemptCounter } from '../../src/storage/redis/index.js';
import { Redis } from 'ioredis';
import { attemptCounterContract, RULE, T0, type AttemptCounterFixture } from './attempt-counter.js';
import { attemptThrottleContract } from './attempt-throttle.js';
import { withFixture } from './support.js';
import { redisMissing, redisUrl, sweepKeys, uniquePrefix } from '../redis-support.js';

// Asked before any test is registered: the runner starts them meanwhile, and the pruning
// test's busy second would outlast the check's one-second timeout.
const missing = await redisMissing('RedisAttemptCounter-kontrakten');

/** A fresh SQLite file per fixture; a second connection to it is another process on the same DATA_DIR. */
async function sqliteFixture(): Promise<AttemptCounterFixture & { readonly file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'budbringer-attempts-'));
  const file = join(dir, 'budbringer.sqlite');
  const dbs = [openSqlite(file)];
  return {
    file,
    counter: new SqliteAttemptCounter(dbs[0] as SqliteDatabase),
    async openSecond() {
      const db = openSqlite(file);
      dbs.push(db);
      return new SqliteAttemptCounter(db);
    },
    async cleanup() {
      for (const db of dbs) db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

attemptCounterContract('SqliteAttemptCounter', sqliteFixture);
attemptThrottleContract('SqliteAttemptCounter', sqliteFixture);

void describe('SqliteAttemptCounter', () => {
  void it('keeps the counts and used codes when the file is opened again (a restart)', () =>
    withFixture(sqliteFixture, async ({ counter, file }) => {
      const keys = [{ key: 'admin-login:s:x', allowed: 1 }];
      assert.equal(await counter.addUnlessLocked(keys, RULE, T0), 0);
      const again = openSqlite(file);
      try {
        const restarted = new SqliteAttemptCounter(again);
        assert.equal(await restarted.addUnlessLocked(keys, RULE, T0 + 10), 990, 'still locked after the restart');
        assert.deepEqual(await restarted.read('admin-login:s:x', RULE.windowMs, T0 + 10), { failures: 1, last: T0 });
      } finally {
        again.close();
      }
    }));

  void it('drops rows whose window is over as it counts, a hundred at a time', () =>
    withFixture(sqliteFixture, async ({ counter, file }) => {
      for (let i = 0; i < 150; i++) await counter.addUnlessLocked([{ key: `k${i}`, allowed: 5 }], RULE, T0);
      const db = openSqlite(file);
      const rows = (): number => (db.prepare('SELECT COUNT(*) AS n FROM attempt_counts').get() as { n: number }).n;
      try {
        assert.equal(rows(), 150);
        await counter.addUnlessLocked([{ key: 'k0', allowed: 5 }], RULE, T0 + RULE.windowMs);
        assert.equal(rows(), 150, 'a row at the end of its window is kept');
        await counter.addUnlessLocked([{ key: 'neu', allowed: 5 }], RULE, T0 + RULE.windowMs + 1);
        assert.equal(rows(), 51, 'a hundred of the 149 rows past their window went, the new row came');
        await counter.addUnlessLocked([{ key: 'neu', allowed: 5 }], RULE, T0 + RULE.windowMs + 2);
        assert.equal(rows(), 2, 'the other 49 went with the next count: k0 and neu are left');
      } finally {
        db.close();
      }
    }));
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
