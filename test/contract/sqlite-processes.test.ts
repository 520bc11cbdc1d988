/**
 * The SQLite adapters across real processes on one database file: what the cluster tests
 * rely on (three nodes, one DATA_DIR) and what `kill -9` must not break.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { SqliteJobQueue, SqliteJournal } from '../../src/storage/sqlite/index.js';
import { sqliteFile } from './sqlite-fixtures.js';
import { waitFor, withFixture } from './support.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

/** Starts sqlite-child.ts in its own node process. */
function child(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(here, 'sqlite-child.ts'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the exit code; rejects on spawn errors. */
function exited(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code) => resolve(code));
  });
}

/** Collects stderr for assertion messages. */
function stderrOf(proc: ChildProcess): () => string {
  let text = '';
  proc.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
}

void describe('SQLite adapters across processes', () => {
  void it('keeps every event whose append returned when the writer is killed with SIGKILL', () =>
    withFixture(sqliteFile, async (file) => {
      const key = `forsendelse:${randomUUID()}`;
      const proc = child(['append', file.path, key, '100000']);
      const err = stderrOf(proc);
      const done = exited(proc);
      let lastAcknowledged = 0;
      for await (const line of createInterface({ input: proc.stdout! })) {
        lastAcknowledged = Number(line);
        if (lastAcknowledged >= 300) {
          proc.kill('SIGKILL');
          break;
        }
      }
      await done;
      assert.ok(lastAcknowledged >= 300, `child stopped early: ${err()}`);
      const journal = new SqliteJournal(file.connect());
      const highest = await journal.highestSeq(key);
      assert.ok(highest >= lastAcknowledged, `acknowledged ${lastAcknowledged}, found ${highest}`);
      const events = await journal.read(key, 0);
      assert.deepEqual(
        events.map((e) => e.seq),
        Array.from({ length: highest }, (_, i) => i + 1),
      );
    }));

  void it('runs each job exactly once with three worker processes on one file', { timeout: 120_000 }, () =>
    withFixture(sqliteFile, async (file) => {
      const db = file.connect();
      db.exec(
        'CREATE TABLE test_runs (job_id TEXT NOT NULL, worker TEXT NOT NULL); CREATE TABLE test_ready (worker TEXT NOT NULL)',
      );
      const queue = new SqliteJobQueue(db);
      const type = `multi-${randomUUID().slice(0, 8)}`;
      const ids = Array.from({ length: 300 }, (_, i) => `job-${i}`);
      for (const id of ids) await queue.enqueue({ id, type, payload: null });
      const procs = ['n1', 'n2', 'n3'].map((name) => child(['work', file.path, name, type, String(ids.length), '3']));
      const errors = procs.map(stderrOf);
      const codes = await Promise.all(procs.map(exited));
      assert.deepEqual(codes, [0, 0, 0], errors.map((e) => e()).join('\n'));
      const runs = db.prepare('SELECT job_id, worker FROM test_runs').all() as { job_id: string; worker: string }[];
      assert.equal(runs.length, ids.length, 'no job ran twice');
      assert.deepEqual(runs.map((r) => r.job_id).sort(), [...ids].sort());
      const workers = new Set(runs.map((r) => r.worker));
      assert.ok(workers.size >= 2, `the processes shared the work (${[...workers].join(', ')})`);
      assert.equal((await queue.counts()).completed, ids.length);
    }),
  );

  void it('takes over the job of a worker process killed with SIGKILL once its lease expires', () =>
    withFixture(sqliteFile, async (file) => {
      const queue = new SqliteJobQueue(file.connect(), { pollMs: 20, leaseMs: 500 });
      const type = `hold-${randomUUID().slice(0, 8)}`;
      const id = `print:${randomUUID()}`;
      await queue.enqueue({ id, type, payload: { ark: 2 }, maxAttempts: 3 });
      const proc = child(['hold', file.path, type, '500']);
      const err = stderrOf(proc);
      const done = exited(proc);
      let claimed = '';
      for await (const line of createInterface({ input: proc.stdout! })) {
        claimed = line;
        break;
      }
      assert.equal(claimed, `claimed ${id} 1`, err());
      assert.equal(await queue.state(id), 'active');
      proc.kill('SIGKILL');
      await done;
      const attempts: number[] = [];
      const worker = queue.work({ [type]: async (job) => void attempts.push(job.attempt) }, { concurrency: 1 });
      try {
        await waitFor('the job to be taken over', async () => (await queue.state(id)) === 'completed');
      } finally {
        await worker.stop();
      }
      assert.deepEqual(attempts, [2]);
    }));
});
