/**
 * Webhook signatures (timestamped HMAC, refused when stale, tampered or keyed otherwise) and
 * the sender's SSRF guard: an internal address, literal or from DNS, is refused unless
 * private targets are allowed; a real receiver on loopback is reached when they are.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { signedHeaders, verifyWebhookSignature, webhookSignature } from '../../../src/app/webhooks/signature.js';
import { isInternalAddress } from '../../../src/app/webhooks/webhook-target.js';
import { httpWebhookSender } from '../../../src/channels/webhook/index.js';
import { startWebhookReceiver } from '../../webhook-receiver.js';

const SECRET = 'whsec_enhetstest-hemmelighet';
const NOW = 1_764_000_000_000;

describe('webhook signatures', () => {
  it('signs timestamp.body with HMAC-SHA256 as v1=<hex>, and as Standard Webhooks does for a whsec_ secret', () => {
    const body = '{"id":"a.1"}';
    const headers = signedHeaders(SECRET, 'a.1', body, NOW + 999);
    assert.equal(headers['webhook-timestamp'], String(NOW / 1000));
    assert.equal(headers['webhook-id'], 'a.1');
    const expected = createHmac('sha256', SECRET)
      .update(`${NOW / 1000}.${body}`)
      .digest('hex');
    assert.equal(webhookSignature(SECRET, NOW / 1000, body), `v1=${expected}`);
    // standardwebhooks.com: HMAC-SHA256 keyed with the base64 after whsec_, over id.timestamp.body, in base64.
    const standard = createHmac('sha256', Buffer.from(SECRET.slice('whsec_'.length), 'base64'))
      .update(`a.1.${NOW / 1000}.${body}`)
      .digest('base64');
    assert.equal(headers['webhook-signature'], `v1,${standard} v1=${expected}`);
    // A secret a sender chose in another form gets Budbringer's signature only.
    assert.equal(
      signedHeaders('min egen hemmelighet på 24+ tegn!', 'a.1', body, NOW)['webhook-signature'].split(' ').length,
      1,
    );
  });

  it('verifies a fresh signature and refuses a replay, a changed body or another key', () => {
    const body = '{"id":"a.1","data":{"status":"LEST"}}';
    const h = signedHeaders(SECRET, 'a.1', body, NOW);
    const given = { timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] };
    assert.equal(verifyWebhookSignature(SECRET, given, body, NOW + 60_000), true);
    assert.equal(verifyWebhookSignature(SECRET, given, body, NOW + 301_000), false, 'too old: a replay');
    assert.equal(verifyWebhookSignature(SECRET, given, body.replace('LEST', 'AVVIST'), NOW), false);
    assert.equal(verifyWebhookSignature('whsec_en-annen-hemmelighet', given, body, NOW), false);
    assert.equal(verifyWebhookSignature(SECRET, { ...given, timestamp: String(NOW / 1000 + 1) }, body, NOW), false);
    assert.equal(
      verifyWebhookSignature(SECRET, { timestamp: undefined, signature: given.signature }, body, NOW),
      false,
    );
    assert.equal(
      verifyWebhookSignature(SECRET, { ...given, signature: `v1=00 ${given.signature}` }, body, NOW),
      true,
      'one of several signatures (key rotation) is enough',
    );
  });
});

describe('webhook targets', () => {
  it('knows internal addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd12::1',
      '::ffff:10.0.0.1',
      '0.0.0.0',
    ])
      assert.equal(isInternalAddress(a), true, a);
    for (const a of ['93.184.216.34', '2606:4700::6810:84e5', '::ffff:8.8.8.8'])
      assert.equal(isInternalAddress(a), false, a);
  });

  it('refuses internal addresses, literal or from DNS, unless they are allowed', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const guarded = httpWebhookSender({ timeoutMs: 2000, allowPrivateTargets: false, userAgent: 'test' });
      const port = new URL(receiver.url).port;
      const literal = await guarded.post(receiver.url, { 'content-type': 'application/json' }, '{}');
      assert.deepEqual(literal, { ok: false, result: 'Intern adresse er ikke tillatt' });
      const byName = await guarded.post(`http://localhost:${port}/hooks`, {}, '{}');
      assert.equal(byName.ok, false);
      assert.match(byName.result, /EINTERNAL|intern adresse/);
      assert.equal(receiver.received.length, 0, 'nothing reached the internal receiver');
      const open = httpWebhookSender({ timeoutMs: 2000, allowPrivateTargets: true, userAgent: 'test' });
      assert.deepEqual(await open.post(`http://localhost:${port}/hooks`, {}, '{"id":"x"}'), {
        ok: true,
        result: 'HTTP 204',
      });
      assert.equal(receiver.received.length, 1);
      assert.equal(receiver.received[0]?.headers['user-agent'], 'test');
      // A name made of hex letters is a name, not an address: it goes to DNS (here it may
      // not resolve), never refused as internal before the lookup.
      const named = await guarded.post('http://cafe.bad.beef/hooks', {}, '{}');
      assert.equal(named.ok, false);
      assert.notEqual(named.result, 'Intern adresse er ikke tillatt');
    } finally {
      await receiver.close();
    }
  });
});
