/**
 * One avsender's receivers that never answer hold at most one share of the webhook slots,
 * however many subscriptions it has: another avsender's events go out beside its backlog.
 * Before, the share was per subscription, and four subscriptions to a hung receiver (ten are
 * allowed) held all sixteen slots: the other avsender's first event came after 46 s (found in
 * review).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
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

const SECRET = 'test-hemmelighet-som-er-lang-nok-1234';

describe('webhooks: one avsender whose receivers hang', () => {
  const hung = createServer(() => undefined); // takes every request, answers none
  /** Requests the hung receiver holds open now, and the most it held at once. */
  let held = 0;
  let mostHeld = 0;
  let good: WebhookReceiver;
  let t: TestNode;

  before(async () => {
    hung.on('request', (req) => {
      held += 1;
      mostHeld = Math.max(mostHeld, held);
      req.socket.on('close', () => (held -= 1));
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    good = await startWebhookReceiver();
    t = await startTestNode({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', JOB_POLL_MS: '100' });
  });
  after(async () => {
    hung.closeAllConnections();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
    await good.close();
    await t.stop();
  });

  it('holds one share of the slots, and another avsender’s event goes out at once', { timeout: 60_000 }, async () => {
    const slem = await t.sender('Slemkommune');
    const aerlig = await t.sender('Ærligkommune');
    const { port } = hung.address() as AddressInfo;
    for (let i = 0; i < 4; i += 1) {
      const r = await restCall(t.url, slem, '/abonnementer', {
        json: { url: `http://127.0.0.1:${port}/h${i}`, secret: SECRET },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    assert.equal(
      (await restCall(t.url, aerlig, '/abonnementer', { json: { url: good.url, secret: SECRET } })).status,
      201,
    );
    const pdf = await letterPdf();
    for (let i = 0; i < 20; i += 1) {
      const r = await restSend(t.url, slem, restForsendelse({ tittel: `Slem ${i}` }), [
        { filename: 'brev.pdf', bytes: pdf },
      ]);
      assert.equal(r.status, 200);
    }
    await eventually(async () => (held >= 4 ? true : undefined), 20_000, 'the hung receiver holding deliveries');

    const r = await restSend(t.url, aerlig, restForsendelse({ tittel: 'Ærlig' }), [
      { filename: 'brev.pdf', bytes: pdf },
    ]);
    const id = String(r.body.id);
    // A POST times out after 10 s (WEBHOOK_TIMEOUT_MS): an event queued behind hung ones takes that long.
    await eventually(
      async () => (good.received.some((e) => e.event.subject === id) ? true : undefined),
      6_000,
      'the other avsender’s first event',
    );
    assert.equal(mostHeld, 4, 'the hung receiver held one share (16 ÷ 4) at a time, however many subscriptions');
  });
});
