/**
 * A 5xx is logged with the route pattern, never the path: a sender's external reference or
 * a letter id in the URL must not reach the log (docs/operations.md, "Logs").
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { pino } from 'pino';
import { respondRestError } from '../../../src/http/on-error.js';

describe('the REST error log line', () => {
  it('names the route pattern, not the reference in the path', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
        done();
      },
    });
    const log = pino({ level: 'info' }, sink);
    const app = new Hono();
    app.get('/eksternref/:ref', () => {
      throw new Error('disken er full');
    });
    app.onError((error, c) => respondRestError(c, error, log));
    const res = await app.request('/eksternref/sak-2026-hemmelig');
    assert.equal(res.status, 500);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.route, '/eksternref/:ref');
    assert.ok(!JSON.stringify(lines).includes('hemmelig'), JSON.stringify(lines));
  });
});
