/**
 * `npm run bench` (full, < 10 min) and `npm run bench -- --quick` (< 90 s): issue #7's
 * figures and issue #2's memory and restart figures. Progress goes to stderr; stdout gets
 * exactly one line of JSON at the end. A full run also writes bench/RESULTS.md and
 * bench/concurrency.svg; a quick run writes them under bench/out/.
 *
 *   npm run bench [-- --quick] [-- --profile]   (--profile: node --cpu-prof of the intake node into bench/out/profiles)
 *
 * How each figure is made is in bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InboxLinks } from '../src/app/inbox-links.js';
import { createAvsender, putUser } from '../src/app/accounts.js';
import { loadSettings } from '../src/config/load-settings.js';
import { pdfWorkerThreads } from '../src/composition/node.js';
import { workPolicy } from '../src/composition/work-policy.js';
import { startPdfWorkers, type PdfWorkers } from '../src/pdf/index.js';
import { openSqlite, SqliteConfigStore } from '../src/storage/sqlite/index.js';
import { measureFloor } from './lib/floor.js';
import { cpuPerLetter, type CpuPerLetter } from './lib/cpu-sample.js';
import { closedLoop, HttpClient, quantile, type LoadResult } from './lib/http-load.js';
import {
  BENCH_DIGITAL_FNR,
  BENCH_FNR,
  benchKrrFile,
  letterPool,
  REST_SEND_PATH,
  restBody,
  soapMtomBody,
  SOAP_PATH,
  uniqueLetter,
} from './lib/letters.js';
import { startNode, type NodeChild } from './lib/node-child.js';
import { NodeDb } from './lib/node-db.js';
import { writeResults } from './lib/results.js';
import { seedLetters } from './lib/seed.js';
import { adminLogin, searchPaths } from './lib/admin-search.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'intake-only': { type: 'boolean', default: false },
  },
});
const QUICK = values.quick === true;
/** Stop after the intake, latency and sweep phases: their figures only, nothing written. */
const INTAKE_ONLY = values['intake-only'] === true;
const MODE = QUICK ? 'quick' : 'full';
/** Every duration and count of a run; the quick run keeps every phase, only shorter. */
const P = QUICK
  ? {
      pool: 4,
      floorMs: 2_000,
      intakeRounds: 1,
      intakeMs: 1_500,
      latencyCount: 200,
      sweepMs: 750,
      downloadMs: 1_000,
      n: 20_000,
      sample: 20,
      searches: 60,
      idleMs: 1_000,
    }
  : {
      pool: 16,
      floorMs: 15_000,
      intakeRounds: 2,
      intakeMs: 6_000,
      latencyCount: 2_000,
      sweepMs: 6_000,
      downloadMs: 10_000,
      n: 100_000,
      sample: 200,
      searches: 300,
      idleMs: 3_000,
    };
// An intake-only run is for comparing builds: longer windows than a quick run's, fewer phases.
if (INTAKE_ONLY && QUICK) Object.assign(P, { intakeRounds: 2, intakeMs: 5_000, floorMs: 4_000, latencyCount: 1_000 });
const CONCURRENCY = 32;
const SWEEP = [1, 4, 16, 64];
const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const SECRET = 'budbringer-bench-secret-0123456789abcdef';
const AVSENDERE = Array.from({ length: 10 }, (_, i) => `Bench kommune ${i}`);
const ADMIN = { user: 'bench-admin', password: 'bench-admin-passord' };
const t0 = performance.now();
const loadAtStart = loadavg();

function progress(message: string): void {
  process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The CPU figures of the REST windows: the mean over the windows of each per-letter cost. */
function cpuFigures(cpu: readonly CpuPerLetter[]): Record<string, number> {
  const meanOf = (f: (c: CpuPerLetter) => number): number => round(cpu.reduce((a, c) => a + f(c), 0) / cpu.length, 2);
  return {
    main_thread_cpu_ms_per_letter: meanOf((c) => c.mainThreadCpuMs),
    node_main_thread_cpu_ms_per_letter: meanOf((c) => c.nodeMainThreadCpuMs),
    main_thread_busy_ms_per_letter: meanOf((c) => c.mainThreadBusyMs),
    process_cpu_ms_per_letter: meanOf((c) => c.processCpuMs),
  };
}

function describe(r: LoadResult): string {
  return `${r.done} in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)}/s, p50 ${quantile(r.latenciesMs, 0.5).toFixed(0)} ms, p99 ${quantile(r.latenciesMs, 0.99).toFixed(0)} ms`;
}

/** A DATA_DIR with the bench's avsendere and admin user; returns the first avsender's Basic auth. */
async function prepareDataDir(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const db = openSqlite(join(dir, 'budbringer.sqlite'));
  const config = new SqliteConfigStore(db);
  let auth = '';
  for (const navn of AVSENDERE) {
    const { servicePassword } = await createAvsender(config, { navn, now: Date.now() });
    if (auth === '') auth = `Basic ${Buffer.from(`${navn}:${servicePassword}`).toString('base64')}`;
  }
  await putUser(config, { brukernavn: ADMIN.user, passord: ADMIN.password, rolle: 'admin', now: Date.now() });
  db.close();
  writeFileSync(join(dir, 'krr.json'), benchKrrFile());
  return auth;
}

const tmp = mkdtempSync(join(tmpdir(), 'budbringer-bench-'));
const runTag = Date.now().toString(36);
const nodeEnv = (dataDir: string, extra: Record<string, string> = {}): Record<string, string> => ({
  DATA_DIR: dataDir,
  SECRET,
  LOG_LEVEL: 'info',
  // `PDF_WORKERS=0 npm run bench` measures node and floor with all PDF work on the main thread.
  ...(process.env.PDF_WORKERS === undefined ? {} : { PDF_WORKERS: process.env.PDF_WORKERS }),
  // `WORKER_PROCESSES=4 npm run bench`: the node's background work in four more processes.
  ...(process.env.WORKER_PROCESSES === undefined ? {} : { WORKER_PROCESSES: process.env.WORKER_PROCESSES }),
  ...(process.env.BUDBRINGER_ROLES === undefined ? {} : { BUDBRINGER_ROLES: process.env.BUDBRINGER_ROLES }),
  // `JOB_CONCURRENCY=8 npm run bench`: more background jobs at once than the default.
  ...(process.env.JOB_CONCURRENCY === undefined ? {} : { JOB_CONCURRENCY: process.env.JOB_CONCURRENCY }),
  ...extra,
});
let node: NodeChild | undefined;
let floorPdf: PdfWorkers | undefined;

try {
  progress(`mode ${MODE}, ${cpus().length} cpus, node ${process.version}, temp ${tmp}`);
  const pool = await letterPool(P.pool, join(OUT, 'letters'));
  progress(`letter pool: ${pool.length} PDFs of ${pool.map((p) => Math.round(p.length / 1024)).join(', ')} KB`);

  // 1. The floor (see lib/floor.ts) is measured in the intake rounds below, next to REST and
  // SOAP, so that load from elsewhere on the machine hits all three alike; warm it up first.
  // Its PDF work runs on as many worker threads as node A's (same settings, same machine).
  const dirA = join(tmp, 'node-a');
  const settingsA = loadSettings([join(ROOT, 'config', 'default.json')], nodeEnv(dirA));
  // With WORKER_PROCESSES the node's PDF threads are shared out over its processes: the
  // floor gets all of them.
  const pdfThreads = pdfWorkerThreads(settingsA) * (1 + settingsA.WORKER_PROCESSES);
  floorPdf = startPdfWorkers(pdfThreads);
  progress(
    `PDF worker threads (node and floor): ${pdfThreads}; worker processes beside the node: ${settingsA.WORKER_PROCESSES}`,
  );
  await measureFloor(join(tmp, 'floor-warm'), pool, floorPdf, CONCURRENCY, 1_500, `${runTag}w`);

  // 2. Throughput and latency on a fresh node.
  const auth = await prepareDataDir(dirA);
  const profileArgs = values.profile === true ? ['--cpu-prof', `--cpu-prof-dir=${join(OUT, 'profiles')}`] : [];
  node = await startNode(nodeEnv(dirA), profileArgs);
  progress(`node A up in ${node.readyMs.toFixed(0)} ms at ${node.url}`);
  const db = new NodeDb(join(dirA, 'budbringer.sqlite'));
  const http = new HttpClient(node.url, 128);
  let counter = 0;
  const sentAt = new Map<string, number>();
  const restSend = async (): Promise<string> => {
    const n = counter++;
    const { contentType, body } = restBody(uniqueLetter(pool, n, runTag), n);
    const started = Date.now();
    const r = await http.send('POST', REST_SEND_PATH, { 'content-type': contentType, authorization: auth }, body);
    if (r.status !== 200) throw new Error(`REST send: ${r.status} ${r.body.toString().slice(0, 300)}`);
    const id = (JSON.parse(r.body.toString()) as { id: string }).id;
    sentAt.set(id, started);
    return id;
  };
  const soapSend = async (): Promise<string> => {
    const n = counter++;
    const { contentType, body } = soapMtomBody(uniqueLetter(pool, n, runTag), n);
    const r = await http.send('POST', SOAP_PATH, { 'content-type': contentType, authorization: auth }, body);
    const text = r.body.toString();
    const id = /<return>([0-9a-f-]{36})<\/return>/.exec(text)?.[1];
    if (r.status !== 200 || id === undefined) throw new Error(`SOAP send: ${r.status} ${text.slice(0, 300)}`);
    return id;
  };
  const drain = async (what: string): Promise<number> => {
    const ms = await db.waitForIdleJobs(180_000);
    progress(`  background work after ${what} drained in ${(ms / 1000).toFixed(1)} s`);
    return ms;
  };

  // Warm-up (JIT, connection pool, tsx's first compile of lazily loaded modules), as long
  // and as wide as the floor's (1.5 s at CONCURRENCY, above). Until 5 December 2026 it was
  // 12 sends at c = 4, and the node's first round ran colder than the floor's: sustained
  // ÷ floor 0.65–0.71 in the first round against 0.73–0.91 in the second (bench/README.md).
  await closedLoop(CONCURRENCY, { durationMs: 1_500 }, async () => void (await restSend()));
  await closedLoop(4, { count: 12 }, async () => void (await soapSend()));
  await drain('warm-up');

  // Floor, REST and SOAP take turns, round by round, so load from elsewhere on the machine
  // hits them alike. The node is idle (drained) while the floor runs in the bench process.
  const floors: LoadResult[] = [];
  const rest: LoadResult[] = [];
  const soap: LoadResult[] = [];
  const drainMs: number[] = [];
  const restIds: string[] = [];
  // Main-thread CPU per letter, end to end: sampled on the drained node before each REST
  // window and after its background work (compose, route, print) is drained, divided by the
  // letters of the window: every one was then fully processed.
  const cpu: CpuPerLetter[] = [];
  for (let round = 0; round < P.intakeRounds; round++) {
    const f = await measureFloor(
      join(tmp, `floor-${round}`),
      pool,
      floorPdf,
      CONCURRENCY,
      P.floorMs / P.intakeRounds,
      `${runTag}f${round}`,
    );
    progress(`floor: ${describe(f)}`);
    floors.push(f);
    const cpuBefore = await node.cpu();
    const r = await closedLoop(
      CONCURRENCY,
      { durationMs: P.intakeMs },
      async () => void restIds.push(await restSend()),
    );
    progress(`REST intake c=${CONCURRENCY}: ${describe(r)}`);
    rest.push(r);
    drainMs.push(await drain('REST intake'));
    const perLetter = cpuPerLetter(cpuBefore, await node.cpu(), r.done);
    progress(
      `  per letter, end to end: main thread ${perLetter.mainThreadCpuMs.toFixed(2)} ms CPU ` +
        (settingsA.WORKER_PROCESSES > 0 ? `(the node's ${perLetter.nodeMainThreadCpuMs.toFixed(2)} ms) ` : '') +
        `(${perLetter.mainThreadBusyMs.toFixed(2)} ms busy, utilisation ${perLetter.mainThreadUtilisation.toFixed(2)}), ` +
        `whole process ${perLetter.processCpuMs.toFixed(2)} ms CPU`,
    );
    cpu.push(perLetter);
    const s = await closedLoop(CONCURRENCY, { durationMs: P.intakeMs }, async () => void (await soapSend()));
    progress(`SOAP intake c=${CONCURRENCY}: ${describe(s)}`);
    soap.push(s);
    await drain('SOAP intake');
  }
  await floorPdf.close();
  floorPdf = undefined;
  const rate = (rs: LoadResult[]): number => rs.reduce((a, r) => a + r.done, 0) / rs.reduce((a, r) => a + r.seconds, 0);
  const floorPerS = rate(floors);
  const intakePerS = rate(rest);
  const soapPerS = rate(soap);
  // Acknowledged letters still need their forsendelsesfil (compose job): this rate counts the
  // time until that background work was done too, so it is the rate a node can keep up.
  const sustainedPerS =
    rest.reduce((a, r) => a + r.done, 0) /
    (rest.reduce((a, r) => a + r.seconds, 0) + drainMs.reduce((a, b) => a + b, 0) / 1000);

  // Latency at concurrency 8: accept (the HTTP answer) and send → AKSEPTERT (the journal's Akseptert event).
  sentAt.clear();
  const lat = await closedLoop(8, { count: P.latencyCount }, async () => void (await restSend()));
  progress(`REST latency c=8: ${describe(lat)}`);
  await drain('latency run');
  const akseptert = db.akseptertAt([...sentAt.keys()]);
  const toAkseptert = [...sentAt].map(([id, at]) => (akseptert.get(id) ?? Number.NaN) - at);
  if (toAkseptert.some((v) => Number.isNaN(v))) throw new Error('a letter of the latency run never became AKSEPTERT');
  progress(
    `  send → AKSEPTERT: p50 ${quantile(toAkseptert, 0.5).toFixed(0)} ms, p99 ${quantile(toAkseptert, 0.99).toFixed(0)} ms`,
  );

  // Throughput and p99 against concurrency, for the chart.
  const sweep: { concurrency: number; perSecond: number; p50Ms: number; p99Ms: number }[] = [];
  for (const c of SWEEP) {
    const r = await closedLoop(c, { durationMs: P.sweepMs }, async () => void (await restSend()));
    progress(`sweep c=${c}: ${describe(r)}`);
    sweep.push({
      concurrency: c,
      perSecond: r.perSecond,
      p50Ms: quantile(r.latenciesMs, 0.5),
      p99Ms: quantile(r.latenciesMs, 0.99),
    });
    await drain(`sweep c=${c}`);
  }
  if (INTAKE_ONLY) {
    const partial = {
      intake_per_s: round(intakePerS),
      soap_intake_per_s: round(soapPerS),
      floor_per_s: round(floorPerS),
      intake_sustained_per_s: round(sustainedPerS),
      sustained_ratio: round(sustainedPerS / floorPerS, 2),
      ...cpuFigures(cpu),
      accept_p50_ms: round(quantile(lat.latenciesMs, 0.5)),
      accept_p99_ms: round(quantile(lat.latenciesMs, 0.99)),
      sweep: sweep.map((s) => ({ c: s.concurrency, per_s: round(s.perSecond), p99_ms: round(s.p99Ms) })),
      cpus: cpus().length,
      mode: `${MODE}, intake only`,
      seconds: round((performance.now() - t0) / 1000),
    };
    http.close();
    db.close();
    process.stdout.write(`${JSON.stringify(partial)}\n`);
    process.exitCode = 0;
  } else {
    // Recipients download the forsendelsesfil through their inbox links. The intake letters
    // went on paper (their only file is the print copy), so 500 letters to a recipient in KRR
    // go digital first: composed for the inbox, routed and notified (an .eml in the outbox).
    const digitalIds: string[] = [];
    await closedLoop(8, { count: 500 }, async (k) => {
      const m = 2_000_000 + k;
      const { contentType, body } = restBody(uniqueLetter(pool, m, `${runTag}digital`), m, BENCH_DIGITAL_FNR);
      const r = await http.send('POST', REST_SEND_PATH, { 'content-type': contentType, authorization: auth }, body);
      if (r.status !== 200) throw new Error(`REST send (digital): ${r.status} ${r.body.toString().slice(0, 300)}`);
      digitalIds.push(String(JSON.parse(r.body.toString()).id));
    });
    await drain('digital letters');
    const links = new InboxLinks(Buffer.from(SECRET, 'utf8'));
    const mottaker = links.recipientKey(BENCH_DIGITAL_FNR);
    const tokens = digitalIds.map((forsendelseId) =>
      links.token({ forsendelseId, mottaker, expiresAt: Date.now() + 3600_000 }),
    );
    let downloadedBytes = 0;
    const dl = await closedLoop(CONCURRENCY, { durationMs: P.downloadMs }, async (n) => {
      const r = await http.send('GET', `/innboks/${tokens[n % tokens.length]}/forsendelsesfil`);
      if (r.status !== 200 || r.body.subarray(0, 5).toString() !== '%PDF-')
        throw new Error(`download: ${r.status} ${r.body.subarray(0, 200).toString()}`);
      downloadedBytes += r.body.length;
    });
    progress(`download c=${CONCURRENCY}: ${describe(dl)}, ${(downloadedBytes / dl.done / 1024).toFixed(0)} KB each`);
    await drain('downloads');
    http.close();
    db.close();
    await node.stop();
    node = undefined;

    // 3. Memory and restart with N stored (issue #2). The N letters are seeded (lib/seed.ts).
    const dirB = join(tmp, 'node-b');
    const authB = await prepareDataDir(dirB);
    const settings = loadSettings([join(ROOT, 'config', 'default.json')], { DATA_DIR: dirB });
    const seedOptions = {
      dataDir: dirB,
      avsendere: AVSENDERE,
      letter: pool[0] as Uint8Array,
      policy: workPolicy(settings),
      now: Date.now(),
    };
    const tenth = Math.round(P.n / 10);
    let seedStart = performance.now();
    const seededIds = await seedLetters(0, tenth, P.n, seedOptions);
    progress(`seeded ${tenth} letters in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const idleEnv = nodeEnv(dirB, { ACTOR_IDLE_MS: String(P.idleMs) });

    /** Real traffic on the node, then idle: RSS after every actor has passivated. */
    const liveThenIdleRss = async (n: NodeChild, ids: readonly string[], label: string): Promise<number> => {
      const c = new HttpClient(n.url, 16);
      const nodeDb = new NodeDb(join(dirB, 'budbringer.sqlite'));
      // New letters through HTTP, all the way through compose and routing...
      await closedLoop(8, { count: P.sample }, async (k) => {
        const m = 1_000_000 + k;
        const { contentType, body } = restBody(uniqueLetter(pool, m, `${runTag}${label}`), m);
        const r = await c.send('POST', REST_SEND_PATH, { 'content-type': contentType, authorization: authB }, body);
        if (r.status !== 200) throw new Error(`REST send (${label}): ${r.status} ${r.body.toString().slice(0, 300)}`);
      });
      // ...and seeded ones woken: each download replays its journal in a fresh actor and stores Lest.
      const sample = Array.from({ length: P.sample }, (_, k) => ids[Math.floor((k * ids.length) / P.sample)] as string);
      await closedLoop(8, { count: sample.length }, async (k) => {
        const token = links.token({
          forsendelseId: sample[k] as string,
          mottaker: links.recipientKey(BENCH_FNR),
          expiresAt: Date.now() + 3600_000,
        });
        const r = await c.send('GET', `/innboks/${token}/forsendelsesfil`);
        if (r.status !== 200)
          throw new Error(`seeded download (${label}): ${r.status} ${r.body.subarray(0, 200).toString()}`);
      });
      await nodeDb.waitForIdleJobs(180_000);
      const lest = nodeDb.countLest(sample);
      if (lest !== sample.length)
        throw new Error(`only ${lest} of ${sample.length} woken seeded letters recorded Lest`);
      c.close();
      nodeDb.close();
      // Idle: every actor passivates after ACTOR_IDLE_MS without messages.
      await new Promise((r) => setTimeout(r, P.idleMs * 2 + 1_000));
      return n.rssAfterGc();
    };

    node = await startNode(idleEnv);
    const startTenthMs = node.readyMs;
    progress(`start with ${tenth} stored: /healthz 200 after ${startTenthMs.toFixed(0)} ms`);
    const rssTenth = await liveThenIdleRss(node, seededIds, 'a');
    progress(`RSS with ${tenth} stored, idle: ${(rssTenth / 1048576).toFixed(1)} MB`);
    await node.stop();
    node = undefined;

    seedStart = performance.now();
    seededIds.push(...(await seedLetters(tenth, P.n, P.n, seedOptions)));
    progress(`seeded up to ${P.n} letters in ${((performance.now() - seedStart) / 1000).toFixed(1)} s more`);
    node = await startNode(idleEnv);
    const restartReadyMs = node.readyMs;
    progress(`restart with ${P.n} stored: /healthz 200 after ${restartReadyMs.toFixed(0)} ms`);
    const rssFull = await liveThenIdleRss(node, seededIds, 'b');
    progress(`RSS with ${P.n} stored, idle: ${(rssFull / 1048576).toFixed(1)} MB`);

    // Admin search over N: avsender + status + period, through the admin web (as an admin waits for it)...
    const admin = await adminLogin(node.url, ADMIN.user, ADMIN.password);
    const paths = searchPaths(AVSENDERE, Date.now(), P.searches);
    const searchLatencies: number[] = [];
    for (const path of paths) {
      const s = performance.now();
      const r = await admin.get(path);
      searchLatencies.push(performance.now() - s);
      if (r.status !== 200 || !/forsendelser/i.test(r.text))
        throw new Error(`admin search: ${r.status} ${r.text.slice(0, 200)}`);
    }
    progress(
      `admin search (HTTP, page of 25): p50 ${quantile(searchLatencies, 0.5).toFixed(1)} ms, p99 ${quantile(searchLatencies, 0.99).toFixed(1)} ms`,
    );
    // ...and the read model's query alone with a page of 50, on the same database.
    const nodeDbB = new NodeDb(join(dirB, 'budbringer.sqlite'));
    const storeLatencies = nodeDbB.searchLatencies(AVSENDERE, Date.now(), P.searches, 50);
    nodeDbB.close();
    progress(
      `read-model search (page of 50): p50 ${quantile(storeLatencies, 0.5).toFixed(2)} ms, p99 ${quantile(storeLatencies, 0.99).toFixed(2)} ms`,
    );
    await node.stop();
    node = undefined;

    const result = {
      intake_per_s: round(intakePerS),
      soap_intake_per_s: round(soapPerS),
      floor_per_s: round(floorPerS),
      intake_ratio: round(intakePerS / floorPerS, 2),
      intake_sustained_per_s: round(sustainedPerS),
      sustained_ratio: round(sustainedPerS / floorPerS, 2),
      ...cpuFigures(cpu),
      soap_vs_rest: round(soapPerS / intakePerS, 2),
      accept_p50_ms: round(quantile(lat.latenciesMs, 0.5)),
      accept_p99_ms: round(quantile(lat.latenciesMs, 0.99)),
      akseptert_p50_ms: round(quantile(toAkseptert, 0.5)),
      akseptert_p99_ms: round(quantile(toAkseptert, 0.99)),
      download_per_s: round(dl.perSecond),
      download_kb: round(downloadedBytes / dl.done / 1024),
      rss_tenth_mb: round(rssTenth / 1048576),
      rss_full_mb: round(rssFull / 1048576),
      rss_growth_ratio: round(rssFull / rssTenth, 2),
      restart_ready_ms: round(restartReadyMs),
      start_tenth_ms: round(startTenthMs),
      search_p99_ms: round(quantile(searchLatencies, 0.99)),
      search_store_p99_ms: round(quantile(storeLatencies, 0.99), 2),
      n: P.n,
      pdf_threads: pdfThreads,
      worker_processes: settingsA.WORKER_PROCESSES,
      sweep: sweep.map((s) => ({
        c: s.concurrency,
        per_s: round(s.perSecond),
        p50_ms: round(s.p50Ms),
        p99_ms: round(s.p99Ms),
      })),
      node: process.version,
      cpus: cpus().length,
      mode: MODE,
      seconds: round((performance.now() - t0) / 1000),
    };
    writeResults(result, sweep, P.sweepMs, QUICK ? OUT : join(ROOT, 'bench'), QUICK, loadAtStart);
    progress(`done in ${result.seconds} s`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
} finally {
  await floorPdf?.close();
  await node?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
// Keep-alive sockets (fetch's global pool) would hold the process for seconds more.
process.exit(process.exitCode ?? 0);
