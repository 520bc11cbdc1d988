/**
 * The Redis attempt counter's connection errors are log lines (one, then at most one every
 * 30 s), as the job queue's are, not stack traces written to stderr by console.error.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { openAttemptCounter } from '../../../src/composition/attempt-counter.js';
import { loadSettings } from '../../../src/config/load-settings.js';
import { freePort } from '../../support/private-redis.js';

describe('openAttemptCounter with Redis away', () => {
  it('logs its connection errors as JSON lines through the node logger', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''))
          lines.push(JSON.parse(line));
        done();
      },
    });
    const settings = loadSettings([], {
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      DATA_DIR: '/tmp/unused',
    });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    const counter = await openAttemptCounter(settings, undefined, pino(sink));
    try {
      const deadline = Date.now() + 10_000;
      while (!lines.some((l) => l.source === 'attempt counter') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const line = lines.find((l) => l.source === 'attempt counter');
      assert.ok(line, JSON.stringify(lines));
      assert.equal(line.level, 50);
      // ioredis retries within milliseconds at first: those are left out, not logged.
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(lines.filter((l) => l.source === 'attempt counter').length, 1, 'once, then quiet for 30 s');
      assert.deepEqual(errors, [], 'nothing on stderr');
    } finally {
      console.error = original;
      await counter.close();
    }
  });
});
