/**
 * A send while the job queue's Redis is away (embedded storage, jobs in Redis): the letter's
 * events are stored, so the sender gets its id within seconds, not a 500 after ioredis'
 * ~100 s of retries (after which the letter was delivered anyway, and a sender that sent
 * again got it twice). Once Redis is back, the repair sweep queues its work and it is
 * printed. A scrape of /metrics meanwhile answers in time, the queue's gauges marked down.
 * A Redis of its own, stopped and started again on the same port.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  letterPdf,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { freePort, PrivateRedis } from '../support/private-redis.js';

describe('intake while Redis is away', () => {
  let dir: string;
  let redis: PrivateRedis;
  let t: TestNode;
  let creds: Creds;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-redis-away-'));
    redis = new PrivateRedis(await freePort());
    await redis.start();
    t = await startTestNode(
      { REDIS_URL: redis.url, QUEUE_PREFIX: `bb-${randomUUID()}`, REPAIR_INTERVAL_MS: '1000' },
      join(dir, 'data'),
    );
    creds = await t.sender('Redisløskommune');
  });
  after(async () => {
    await redis.start().catch(() => undefined); // a node stops cleanly with its Redis there
    await t.stop();
    await redis.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('answers the id within seconds, and prints the letter once Redis is back', async () => {
    const pdf = await letterPdf();
    const first = await restSend(t.url, creds, restForsendelse({ tittel: 'Før' }), [
      { filename: 'brev.pdf', bytes: pdf },
    ]);
    assert.equal(first.status, 200);
    await waitForStatus(t.url, creds, first.body.id as string, 'SENDT_PRINT');

    await redis.stop();
    const started = Date.now();
    const sent = await restSend(t.url, creds, restForsendelse({ tittel: 'Under' }), [
      { filename: 'brev.pdf', bytes: pdf },
    ]);
    const ms = Date.now() - started;
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.ok(ms < 20_000, `answered after ${ms} ms`);
    const id = sent.body.id as string;

    await redis.start();
    await waitForStatus(t.url, creds, id, 'SENDT_PRINT');
  });

  it('answers /metrics within seconds while Redis is away, the queue gauges marked down', async () => {
    await redis.stop();
    try {
      const started = Date.now();
      const r = await fetch(`${t.url}/metrics`);
      const text = await r.text();
      const ms = Date.now() - started;
      assert.equal(r.status, 200);
      assert.ok(ms < 8_000, `scraped in ${ms} ms`);
      assert.match(text, /^budbringer_metric_source_up\{source="job_queue"\} 0$/m);
      assert.match(text, /^budbringer_metric_source_up\{source="read_model"\} 1$/m);
      assert.match(text, /^budbringer_metric_source_up\{source="data_dir"\} 1$/m);
      assert.match(text, /^budbringer_live_actors \d+$/m, "the node's other metrics are there");
      assert.match(text, /^process_cpu_user_seconds_total /m);
    } finally {
      await redis.start();
    }
    const back = await (await fetch(`${t.url}/metrics`)).text();
    assert.match(back, /^budbringer_metric_source_up\{source="job_queue"\} 1$/m);
  });
});
