/**
 * The login and one-time-code throttles while their Redis is away: an attempt is refused at
 * once as a temporary error (503, UnavailableError), never let through uncounted, and not
 * after ioredis' twenty retries (20–50 s, seen in an operations review).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnavailableError } from '../../../src/domain/errors.js';
import { AttemptThrottle } from '../../../src/http/attempt-throttle.js';
import { RedisAttemptCounter } from '../../../src/storage/redis/index.js';
import { freePort } from '../../support/private-redis.js';

describe('AttemptThrottle with its Redis away', () => {
  it('refuses the attempt within seconds as a 503, and the check too', async () => {
    const counter = new RedisAttemptCounter({
      connection: `redis://127.0.0.1:${await freePort()}`,
      prefix: 'borte',
      onError: () => undefined,
    });
    const throttle = new AttemptThrottle(counter, 'login');
    try {
      const started = Date.now();
      for (const call of [
        () => throttle.attempt('kari', '10.0.0.1', Date.now()),
        () => throttle.waitMs('kari', '10.0.0.1', Date.now()),
      ]) {
        await assert.rejects(call(), (e: unknown) => {
          assert.ok(e instanceof UnavailableError, String(e));
          assert.equal(e.httpStatus, 503);
          assert.match(e.message, /midlertidig utilgjengelige/);
          return true;
        });
      }
      assert.ok(Date.now() - started < 10_000, `refused after ${Date.now() - started} ms`);
    } finally {
      await counter.close();
    }
  });
});
