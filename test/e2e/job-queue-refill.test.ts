/**
 * A job queue in Redis that lost the stored letters' work (embedded storage, REDIS_URL):
 * - a Redis that restarted without its data: letters acknowledged by a web-only node wait
 *   in MOTTATT with their compose jobs gone; a worker node started afterwards queues them
 *   again and the letters are printed;
 * - `budbringer restore` of a backup over the same Redis, which went on: the letters were
 *   composed and notified there, so `compose:<id>` and `notify:<id>` are completed in Redis;
 *   the restored node removes the jobs not running and queues the restored letters' work,
 *   and each letter is composed and notified again, not stopped by a completed job of the
 *   same id;
 * - `budbringer requeue` asks for the same refill, which a running worker node does.
 * Without the fill, the letters stay where they are: the repair sweep wakes only letters
 * whose record lags their journal, and these records are up to date.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { RESTORE_MARK_FILE } from '../../src/composition/backup-layout.js';
import { encodeJobId } from '../../src/storage/bullmq/index.js';
import {
  eventually,
  FNR,
  letterPdf,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { runCli } from './cli-support.js';
import { freePort, PrivateRedis } from '../support/private-redis.js';

describe('a job queue that lost the stored letters’ work', () => {
  let dir: string;
  let redis: PrivateRedis;
  const nodes = new Set<TestNode>();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-refill-'));
    redis = new PrivateRedis(await freePort());
    await redis.start();
  });
  after(async () => {
    for (const node of nodes) await node.stop();
    await redis.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  /** A node on `dataDir` with its jobs in the private Redis under `prefix`. */
  async function start(dataDir: string, prefix: string, roles = 'web,worker', krr?: string): Promise<TestNode> {
    const env = { REDIS_URL: redis.url, QUEUE_PREFIX: prefix, BUDBRINGER_ROLES: roles, REPAIR_INTERVAL_MS: '1000' };
    const node = await startTestNode(krr === undefined ? env : { ...env, KRR_FILE: krr }, dataDir);
    nodes.add(node);
    return node;
  }

  async function stop(node: TestNode): Promise<void> {
    await node.stop();
    nodes.delete(node);
  }

  /** Sends `n` letters (on paper unless the node has the recipient in its KRR file); their ids once acknowledged. */
  async function sendLetters(node: TestNode, creds: Creds, n: number): Promise<string[]> {
    const pdf = await letterPdf();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await restSend(node.url, creds, restForsendelse({ tittel: `Brev ${i}` }), [
        { filename: 'brev.pdf', bytes: pdf },
      ]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      ids.push(String(r.body.id));
    }
    return ids;
  }

  /** Print drops written under `dataDir` (one directory or manifest per letter). */
  async function printed(dataDir: string): Promise<string[]> {
    return (await readdir(join(dataDir, 'print')).catch(() => [] as string[])).filter((n) => !n.startsWith('.'));
  }

  /** E-mails in the node's outbox. */
  async function emails(dataDir: string): Promise<string[]> {
    return (await readdir(join(dataDir, 'outbox')).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));
  }

  it('a Redis that restarted without its data is filled again, and the letters are printed', async () => {
    const data = join(dir, 'flushed');
    const prefix = `bb-${randomUUID()}`;
    const web = await start(data, prefix, 'web');
    const creds = await web.sender('Tømtkommune');
    const ids = await sendLetters(web, creds, 3);
    for (const id of ids) await waitForStatus(web.url, creds, id, 'MOTTATT');
    await stop(web);

    await redis.stop(); // no persistence: the compose jobs are gone
    await redis.start();

    const node = await start(data, prefix);
    for (const id of ids) await waitForStatus(node.url, creds, id, 'SENDT_PRINT');
    assert.ok((await printed(data)).length > 0, 'handed to the print provider');
    const client = new Redis(redis.url);
    try {
      assert.equal(await client.exists(`${prefix}:budbringer:work-mark`), 1, 'the queue is marked filled');
    } finally {
      client.disconnect();
    }
  });

  it('a Redis that went back in time keeps its mark: the letters written since are queued again, and printed', async () => {
    const data = join(dir, 'rolled-back');
    const prefix = `bb-${randomUUID()}`;
    const client = new Redis(redis.url);
    const heldThrough = `${prefix}:budbringer:held-through`;
    try {
      // A worker node fills the queue and records the time it holds the work through.
      const first = await start(data, prefix);
      const creds = await first.sender('Tilbakekommune');
      await eventually(async () => ((await client.exists(heldThrough)) === 1 ? true : undefined), 10_000, 'the time');
      await stop(first);
      const snapshot = await client.get(heldThrough);
      // Letters acknowledged by a web-only node: their compose jobs are in Redis.
      const web = await start(data, prefix, 'web');
      const ids = await sendLetters(web, creds, 3);
      for (const id of ids) await waitForStatus(web.url, creds, id, 'MOTTATT');
      await stop(web);
      // Redis goes back to before them (a snapshot, an AOF that lost its last second): their
      // jobs are gone, the work mark and the older time stay.
      const compose = new Queue('budbringer.compose', { connection: { host: '127.0.0.1', port: redis.port }, prefix });
      await compose.obliterate({ force: true });
      await compose.close();
      assert.equal(await client.exists(`${prefix}:budbringer:work-mark`), 1, 'the mark stays');
      assert.equal(await client.get(heldThrough), snapshot);

      const node = await start(data, prefix);
      for (const id of ids) await waitForStatus(node.url, creds, id, 'SENDT_PRINT');
      assert.ok(Number(await client.get(heldThrough)) > Number(snapshot), 'the time moved on');
    } finally {
      client.disconnect();
    }
  });

  it('a restore over the same Redis composes and notifies the restored letters again', async () => {
    const krr = join(dir, 'krr.json');
    const person = { personidentifikator: FNR[0], reservasjon: 'NEI', status: 'AKTIV' };
    await writeFile(
      krr,
      JSON.stringify({ personer: [{ ...person, kontaktinformasjon: { epostadresse: 'kari@example.no' } }] }),
    );
    const original = join(dir, 'original');
    const prefix = `bb-${randomUUID()}`;
    const web = await start(original, prefix, 'web', krr);
    const creds = await web.sender('Gjenopprettkommune');
    const ids = await sendLetters(web, creds, 2);
    for (const id of ids) await waitForStatus(web.url, creds, id, 'MOTTATT');
    const backupDir = join(dir, 'backup');
    const backup = await runCli(original, ['backup', backupDir], { env: { REDIS_URL: redis.url } });
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stderr, /Redis/, 'the operator is told the queue is not in the backup');
    await stop(web);

    // The original goes on: composed and notified, compose:<id> and notify:<id> completed in Redis.
    const first = await start(original, prefix, 'web,worker', krr);
    for (const id of ids) await waitForStatus(first.url, creds, id, 'VARSLET');
    await stop(first);
    assert.equal((await emails(original)).length, 2);

    const restoredDir = join(dir, 'restored');
    const restore = await runCli(restoredDir, ['restore', backupDir]);
    assert.equal(restore.code, 0, restore.stderr);
    await stat(join(restoredDir, RESTORE_MARK_FILE)); // the restore left its mark

    const restored = await start(restoredDir, prefix, 'web,worker', krr);
    for (const id of ids) await waitForStatus(restored.url, creds, id, 'VARSLET');
    await eventually(
      async () => ((await emails(restoredDir)).length === 2 ? true : undefined),
      15_000,
      'the restored letters to be notified again',
    );
    await eventually(
      async () =>
        (await stat(join(restoredDir, RESTORE_MARK_FILE)).then(
          () => false,
          () => true,
        ))
          ? true
          : undefined,
      10_000,
      'the restore mark to be removed',
    );
  });

  it("`budbringer requeue` has a running worker node refill the queue with the letters' work", async () => {
    const data = join(dir, 'requeue');
    const prefix = `bb-${randomUUID()}`;
    const node = await start(data, prefix, 'web,worker', join(dir, 'krr.json'));
    const creds = await node.sender('Påfyllkommune');
    const [id] = await sendLetters(node, creds, 1);
    await waitForStatus(node.url, creds, id ?? '', 'VARSLET');
    const client = new Redis(redis.url);
    const mark = `${prefix}:budbringer:work-mark`;
    const refill = `${prefix}:budbringer:refill-requested`;
    try {
      await eventually(async () => ((await client.exists(mark)) === 1 ? true : undefined), 10_000, 'the mark');
      const before = await client.get(mark);
      // The print deadline waits in Redis as a delayed job; the refill removes it and queues it again.
      assert.equal(await node.node.storage.jobs.state(`deadline:${id}`), 'delayed');
      const deadlineKey = `${prefix}:budbringer.deadline:${encodeJobId(`deadline:${id}`)}`;
      const queuedAt = await client.hget(deadlineKey, 'timestamp');
      assert.ok(queuedAt !== null);
      const r = await runCli(data, ['requeue'], {
        env: { REDIS_URL: redis.url, QUEUE_PREFIX: prefix, REPAIR_INTERVAL_MS: '1000' },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { pafylling: 'bestilt', gamleJobberFjernes: true, startesInnenMs: 1000 });
      await eventually(
        async () => ((await client.exists(refill)) === 0 && (await client.get(mark)) !== before ? true : undefined),
        10_000,
        'the worker node to refill the queue and mark it again',
      );
      assert.equal(await node.node.storage.jobs.state(`deadline:${id}`), 'delayed', 'the deadline is queued again');
      assert.notEqual(await client.hget(deadlineKey, 'timestamp'), queuedAt, 'a new job, not the one before');
    } finally {
      client.disconnect();
      await stop(node);
    }
    // A QUEUE_PREFIX no node uses here (forgotten, mistyped): refused, nothing written, where it
    // said "bestilt" for a request no node reads (found in review).
    const wrong = `${prefix}-feil`;
    const mistyped = await runCli(data, ['requeue'], { env: { REDIS_URL: redis.url, QUEUE_PREFIX: wrong } });
    assert.equal(mistyped.code, 1, mistyped.stderr);
    assert.match(mistyped.stderr, new RegExp(`ingen node har brukt QUEUE_PREFIX=${wrong} i denne Redis`));
    const check = new Redis(redis.url);
    try {
      assert.deepEqual(await check.keys(`${wrong}:*`), [], 'nothing written under the wrong prefix');
    } finally {
      check.disconnect();
    }
    const without = await runCli(data, ['requeue']);
    assert.equal(without.code, 1);
    assert.match(without.stderr, /REDIS_URL er ikke satt/);
    // Redis away: refused within its wait, not hanging for good (found in review).
    const started = Date.now();
    const away = await runCli(data, ['requeue'], { env: { REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: prefix } });
    assert.equal(away.code, 1, away.stderr);
    assert.match(away.stderr, /Redis svarer ikke \(REDIS_URL\) innen 15 s: påfyllingen er ikke bestilt/);
    assert.ok(Date.now() - started < 40_000, `answered after ${Date.now() - started} ms`);
  });
});
