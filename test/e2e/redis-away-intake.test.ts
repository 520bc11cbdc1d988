/**
 * A send while the job queue's Redis is away (embedded storage, jobs in Redis): the letter's
 * events are stored, so the sender gets its id within seconds, not a 500 after ioredis'
 * ~100 s of retries (after which the letter was delivered anyway, and a sender that sent
 * again got it twice). Once Redis is back, the repair sweep queues its work and it is
 * printed. A Redis of its own, stopped and started again on the same port.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  letterPdf,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';

describe('intake while Redis is away', () => {
  let dir: string;
  let port: number;
  let redis: ChildProcess | undefined;
  let t: TestNode;
  let creds: Creds;

  const startRedis = async (): Promise<void> => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitForPort(port);
  };
  const stopRedis = async (): Promise<void> => {
    const r = redis;
    if (r === undefined || r.exitCode !== null) return;
    r.kill('SIGKILL');
    await new Promise((resolve) => r.once('exit', resolve));
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-redis-away-'));
    port = await freePort();
    await startRedis();
    t = await startTestNode(
      { REDIS_URL: `redis://127.0.0.1:${port}`, QUEUE_PREFIX: `bb-${randomUUID()}`, REPAIR_INTERVAL_MS: '1000' },
      join(dir, 'data'),
    );
    creds = await t.sender('Redisløskommune');
  });
  after(async () => {
    await startRedis().catch(() => undefined); // a node stops cleanly with its Redis there
    await t.stop();
    await stopRedis();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('answers the id within seconds, and prints the letter once Redis is back', async () => {
    const pdf = await letterPdf();
    const first = await restSend(t.url, creds, restForsendelse({ tittel: 'Før' }), [
      { filename: 'brev.pdf', bytes: pdf },
    ]);
    assert.equal(first.status, 200);
    await waitForStatus(t.url, creds, first.body.id as string, 'SENDT_PRINT');

    await stopRedis();
    const started = Date.now();
    const sent = await restSend(t.url, creds, restForsendelse({ tittel: 'Under' }), [
      { filename: 'brev.pdf', bytes: pdf },
    ]);
    const ms = Date.now() - started;
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.ok(ms < 20_000, `answered after ${ms} ms`);
    const id = sent.body.id as string;

    await startRedis();
    await waitForStatus(t.url, creds, id, 'SENDT_PRINT');
  });
});

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once something accepts connections on `port`. */
async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not start on ${port}`);
}
