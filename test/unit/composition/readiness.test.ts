/**
 * The /readyz check (src/composition/readiness.ts): draining wins; a store that hangs makes
 * the node unavailable after the bound, not after the store's own timeouts; probes that come
 * while a ping is out share it; the answer names no host or port. The store here is a function
 * standing in for Storage.ping, whose answers the test decides.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pino from 'pino';
import { isDataDirFile } from '../../../src/composition/backup-layout.js';
import { probeWrite, readinessCheck } from '../../../src/composition/readiness.js';

/** A logger at info level and the lines it wrote, parsed. */
function recordingLog(): { lines: { level: number; msg: string }[]; recording: pino.Logger } {
  const lines: { level: number; msg: string }[] = [];
  const recording = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { lines, recording };
}

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

  it('is unavailable while DATA_DIR has less free space than it needs, ready again once it has; logged once each way', async () => {
    let free = 50;
    const { lines, recording } = recordingLog();
    const ready = readinessCheck({
      accepting: () => true,
      ping: async () => undefined,
      log: recording,
      freeBytes: async () => free,
      minFreeBytes: 100,
    });
    const full = { status: 'unavailable', reason: 'Det er for lite ledig plass på disken' };
    assert.deepEqual(await ready(), full);
    assert.deepEqual(await ready(), full);
    free = 1_000;
    assert.deepEqual(await ready(), { status: 'ready' });
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['DATA_DIR is (nearly) full: not ready (READY_MIN_FREE_MB)', 'DATA_DIR has room again: ready'],
    );
  });

  it('is unavailable while no file can be written in DATA_DIR, ready again once one can; logged once each way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'budbringer-readyz-'));
    const dataDir = join(dir, 'data');
    await mkdir(dataDir);
    try {
      const { lines, recording } = recordingLog();
      const ready = readinessCheck({
        accepting: () => true,
        ping: async () => undefined,
        log: recording,
        writable: () => probeWrite(dataDir),
      });
      assert.deepEqual(await ready(), { status: 'ready' });
      // A volume gone from under the node (unmounted, or replaced by a file) fails every write,
      // as a read-only remount does; running as root, a chmod would not.
      await rm(dataDir, { recursive: true });
      await writeFile(dataDir, 'ikke en mappe');
      const unwritable = { status: 'unavailable', reason: 'Noden kan ikke skrive til disken' };
      assert.deepEqual(await ready(), unwritable);
      assert.deepEqual(await ready(), unwritable);
      await rm(dataDir);
      await mkdir(dataDir);
      assert.deepEqual(await ready(), { status: 'ready' });
      assert.deepEqual(
        lines.map((l) => l.msg),
        ['DATA_DIR cannot be written: not ready', 'DATA_DIR can be written again: ready'],
      );
      assert.deepEqual(await readdir(dataDir), [], 'the probe leaves no file behind');
      assert.ok(!isDataDirFile('.readyz-0b8e1c9a-5d4e-4f3a-9c2b-1a2b3c4d5e6f.tmp'), 'nor one a backup copies');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not wait on a disk that does not answer (a hung network mount): the store decides, one look at a time', async () => {
    let looks = 0;
    const ready = readinessCheck({
      accepting: () => true,
      ping: async () => undefined,
      log,
      timeoutMs: 50,
      freeBytes: () => {
        looks++;
        return new Promise<number>(() => undefined);
      },
      minFreeBytes: 100,
    });
    assert.deepEqual(await ready(), { status: 'ready' });
    assert.deepEqual(await ready(), { status: 'ready' });
    assert.equal(looks, 1, 'the hung look is shared, not repeated per probe');
  });
});
