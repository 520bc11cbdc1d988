/**
 * A body that trickles is cut once its grace period and the bytes it sent are used up (a
 * review held 1 000 sockets for 16 minutes with a byte every 15 s); one that keeps coming is
 * read to its end, however long it takes. A real HTTP server on loopback, a short rule.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { bodyDeadlineMs, endSlowBodies } from '../../../src/http/slow-body-guard.js';

const RULE = { graceMs: 400, minBytesPerSecond: 1000 };

describe('endSlowBodies', () => {
  let server: Server;
  let port: number;
  const ended: string[] = [];
  const bodies: number[] = [];

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/answer-first') {
        res.writeHead(401, { 'Content-Type': 'text/plain' }).end('nei\n');
        return;
      }
      let size = 0;
      req.on('data', (chunk: Buffer) => (size += chunk.length));
      req.on('end', () => {
        bodies.push(size);
        res.end(`${size}\n`);
      });
      req.on('error', () => {});
    });
    endSlowBodies(server, RULE, (req: IncomingMessage) => ended.push(req.url ?? ''));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends headers declaring `length`, then `chunk` bytes every `everyMs`; resolves when the socket closes. */
  function trickle(
    path: string,
    length: number,
    chunk: number,
    everyMs: number,
    connection = 'close',
  ): Promise<{ ms: number; got: string }> {
    return new Promise((resolve) => {
      const started = Date.now();
      let got = '';
      let sent = 0;
      const socket: Socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\nConnection: ${connection}\r\n\r\n`,
        );
        const timer = setInterval(() => {
          if (socket.destroyed || sent >= length) return clearInterval(timer);
          const n = Math.min(chunk, length - sent);
          sent += n;
          socket.write('x'.repeat(n));
        }, everyMs);
        socket.once('close', () => clearInterval(timer));
      });
      socket.on('data', (d: Buffer) => (got += d.toString()));
      socket.on('error', () => {});
      // Without the guard the server never ends it: the client gives up, and the test fails.
      const giveUp = setTimeout(() => socket.destroy(), 5000);
      socket.once('close', () => {
        clearTimeout(giveUp);
        resolve({ ms: Date.now() - started, got });
      });
    });
  }

  it('cuts a body that trickles once its grace and what its bytes bought are used up', async () => {
    const { ms, got } = await trickle('/trickle', 100_000, 1, 50);
    assert.equal(got, '', 'no answer: the socket was closed');
    assert.ok(ms >= RULE.graceMs && ms < 3000, `closed after ${ms} ms`);
    assert.deepEqual(ended, ['/trickle']);
  });

  it('reads a body that keeps coming to its end, past the grace period', async () => {
    ended.length = 0;
    // 100 bytes every 50 ms: 2 000 bytes a second, twice the minimum, for ~1.5 s.
    const { got } = await trickle('/steady', 3000, 100, 50);
    assert.match(got, /^HTTP\/1\.1 200 [\s\S]*\r\n\r\n3000\n$/);
    assert.deepEqual(ended, []);
    assert.ok(bodies.includes(3000));
  });

  it('cuts a trickle that goes on after an answer given before the body (a 401)', async () => {
    ended.length = 0;
    // Kept alive, Node reads the rest of the body after the answer to reach the next request.
    const { ms, got } = await trickle('/answer-first', 100_000, 1, 50, 'keep-alive');
    assert.match(got, /^HTTP\/1\.1 401 /);
    assert.ok(ms >= RULE.graceMs && ms < 3000, `closed after ${ms} ms`);
    assert.deepEqual(ended, ['/answer-first']);
  });

  it('gives a body the grace period plus a second for every minBytesPerSecond it sent', () => {
    assert.equal(bodyDeadlineMs(0, RULE), 400);
    assert.equal(bodyDeadlineMs(2000, RULE), 2400);
  });
});
