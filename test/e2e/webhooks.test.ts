/**
 * Webhooks (issue 16): a real HTTP receiver on loopback gets every event of a letter's life
 * in order, each signed; a receiver that is down for a while still gets everything once
 * it is back; a delivery that keeps failing is marked failed and "send again" delivers it;
 * the subscription API refuses bad input and another avsender's subscription.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { letterCloudEvents } from '../../src/app/webhooks/cloud-events.js';
import {
  eventually,
  FNR,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  type Creds,
  type TestNode,
} from '../factories.js';
import { startWebhookReceiver, type ReceivedEvent, type WebhookReceiver } from '../webhook-receiver.js';

const SECRET = 'test-hemmelighet-som-er-lang-nok-1234';

describe('webhooks', () => {
  let t: TestNode;
  let creds: Creds;
  let other: Creds;
  let receiver: WebhookReceiver;
  before(async () => {
    t = await startTestNode({
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_BACKOFF_MS: '100',
      WEBHOOK_MAX_BACKOFF_MS: '300',
      WEBHOOK_GIVE_UP_AFTER_MS: '3000',
    });
    creds = await t.sender('Krokstad kommune');
    other = await t.sender('Annen kommune');
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await receiver.close();
    await t.stop();
  });

  /** The event ids the journal says the letter's life has produced so far, in order. */
  async function expectedIds(id: string): Promise<string[]> {
    const journal = await t.node.storage.journal.read(`forsendelse:${id}`, 0);
    return letterCloudEvents(journal, t.url).events.map((e) => e.id);
  }

  /** The first arrival of each event of letter `id` (a retry may repeat one). */
  function receivedFor(r: WebhookReceiver, id: string): ReceivedEvent[] {
    const seen = new Set<string>();
    return r.received.filter((e) => e.event.subject === id && !seen.has(e.event.id) && seen.add(e.event.id));
  }

  async function send(c: Creds, tittel: string): Promise<string> {
    const r = await restSend(t.url, c, restForsendelse({ tittel }), [
      { filename: 'brev.pdf', bytes: await letterPdf() },
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.id as string;
  }

  async function subscribe(c: Creds, url: string): Promise<string> {
    const r = await restCall(t.url, c, '/abonnementer', { json: { url, secret: SECRET } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.secret, SECRET);
    return r.body.id as string;
  }

  /** Waits until the receiver has every event the journal holds for `id` (and the letter has settled). */
  async function allArrived(r: WebhookReceiver, id: string): Promise<void> {
    await eventually(
      async () => {
        const expected = await expectedIds(id);
        const got = receivedFor(r, id).map((e) => e.event.id);
        return expected.length >= 3 && JSON.stringify(got) === JSON.stringify(expected) ? true : undefined;
      },
      20_000,
      `every event of ${id}`,
    );
  }

  it('manages subscriptions through the API and refuses bad input and other avsendere', async () => {
    const created = await restCall(t.url, creds, '/abonnementer', { json: { url: 'https://mottak.example.no/hook' } });
    assert.equal(created.status, 201);
    assert.match(created.body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const id = created.body.id as string;
    const list = await restCall(t.url, creds, '/abonnementer');
    assert.deepEqual(
      list.body.abonnementer.map((a: { id: string }) => a.id),
      [id],
    );
    assert.equal(list.body.abonnementer[0].secret, undefined, 'the secret is shown only once');
    assert.equal((await restCall(t.url, other, `/abonnementer/${id}`)).status, 404);
    assert.equal((await restCall(t.url, other, `/abonnementer/${id}`, { method: 'DELETE' })).status, 404);
    assert.equal((await restCall(t.url, other, `/abonnementer/${id}/leveranser`)).status, 404);
    for (const [body, field] of [
      [{ url: 'ftp://mottak.example.no/' }, 'http eller https'],
      [{ url: 'ikke en url' }, 'gyldig URL'],
      [{ url: 'https://bruker:pw@mottak.example.no/' }, 'brukernavn'],
      [{ url: 'https://mottak.example.no/', secret: 'kort' }, 'secret'],
      [{}, 'url mangler'],
    ] as const) {
      const r = await restCall(t.url, creds, '/abonnementer', { json: body });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(r.body.message, new RegExp(field));
    }
    const noAuth = await fetch(`${t.url}/tjenester/api/forsendelse/v1/abonnementer`);
    assert.equal(noAuth.status, 401);
    assert.equal((await restCall(t.url, creds, `/abonnementer/${id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await restCall(t.url, creds, `/abonnementer/${id}`)).status, 404);
  });

  it('posts every event of a letter in order, as signed CloudEvents', async () => {
    const subscription = await subscribe(creds, receiver.url);
    const id = await send(creds, 'Vedtak med webhook');
    await eventually(async () => (receivedFor(receiver, id).length >= 3 ? true : undefined), 15_000, 'first events');
    const lest = await restCall(t.url, creds, `/${id}/settLest`, {
      json: { lestAvFodselsNummer: FNR[0], navnPaEksterntSystem: 'Sak', datoLest: new Date().toISOString() },
    });
    assert.equal(lest.status, 200, JSON.stringify(lest.body));
    await eventually(
      async () =>
        receivedFor(receiver, id).some((e) => e.event.data.hendelsestype === 'LestEksternt') ? true : undefined,
      15_000,
      'the read event',
    );
    await allArrived(receiver, id);
    const events = receivedFor(receiver, id);
    assert.ok(receiver.allSigned(SECRET), 'every signature verifies');
    assert.equal(receiver.allSigned('en annen hemmelighet som er lang nok'), false, 'a wrong secret does not');
    const seqs = events.map((e) => e.event.data.sekvensnummer as number);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'in journal order',
    );
    const first = events[0] as ReceivedEvent;
    assert.equal(first.headers['content-type'], 'application/cloudevents+json');
    assert.equal(first.headers['webhook-id'], first.event.id);
    assert.deepEqual(
      { ...first.event, time: 'x', data: { ...first.event.data, sisteStatusEndring: 'x' } },
      {
        specversion: '1.0',
        id: `${id}.1`,
        source: t.url,
        type: 'no.budbringer.forsendelse.status',
        subject: id,
        time: 'x',
        datacontenttype: 'application/json',
        data: {
          forsendelseId: id,
          avsender: 'Krokstad kommune',
          eksternref: null,
          sekvensnummer: 1,
          hendelsestype: 'Mottatt',
          status: 'MOTTATT',
          forrigeStatus: null,
          sisteStatusEndring: 'x',
          historikk: first.event.data.historikk,
        },
      },
    );
    assert.deepEqual(
      (first.event.data.historikk as { hendelse: string }[]).map((h) => h.hendelse),
      ['Mottatt, og tildelt forsendelse-id', 'Metadata er validert OK', 'Orginaldokumenter er lagret (1 dokument)'],
    );
    const status = await restCall(t.url, creds, `/${id}/status`);
    assert.equal(events.at(-1)?.event.data.status, status.body.status, 'the last event carries the current status');
    const log = await restCall(t.url, creds, `/abonnementer/${subscription}/leveranser?status=LEVERT`);
    assert.equal(log.status, 200);
    assert.equal(log.body.totalt, events.length);
    assert.equal(log.body.leveranser[0].sisteResultat, 'HTTP 204');
    // Another avsender's letter reaches no subscription of this one.
    const foreign = await send(other, 'Annens brev');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(receivedFor(receiver, foreign).length, 0);
    assert.equal((await restCall(t.url, creds, `/abonnementer/${subscription}`, { method: 'DELETE' })).status, 204);
  });

  it('delivers everything, in order, to a receiver that was down for a while', async () => {
    const r2 = await startWebhookReceiver();
    try {
      const subscription = await subscribe(creds, r2.url);
      await r2.down();
      const id = await send(creds, 'Mens mottakeren er nede');
      await eventually(
        async () => {
          const log = await restCall(t.url, creds, `/abonnementer/${subscription}/leveranser?status=VENTER`);
          return log.body.leveranser.some((d: { forsok: number }) => d.forsok >= 2) ? true : undefined;
        },
        10_000,
        'failed attempts while down',
      );
      assert.equal(r2.received.length, 0);
      await r2.up();
      await allArrived(r2, id);
      assert.ok(r2.allSigned(SECRET));
    } finally {
      await r2.close().catch(() => undefined);
    }
  });

  it('marks a delivery failed after the give-up time, and "send again" delivers it', async () => {
    const r3 = await startWebhookReceiver();
    try {
      const subscription = await subscribe(creds, r3.url);
      await r3.down();
      const id = await send(creds, 'Til en mottaker som er borte');
      const failed = await eventually(
        async () => {
          const log = await restCall(t.url, creds, `/abonnementer/${subscription}/leveranser?status=FEILET`);
          return log.body.totalt > 0 ? log.body : undefined;
        },
        15_000,
        'a failed delivery',
      );
      assert.match(failed.leveranser[0].sisteResultat, /ECONNREFUSED/);
      await r3.up();
      // Let any pending ones through; then resend what failed.
      await eventually(
        async () => {
          const resend = await restCall(t.url, creds, `/abonnementer/${subscription}/leveranser/send-igjen`, {
            json: {},
          });
          assert.equal(resend.status, 200);
          const pending = await restCall(t.url, creds, `/abonnementer/${subscription}/leveranser?status=VENTER`);
          const stillFailed = await restCall(t.url, creds, `/abonnementer/${subscription}/leveranser?status=FEILET`);
          return pending.body.totalt === 0 && stillFailed.body.totalt === 0 ? true : undefined;
        },
        15_000,
        'everything delivered after send again',
      );
      const expected = await expectedIds(id);
      assert.deepEqual(
        new Set(r3.received.filter((e) => e.event.subject === id).map((e) => e.event.id)),
        new Set(expected),
      );
    } finally {
      await r3.close().catch(() => undefined);
    }
  });
});
