/**
 * A separate process on a shared database file, for sqlite-processes.test.ts (the cluster
 * tests run three nodes on one DATA_DIR). Modes:
 *   append <db> <key> <n>            append seq 1..n one event at a time, print each seq once committed
 *   work <db> <name> <type> <jobs> <procs>
 *                                     wait until <procs> workers are ready, then run jobs of <type>,
 *                                     recording each run in test_runs, until <jobs> are completed
 *   hold <db> <type> <leaseMs>       claim one job of <type>, print "claimed <id> <attempt>", hang
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteJobQueue, SqliteJournal, openSqlite } from '../../src/storage/sqlite/index.js';

const [mode, path, ...args] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: sqlite-child.ts <mode> <db> …');
const db = openSqlite(path);

if (mode === 'append') {
  const [key = 'k', n = '0'] = args;
  const journal = new SqliteJournal(db);
  for (let seq = 1; seq <= Number(n); seq++) {
    await journal.append([{ key, seq, data: { seq, fyll: 'x'.repeat(200) }, tags: [], createdAt: Date.now() }]);
    process.stdout.write(`${seq}\n`);
  }
} else if (mode === 'work') {
  const [name = '?', type = '?', jobs = '0', procs = '1'] = args;
  db.prepare('INSERT INTO test_ready (worker) VALUES (?)').run(name);
  while ((db.prepare('SELECT COUNT(*) FROM test_ready').pluck().get() as number) < Number(procs)) await sleep(5);
  const queue = new SqliteJobQueue(db, { pollMs: 20, leaseMs: 30_000, onError: (err) => console.error(err) });
  const record = db.prepare('INSERT INTO test_runs (job_id, worker) VALUES (?, ?)');
  const worker = queue.work(
    {
      [type]: async (job) => {
        record.run(job.id, name);
        await sleep(2);
      },
    },
    { concurrency: 4 },
  );
  while ((await queue.counts()).completed < Number(jobs)) await sleep(20);
  await worker.stop();
} else if (mode === 'hold') {
  const [type = '?', leaseMs = '500'] = args;
  const queue = new SqliteJobQueue(db, { pollMs: 20, leaseMs: Number(leaseMs) });
  queue.work(
    {
      [type]: async (job) => {
        process.stdout.write(`claimed ${job.id} ${job.attempt}\n`);
        await new Promise(() => undefined);
      },
    },
    { concurrency: 1 },
  );
} else {
  throw new Error(`unknown mode ${mode}`);
}
if (mode !== 'hold') db.close();
