/**
 * Receivers that never answer hold at most one share of the webhook slots: all of one
 * avsender's subscriptions together a quarter, all subscriptions to one receiving host
 * together half, so another avsender's events go out beside the backlog. Before, the share was
 * per subscription, and four subscriptions to a hung receiver (ten are allowed) held all
 * sixteen slots: the other avsender's first event came after 46 s (found in review); and four
 * municipalities with one subscription each to one vendor's hung receiver did the same.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  type Creds,
  type TestNode,
} from '../factories.js';
import { startWebhookReceiver, type WebhookReceiver } from '../webhook-receiver.js';

const SECRET = 'test-hemmelighet-som-er-lang-nok-1234';

describe('webhooks: receivers that hang', () => {
  const hung: Server = createServer(() => undefined); // takes every request, answers none
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
  });
  after(async () => {
    hung.closeAllConnections();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
    await good.close();
  });

  /** Subscribes each of `slemme` (`perSender` times) to the hung receiver, and `aerlig` to the good one. */
  const subscribe = async (slemme: readonly Creds[], perSender: number, aerlig: Creds): Promise<void> => {
    const { port } = hung.address() as AddressInfo;
    for (const [s, slem] of slemme.entries())
      for (let i = 0; i < perSender; i += 1) {
        const r = await restCall(t.url, slem, '/abonnementer', {
          json: { url: `http://127.0.0.1:${port}/s${s}/h${i}`, secret: SECRET },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
    const r = await restCall(t.url, aerlig, '/abonnementer', { json: { url: good.url, secret: SECRET } });
    assert.equal(r.status, 201);
  };

  /** Sends `count` letters as each of `senders`, then one as `aerlig`; resolves once its first event arrived. */
  const honestEventArrives = async (senders: readonly Creds[], count: number, aerlig: Creds): Promise<void> => {
    const pdf = await letterPdf();
    for (const slem of senders)
      for (let i = 0; i < count; i += 1) {
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
  };

  it('one avsender with four subscriptions to it holds a quarter of the slots', { timeout: 60_000 }, async () => {
    t = await startTestNode({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', JOB_POLL_MS: '100' });
    try {
      const slem = await t.sender('Slemkommune');
      const aerlig = await t.sender('Ærligkommune');
      await subscribe([slem], 4, aerlig);
      await honestEventArrives([slem], 20, aerlig);
      assert.equal(mostHeld, 4, 'one avsender’s share (16 ÷ 4) at a time, however many subscriptions');
    } finally {
      hung.closeAllConnections();
      await t.stop();
    }
  });

  it('four avsendere with one subscription each to it hold half the slots', { timeout: 60_000 }, async () => {
    await eventually(async () => (held === 0 ? true : undefined), 10_000, 'the first test’s requests closed');
    mostHeld = 0;
    t = await startTestNode({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', JOB_POLL_MS: '100' });
    try {
      const slemme = await Promise.all([1, 2, 3, 4].map((n) => t.sender(`Leverandørkunde ${n}`)));
      const aerlig = await t.sender('Egenarkivkommune');
      await subscribe(slemme, 1, aerlig);
      await honestEventArrives(slemme, 8, aerlig);
      assert.ok(mostHeld <= 8, `the host’s share (16 ÷ 2) at most, though four avsendere’s are 16: held ${mostHeld}`);
    } finally {
      hung.closeAllConnections();
      await t.stop();
    }
  });
});
