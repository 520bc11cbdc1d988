/**
 * How long a worker node takes to fill an empty Redis job queue from N stored letters
 * (src/composition/requeue.ts queueStoredWork: a flushed or new Redis, or a restore). Seeds N letters as the
 * main bench does (lib/seed.ts: VARSLET ones with deadline and purge jobs, SENDT_PRINT ones
 * with a purge job), then runs the fill in this process with the node's adapters (the
 * view-checked SQLite read model, BullMQ on the Redis at REDIS_URL or 127.0.0.1:6379 under a
 * fresh prefix, removed afterwards): wall time, letters, jobs queued, and a second fill over
 * the filled queue (every job already there). Then the check for work a Redis that went back
 * in time lost (src/composition/recent-work-check.ts) over the same letters, all written within
 * its look-back: over the filled queue (what a check costs per letter written, none missing),
 * and over a queue that lost every job (each queued again). Prints one JSON line.
 *
 *   node --import tsx bench/requeue.ts [--n 100000]
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAvsender } from '../src/app/accounts.js';
import { viewCheckedReadModel } from '../src/app/view-checked-read-model.js';
import { loadSettings } from '../src/config/load-settings.js';
import { workPolicy } from '../src/composition/work-policy.js';
import { queueStoredWork } from '../src/composition/requeue.js';
import { queueLostRecentWork } from '../src/composition/recent-work-check.js';
import pino from 'pino';
import { BullmqJobQueue } from '../src/storage/bullmq/index.js';
import { openSqlite, SqliteConfigStore, SqliteJournal, SqliteReadModel } from '../src/storage/sqlite/index.js';
import { letterPool } from './lib/letters.js';
import { seedLetters } from './lib/seed.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '100000' } } });
const N = Number(values.n);
const ROOT = join(import.meta.dirname, '..');
const AVSENDERE = Array.from({ length: 10 }, (_, i) => `Benchkommune ${i + 1}`);
const progress = (line: string): void => void process.stderr.write(`${line}\n`);

const tmp = mkdtempSync(join(tmpdir(), 'budbringer-bench-requeue-'));
const queue = new BullmqJobQueue({
  connection: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  prefix: `bench-requeue-${randomUUID()}`,
});
try {
  const dataDir = join(tmp, 'data');
  mkdirSync(dataDir, { recursive: true });
  const setup = openSqlite(join(dataDir, 'budbringer.sqlite'));
  const config = new SqliteConfigStore(setup);
  for (const navn of AVSENDERE) await createAvsender(config, { navn, now: Date.now() });
  setup.close();
  const [letter] = await letterPool(1, join(ROOT, 'bench', 'out', 'letters'));
  const policy = workPolicy(loadSettings([join(ROOT, 'config', 'default.json')], { DATA_DIR: dataDir }));
  const seedStart = performance.now();
  await seedLetters(0, N, N, { dataDir, avsendere: AVSENDERE, letter: letter as Uint8Array, policy, now: Date.now() });
  progress(`seeded ${N} letters in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const db = openSqlite(join(dataDir, 'budbringer.sqlite'));
  const readModel = viewCheckedReadModel(new SqliteReadModel(db), new SqliteJournal(db), () => undefined);
  const fill = async (): Promise<Record<string, number>> => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const done = await queueStoredWork({ readModel, jobs: queue, policy }, () => true);
    const used = process.cpuUsage(cpu);
    return {
      ms: Math.round(performance.now() - started),
      cpu_ms: Math.round((used.user + used.system) / 1000),
      letters: done.letters,
      jobs: done.jobs,
      failed: done.failed.length,
    };
  };
  const empty = await fill();
  progress(`empty queue: ${JSON.stringify(empty)}`);
  const filled = await fill();
  progress(`filled queue: ${JSON.stringify(filled)}`);
  const journal = new SqliteJournal(db);
  const check = async (): Promise<Record<string, number>> => {
    // Held through 0: every seeded letter (spread over the seed's days) is in the check's window.
    await queue.apart.markHeldThrough(0);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const jobs = await queueLostRecentWork({
      journal,
      readModel,
      jobs: queue,
      policy,
      log: pino({ level: 'silent' }),
      now: Date.now,
    });
    const used = process.cpuUsage(cpu);
    return { ms: Math.round(performance.now() - started), cpu_ms: Math.round((used.user + used.system) / 1000), jobs };
  };
  const checkFilled = await check();
  progress(`recent-work check, filled queue: ${JSON.stringify(checkFilled)}`);
  await queue.obliterate();
  const checkLost = await check();
  progress(`recent-work check, every job lost: ${JSON.stringify(checkLost)}`);
  db.close();
  process.stdout.write(
    `${JSON.stringify({ n: N, empty_queue: empty, filled_queue: filled, check_filled: checkFilled, check_lost: checkLost })}\n`,
  );
} finally {
  await queue.obliterate().catch(() => undefined);
  await queue.close();
  rmSync(tmp, { recursive: true, force: true });
}
