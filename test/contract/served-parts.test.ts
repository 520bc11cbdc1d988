/**
 * The ServedParts contract against DownloadCoverage (one node's memory) and RedisServedParts
 * on a real Redis (127.0.0.1:6379, or REDIS_URL), plus what only each has: forgetting a day
 * after the last part in memory; hashed, prefixed keys that expire a day after the last part
 * in Redis. The Redis suite fails, not skips, without a Redis: it is what adds up a cluster's
 * parts, and CI starts a Redis (`.ci/run`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { DownloadCoverage } from '../../src/app/download-coverage.js';
import { FORGET_AFTER_MS } from '../../src/domain/served-pieces.js';
import { RedisServedParts } from '../../src/storage/redis/index.js';
import { redisMissing, redisUrl, sweepKeys, uniquePrefix } from '../redis-support.js';
import { servedPartsContract, type ServedPartsFixture } from './served-parts.js';
import { withFixture } from './support.js';

const missing = await redisMissing('RedisServedParts-kontrakten');

async function memoryFixture(): Promise<ServedPartsFixture> {
  const parts = new DownloadCoverage();
  return { parts, openSecond: () => Promise.resolve(parts), cleanup: () => parts.close() };
}

servedPartsContract('DownloadCoverage (memory)', memoryFixture);

void describe('DownloadCoverage (memory)', () => {
  void it('forgets a file’s parts a day after its last one', async () => {
    const parts = new DownloadCoverage();
    const now = 1_764_000_000_000;
    await parts.add('a', { start: 0, end: 499 }, 1000, now);
    assert.equal(await parts.add('a', { start: 500, end: 999 }, 1000, now + 25 * 3600_000), false);
    assert.equal(await parts.add('a', { start: 0, end: 499 }, 1000, now + 25 * 3600_000), true);
  });
});

/** One unique prefix per fixture, one client per instance ("node"); every key removed afterwards. */
async function redisFixture(): Promise<ServedPartsFixture & { readonly prefix: string }> {
  const prefix = uniquePrefix('parts');
  const errors: string[] = [];
  const open = () => new RedisServedParts({ connection: redisUrl, prefix, onError: (e) => errors.push(e.message) });
  const all = [open()];
  return {
    prefix,
    parts: all[0] as RedisServedParts,
    async openSecond() {
      const second = open();
      all.push(second);
      return second;
    },
    async cleanup() {
      await Promise.all(all.map((p) => p.close()));
      await sweepKeys(prefix);
      assert.deepEqual(errors, [], 'no Redis errors');
    },
  };
}

if (missing !== false) void it('RedisServedParts on Redis: contract suite', () => assert.fail(missing));
else
  void describe('RedisServedParts on Redis', () => {
    servedPartsContract('RedisServedParts', redisFixture);

    void it('keeps the file’s key only as its SHA-256 under the prefix, expiring a day after the last part', () =>
      withFixture(redisFixture, async ({ parts, prefix }) => {
        await parts.add('7f1c-brev/fil/abc', { start: 0, end: 9 }, 1000, Date.now());
        const redis = new Redis(redisUrl);
        try {
          const keys = await redis.keys(`${prefix}:*`);
          assert.equal(keys.length, 1);
          const key = keys[0] ?? '';
          assert.match(key, new RegExp(`^${prefix}:parts:[A-Za-z0-9_-]{43}$`));
          assert.equal(await redis.get(key), '0-9');
          const ttl = await redis.pttl(key);
          assert.ok(ttl > FORGET_AFTER_MS - 60_000 && ttl <= FORGET_AFTER_MS, `expires a day after (${ttl} ms)`);
        } finally {
          redis.disconnect();
        }
      }));
  });
