/**
 * Statistics over a large period (issue 13, "Event loop held"): N letters (default 100 000)
 * are seeded as bench/run.ts seeds them (lib/seed.ts: real journal, read model and jobs),
 * a node starts on them, and an admin asks for the statistics page and the CSV export over
 * the longest period the page accepts (three years, covering every seeded letter). Timed:
 * each request's latency, and the slowest `/healthz` answered while one was in flight (a
 * probe every 50 ms), which is how long the node's event loop was held.
 *
 *   npx tsx bench/statistics.ts [--n 100000] [--rounds 5]
 *
 * Progress goes to stderr; stdout gets one line of JSON. Not part of `npm test`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAvsender, putUser } from '../src/app/accounts.js';
import { loadSettings } from '../src/config/load-settings.js';
import { workPolicy } from '../src/composition/work-policy.js';
import { addDays, formatCalendarDate, osloDate } from '../src/domain/time/index.js';
import { openSqlite, SqliteConfigStore } from '../src/storage/sqlite/index.js';
import { adminLogin } from './lib/admin-search.js';
import { letterPool } from './lib/letters.js';
import { startNode, type NodeChild } from './lib/node-child.js';
import { seedLetters } from './lib/seed.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '5' } },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const ROOT = join(import.meta.dirname, '..');
const AVSENDERE = Array.from({ length: 10 }, (_, i) => `Bench kommune ${i}`);
const ADMIN = { user: 'bench-admin', password: 'bench-admin-passord' };
const t0 = performance.now();

function progress(message: string): void {
  process.stderr.write(`[statistics ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

/** GETs `path` while probing /healthz every 50 ms; the request's latency and the slowest probe. */
async function timed(
  base: string,
  get: (path: string) => Promise<{ status: number; text: string }>,
  path: string,
): Promise<{ ms: number; healthzMaxMs: number; status: number; bytes: number }> {
  let done = false;
  let healthzMaxMs = 0;
  const probes = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      healthzMaxMs = Math.max(healthzMaxMs, performance.now() - started);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const started = performance.now();
  const res = await get(path);
  const ms = performance.now() - started;
  done = true;
  await probes;
  return { ms, healthzMaxMs, status: res.status, bytes: res.text.length };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const tmp = mkdtempSync(join(tmpdir(), 'budbringer-bench-stats-'));
let node: NodeChild | undefined;
try {
  const dataDir = join(tmp, 'data');
  mkdirSync(dataDir, { recursive: true });
  const db = openSqlite(join(dataDir, 'budbringer.sqlite'));
  const config = new SqliteConfigStore(db);
  for (const navn of AVSENDERE) await createAvsender(config, { navn, now: Date.now() });
  await putUser(config, { brukernavn: ADMIN.user, passord: ADMIN.password, rolle: 'admin', now: Date.now() });
  db.close();
  const [letter] = await letterPool(1, join(ROOT, 'bench', 'out', 'letters'));
  const env = { DATA_DIR: dataDir, SECRET: 'budbringer-bench-secret-0123456789abcdef', LOG_LEVEL: 'info' };
  const settings = loadSettings([join(ROOT, 'config', 'default.json')], env);
  const seedStart = performance.now();
  await seedLetters(0, N, N, {
    dataDir,
    avsendere: AVSENDERE,
    letter: letter as Uint8Array,
    policy: workPolicy(settings),
    now: Date.now(),
  });
  progress(`seeded ${N} letters in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  node = await startNode(env);
  progress(`node up in ${node.readyMs.toFixed(0)} ms`);
  const admin = await adminLogin(node.url, ADMIN.user, ADMIN.password);
  const today = osloDate(Date.now());
  const fra = formatCalendarDate(addDays(today, -3 * 365));
  const til = formatCalendarDate(today);
  const paths = {
    page: `/forvaltning/statistikk?fra=${fra}&til=${til}`,
    csv: `/forvaltning/statistikk.csv?fra=${fra}&til=${til}`,
  };
  const figures: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(paths)) {
    const runs = [];
    for (let i = 0; i < ROUNDS; i++) {
      const r = await timed(node.url, admin.get, path);
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      runs.push(r);
      progress(
        `${name} ${i + 1}: ${r.ms.toFixed(0)} ms, /healthz max ${r.healthzMaxMs.toFixed(0)} ms, ${r.bytes} chars`,
      );
    }
    figures[`${name}_ms_median`] = Math.round(median(runs.map((r) => r.ms)));
    figures[`${name}_ms_max`] = Math.round(Math.max(...runs.map((r) => r.ms)));
    figures[`${name}_healthz_max_ms`] = Math.round(Math.max(...runs.map((r) => r.healthzMaxMs)));
  }
  // The request that held the loop for 26 s before issue 13: now refused at once.
  const extreme = await timed(node.url, admin.get, '/forvaltning/statistikk?fra=0001-01-01&til=9999-12-31');
  figures.extreme_status = extreme.status;
  figures.extreme_ms = Math.round(extreme.ms);
  figures.extreme_healthz_max_ms = Math.round(extreme.healthzMaxMs);
  progress(
    `0001..9999: ${extreme.status} in ${extreme.ms.toFixed(0)} ms, /healthz max ${extreme.healthzMaxMs.toFixed(0)} ms`,
  );
  process.stdout.write(
    `${JSON.stringify({ n: N, period: `${fra}..${til}`, cpus: cpus().length, node: process.version, ...figures })}\n`,
  );
} finally {
  await node?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
