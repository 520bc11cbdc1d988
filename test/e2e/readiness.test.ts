/**
 * `/readyz` says whether a load balancer should send the node work: 200 while its store
 * answers, 503 `unavailable` within seconds once MongoDB stops answering (cluster mode, an
 * emulated MongoDB of the test's own that is stopped), while `/healthz` still says the
 * process lives. Before, /readyz was 200 whatever the store did.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestNode, type TestNode } from '../factories.js';
import { redisUrl } from '../redis-support.js';
import { startEmulatedMongo, type EmulatedMongo } from '../support/emulated-mongo.js';

describe('/readyz follows the letters’ store', () => {
  let mongo: EmulatedMongo | undefined;
  let embedded: TestNode;
  let cluster: TestNode;

  before(async () => {
    mongo = await startEmulatedMongo(0);
    embedded = await startTestNode();
    cluster = await startTestNode({
      MONGODB_URI: mongo.uri,
      MONGODB_DB: `readyz-${randomUUID().slice(0, 8)}`,
      SECRET: 'budbringer-readyz-test-secret-0123456789',
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: `bb-${randomUUID()}`,
      BUDBRINGER_ROLES: 'web',
    });
  });
  after(async () => {
    await embedded.stop();
    await cluster.stop().catch(() => undefined); // its MongoDB is gone
    await mongo?.stop();
  });

  it('answers a browser’s /favicon.ico with 204, not a 404 in the console of every page', async () => {
    const r = await fetch(`${embedded.url}/favicon.ico`);
    assert.equal(r.status, 204);
  });

  it('is ready while the store answers', async () => {
    for (const node of [embedded, cluster]) {
      const r = await fetch(`${node.url}/readyz`);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { status: 'ready' });
    }
  });

  it('is unavailable within seconds once MongoDB stops answering, while /healthz still answers', async () => {
    await mongo?.stop();
    mongo = undefined;
    const started = Date.now();
    const r = await fetch(`${cluster.url}/readyz`);
    const ms = Date.now() - started;
    assert.equal(r.status, 503);
    const body = (await r.json()) as { status: string; reason: string };
    assert.equal(body.status, 'unavailable');
    assert.match(body.reason, /^Lageret for forsendelser svarer ikke/);
    assert.ok(ms < 5_000, `answered after ${ms} ms`);
    assert.equal((await fetch(`${cluster.url}/healthz`)).status, 200);
  });
});

describe('/readyz follows the free space of DATA_DIR', () => {
  it('is unavailable while DATA_DIR has less room than READY_MIN_FREE_MB (every send would fail on a full disk)', async () => {
    // More than any disk of a test machine holds: the real free space (statfs) is below it.
    const full = await startTestNode({ READY_MIN_FREE_MB: '1048576' });
    try {
      const r = await fetch(`${full.url}/readyz`);
      assert.equal(r.status, 503);
      assert.deepEqual(await r.json(), { status: 'unavailable', reason: 'Det er for lite ledig plass på disken' });
      assert.equal((await fetch(`${full.url}/healthz`)).status, 200, 'the process lives');
    } finally {
      await full.stop();
    }
  });
});
