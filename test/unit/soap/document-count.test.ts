/**
 * A forsendelse has at most COUNT_LIMITS.dokumenter documents. The envelope reader counts
 * `<dokumenter>` as they open and refuses the first one over, so tens of thousands of
 * (empty) documents cost neither a blob each nor a fault with a `<felt>` each.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { COUNT_LIMITS } from '../../../src/domain/validation/length-rules.js';
import { nodeClientEnvelope, nodeForsendelse } from '../../fixtures/soap/index.js';
import { faultstring, post } from './support/post.js';
import { recordingSoapServer } from './support/soap-server.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const ONE_PROBLEM = `For mange elementer: dokumenter kan ha høyst ${COUNT_LIMITS.dokumenter} (meldingen har flere)`;

describe('SOAP door: the number of documents', () => {
  const running = recordingSoapServer();

  const send = (docs: readonly Uint8Array[], raw = '') =>
    nodeClientEnvelope(
      'sendForsendelse',
      nodeForsendelse({ dokumenter: docs.map((data, i) => ({ data, filnavn: `d${i}.pdf` })) }).replace(
        '<forsendelse>',
        `<forsendelse>${raw}`,
      ),
    );

  it('refuses 45 000 empty <dokumenter/> at once, with one problem for the list', async () => {
    const started = Date.now();
    const res = await post(running.server.endpoint, send([], '<dokumenter/>'.repeat(45_000)));
    const ms = Date.now() - started;
    assert.equal(res.status, 500, res.text);
    assert.equal(faultstring(res.text), ONE_PROBLEM);
    assert.equal(res.text.match(/<felt /g)?.length, 1, 'one <felt> for the list');
    assert.ok(res.text.length < 2000, `a small fault (${res.text.length} bytes)`);
    assert.ok(ms < 5000, `answered in ${ms} ms`);
    assert.equal(running.service.sends.length, 0);
  });

  it('keeps none of the documents read before the one over the limit', async () => {
    const docs = Array.from({ length: COUNT_LIMITS.dokumenter + 1 }, () => randomBytes(32));
    const res = await post(running.server.endpoint, send(docs));
    assert.equal(res.status, 500, res.text);
    assert.equal(faultstring(res.text), ONE_PROBLEM);
    await delay(100); // a put still in flight would land now
    for (const d of docs) assert.equal(await running.server.blobs.size(sha256(d)), undefined);
    assert.equal(running.service.sends.length, 0);
  });

  it('takes exactly the limit', async () => {
    const docs = Array.from({ length: COUNT_LIMITS.dokumenter }, () => randomBytes(16));
    const res = await post(running.server.endpoint, send(docs));
    assert.equal(res.status, 200, res.text);
    assert.equal(running.service.sends.at(-1)?.documents.length, COUNT_LIMITS.dokumenter);
  });
});
