/**
 * A known path asked with a method it does not take answers 405 with the methods it does,
 * as Spring does on KS's SvarUt; an unknown path stays 404 (src/http/method-not-allowed.ts).
 */
import assert from 'node:assert/strict';
import { BlockList } from 'node:net';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { createHttpApp } from '../../../src/http/app.js';
import { RouteMethods } from '../../../src/http/method-not-allowed.js';

function appWith(sub: Hono): Hono<never> {
  return createHttpApp({
    mounts: [{ path: '/api', app: sub }],
    readiness: async () => ({ status: 'ready' }),
    trustedProxies: new BlockList(),
  }) as unknown as Hono<never>;
}

describe('405 for a known path asked with another method', () => {
  const sub = new Hono();
  sub.use('*', async (_c, next) => next());
  sub.post('/sendForsendelse', (c) => c.json({ id: 'x' }));
  sub.get('/:id/status', (c) => c.json({ status: 'MOTTATT' }));
  sub.post('/:id/status', (c) => c.json({ ok: true }));
  sub.get('/filer/*', (c) => c.text('fil'));
  const app = appWith(sub);

  it('GET on a POST route: 405, Allow: POST, a message naming both', async () => {
    const res = await app.request('/api/sendForsendelse');
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST, OPTIONS');
    assert.deepEqual(await res.json(), {
      errorcode: 'METODE_IKKE_TILLATT',
      message: 'Metoden GET er ikke tillatt for /api/sendForsendelse; bruk POST',
    });
  });

  it('a path with a parameter names every method it takes, HEAD with GET', async () => {
    const res = await app.request('/api/abc/status', { method: 'DELETE' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD, POST, OPTIONS');
    const options = await app.request('/api/abc/status', { method: 'OPTIONS' });
    assert.equal(options.status, 204);
    assert.equal(options.headers.get('allow'), 'GET, HEAD, POST, OPTIONS');
  });

  it('the right method still answers, and an unknown path or a catch-all stays 404', async () => {
    assert.equal((await app.request('/api/sendForsendelse', { method: 'POST' })).status, 200);
    assert.equal((await app.request('/api/abc/status')).status, 200);
    const unknown = await app.request('/api/finnesIkke', { method: 'POST' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('allow'), null);
    assert.equal((await app.request('/api/filer/a.pdf', { method: 'POST' })).status, 404);
  });

  it('RouteMethods leaves out middleware and catch-all routes', () => {
    const methods = new RouteMethods([
      { method: 'ALL', path: '/api/*' },
      { method: 'GET', path: '/api/filer/*' },
      { method: 'PUT', path: '/api/:id' },
    ]);
    assert.deepEqual(methods.allowed('/api/filer/x'), []);
    assert.deepEqual(methods.allowed('/api/x'), ['PUT']);
    assert.deepEqual(methods.allowed('/annet'), []);
    assert.deepEqual(
      methods.allowed('/api/x/'),
      [],
      'a trailing slash is another path to the routes (found in review)',
    );
  });
});
