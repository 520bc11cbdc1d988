/**
 * The /readyz check (src/composition/readiness.ts): draining wins; a store that hangs makes
 * the node unavailable after the bound, not after the store's own timeouts; probes that come
 * while a ping is out share it; the answer names no host or port. The store here is a function
 * standing in for Storage.ping, whose answers the test decides.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { readinessCheck } from '../../../src/composition/readiness.js';

describe('readiness check', () => {
  const log = pino({ level: 'silent' });

  it('says draining once the node stops accepting, without asking the store', async () => {
    let pings = 0;
    let accepting = true;
    const ready = readinessCheck({ accepting: () => accepting, ping: async () => void pings++, log });
    assert.deepEqual(await ready(), { status: 'ready' });
    accepting = false;
    assert.deepEqual(await ready(), { status: 'draining' });
    assert.equal(pings, 1);
  });

  it('is unavailable after the bound when the store hangs, and ready again once it answers', async () => {
    let hang = true;
    let pings = 0;
    let answer: (() => void) | undefined;
    const ready = readinessCheck({
      accepting: () => true,
      ping: () => {
        pings++;
        return hang ? new Promise<void>((resolve) => (answer = resolve)) : Promise.resolve();
      },
      log,
      timeoutMs: 150,
    });
    const started = Date.now();
    const [a, b] = await Promise.all([ready(), ready()]);
    const ms = Date.now() - started;
    assert.equal(a.status, 'unavailable');
    assert.deepEqual(b, a);
    assert.equal(pings, 1, 'probes meanwhile share one ping');
    assert.ok(ms >= 140 && ms < 2_000, `after ${ms} ms`);
    assert.deepEqual(a, { status: 'unavailable', reason: 'Lageret for forsendelser svarer ikke' });
    assert.equal((await ready()).status, 'unavailable');
    assert.equal(pings, 1, 'a ping still out is not sent again');
    hang = false;
    answer?.();
    assert.deepEqual(await ready(), { status: 'ready' });
  });

  it('is unavailable at once when the store refuses, without telling the caller where it is', async () => {
    const ready = readinessCheck({
      accepting: () => true,
      ping: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:27017')),
      log,
    });
    const r = await ready();
    assert.deepEqual(r, {
      status: 'unavailable',
      reason: 'Lageret for forsendelser svarer ikke',
    });
  });
});
