/**
 * Webhooks with two worker nodes on one store (docs/cluster.md: several processes of either
 * role may share a DATA_DIR): a web node takes the letters, two worker nodes scan and
 * deliver at once; the claims keep every event to one delivery (no crash, so no repeat) and
 * each letter's events in order.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { letterCloudEvents } from '../../src/app/webhooks/cloud-events.js';
import {
  eventually,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  type TestNode,
} from '../factories.js';
import { startWebhookReceiver, type WebhookReceiver } from '../webhook-receiver.js';

const LETTERS = 8;
const ENV = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_POLL_MS: '20',
  WEBHOOK_CONCURRENCY: '4',
};

describe('webhooks: two worker nodes on one store', () => {
  let dataDir: string;
  let web: TestNode;
  const workers: TestNode[] = [];
  let receiver: WebhookReceiver;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'budbringer-webhook-workers-'));
    web = await startTestNode({ ...ENV, BUDBRINGER_ROLES: 'web' }, dataDir);
    for (let i = 0; i < 2; i++) workers.push(await startTestNode({ ...ENV, BUDBRINGER_ROLES: 'worker' }, dataDir));
    receiver = await startWebhookReceiver(0, 5);
  });
  after(async () => {
    for (const w of workers) await w.stop();
    await web.stop();
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('delivers every event once, each letter in order', { timeout: 120_000 }, async () => {
    const creds = await web.sender('Tonodekommune');
    const secret = 'to-noder-hemmelighet-som-er-lang-nok';
    const sub = await restCall(web.url, creds, '/abonnementer', { json: { url: receiver.url, secret } });
    assert.equal(sub.status, 201);
    const ids: string[] = [];
    for (let i = 0; i < LETTERS; i++) {
      const r = await restSend(web.url, creds, restForsendelse({ tittel: `Brev ${i}` }), [
        { filename: 'brev.pdf', bytes: await letterPdf() },
      ]);
      assert.equal(r.status, 200);
      ids.push(r.body.id as string);
    }
    const expected = async (id: string): Promise<string[]> =>
      letterCloudEvents(await web.node.storage.journal.read(`forsendelse:${id}`, 0), '').events.map((e) => e.id);
    await eventually(
      async () => {
        for (const id of ids) {
          const want = await expected(id);
          const got = receiver.received.filter((e) => e.event.subject === id).map((e) => e.event.id);
          if (want.length < 3 || JSON.stringify(got) !== JSON.stringify(want)) return undefined;
        }
        return true;
      },
      60_000,
      'every event of every letter, once and in order',
    );
    const all = receiver.received.map((e) => e.event.id);
    assert.equal(new Set(all).size, all.length, 'no event delivered twice');
    assert.ok(receiver.allSigned(secret));
  });
});
