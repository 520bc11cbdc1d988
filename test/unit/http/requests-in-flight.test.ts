import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { RequestsInFlight } from '../../../src/http/requests-in-flight.js';

describe('RequestsInFlight', () => {
  it('counts a request while its handler runs, and stops counting it when the handler answers or throws', async () => {
    const inFlight = new RequestsInFlight();
    const app = new Hono();
    app.use('*', inFlight.middleware());
    const seen: number[] = [];
    app.get('/ok', (c) => {
      seen.push(inFlight.count);
      return c.text('ok');
    });
    app.get('/feil', () => {
      seen.push(inFlight.count);
      throw new Error('feil');
    });
    app.onError((_e, c) => c.text('feil', 500));
    const [a, b] = await Promise.all([app.request('/ok'), app.request('/feil')]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 500);
    assert.ok(
      seen.every((n) => n >= 1),
      `counted while answering: ${seen.join(', ')}`,
    );
    assert.equal(inFlight.count, 0);
  });
});
