/**
 * A job queue in Redis that lost the stored letters' work (embedded storage, REDIS_URL):
 * - a Redis that restarted without its data: letters acknowledged by a web-only node wait
 *   in MOTTATT with their compose jobs gone; a worker node started afterwards queues them
 *   again and the letters are printed;
 * - `budbringer restore` of a backup over the same Redis, which went on and completed the
 *   jobs the restored letters wait for again: the restored node queues them in place of the
 *   completed ones, and the letters are printed again;
 * - `budbringer requeue` removes the queue's mark and a running worker node fills it again.
 * Without the fill, the letters stay MOTTATT: the repair sweep wakes only letters whose
 * record lags their journal, and these records are up to date.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RESTORE_MARK_FILE } from '../../src/composition/backup-layout.js';
import {
  eventually,
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
  async function start(dataDir: string, prefix: string, roles = 'web,worker'): Promise<TestNode> {
    const node = await startTestNode(
      { REDIS_URL: redis.url, QUEUE_PREFIX: prefix, BUDBRINGER_ROLES: roles, REPAIR_INTERVAL_MS: '1000' },
      dataDir,
    );
    nodes.add(node);
    return node;
  }

  async function stop(node: TestNode): Promise<void> {
    await node.stop();
    nodes.delete(node);
  }

  /** Sends `n` letters that go on paper; returns their ids once each is acknowledged. */
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
    const client = new Redis(redis.url);
    try {
      assert.equal(await client.exists(`${prefix}:budbringer:work-mark`), 1, 'the queue is marked filled');
    } finally {
      client.disconnect();
    }
  });

  it('a restore over the same Redis queues again the work the restored letters wait for', async () => {
    const original = join(dir, 'original');
    const prefix = `bb-${randomUUID()}`;
    const web = await start(original, prefix, 'web');
    const creds = await web.sender('Gjenopprettkommune');
    const ids = await sendLetters(web, creds, 2);
    for (const id of ids) await waitForStatus(web.url, creds, id, 'MOTTATT');
    const backupDir = join(dir, 'backup');
    const backup = await runCli(original, ['backup', backupDir], { env: { REDIS_URL: redis.url } });
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stderr, /Redis/, 'the operator is told the queue is not in the backup');
    await stop(web);

    // The original goes on: the letters are printed and their jobs completed in Redis.
    const first = await start(original, prefix);
    for (const id of ids) await waitForStatus(first.url, creds, id, 'SENDT_PRINT');
    await stop(first);
    assert.equal((await printed(original)).length > 0, true);

    const restoredDir = join(dir, 'restored');
    const restore = await runCli(restoredDir, ['restore', backupDir]);
    assert.equal(restore.code, 0, restore.stderr);
    await stat(join(restoredDir, RESTORE_MARK_FILE)); // the restore left its mark

    const restored = await start(restoredDir, prefix);
    for (const id of ids) await waitForStatus(restored.url, creds, id, 'SENDT_PRINT');
    assert.ok((await printed(restoredDir)).length > 0, 'printed again from the restored DATA_DIR');
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

  it('`budbringer requeue` has a running worker node fill the queue again', async () => {
    const data = join(dir, 'requeue');
    const prefix = `bb-${randomUUID()}`;
    const node = await start(data, prefix);
    const client = new Redis(redis.url);
    const mark = `${prefix}:budbringer:work-mark`;
    try {
      await eventually(async () => ((await client.exists(mark)) === 1 ? true : undefined), 10_000, 'the mark');
      const before = await client.get(mark);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const r = await runCli(data, ['requeue'], { env: { REDIS_URL: redis.url, QUEUE_PREFIX: prefix } });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).jobbkoMerke, 'fjernet');
      await eventually(
        async () => {
          const now = await client.get(mark);
          return now !== null && now !== before ? true : undefined;
        },
        10_000,
        'the worker node to fill the queue and mark it again',
      );
    } finally {
      client.disconnect();
      await stop(node);
    }
    const without = await runCli(data, ['requeue']);
    assert.equal(without.code, 1);
    assert.match(without.stderr, /REDIS_URL er ikke satt/);
  });
});
