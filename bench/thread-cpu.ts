/**
 * CPU per letter by thread of the node, end to end: N letters sent at c = C, then every job
 * drained, with each thread's CPU time (`/proc/<pid>/task/<tid>/stat`) read before and after.
 * The main thread is named; the others (PDF threads, the file writers' threads, V8's platform
 * threads, libuv's pool) are listed by id, largest first. With PERF=<file> the phase is also
 * recorded by `perf record -e cpu-clock -g` (on-CPU samples only; the node runs with
 * --perf-basic-prof so JavaScript frames have names). Not part of npm test.
 *
 *   node --import tsx bench/thread-cpu.ts [N=1500]
 *   C=8 ROLES=web node --import tsx bench/thread-cpu.ts 2000     # intake alone, no jobs
 *   PERF=/tmp/perf.data node --import tsx bench/thread-cpu.ts    # then: perf report -i /tmp/perf.data --tid <main>
 *   C=8 ROLES=web PDF_WORKERS=2 NODE_FLAGS=--single-threaded-gc node --import tsx bench/thread-cpu.ts 2000   # A/B
 *   C=8 SQLITE_CHECKPOINTS=commit node --import tsx bench/thread-cpu.ts 1500                                 # A/B
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { closedLoop, quantile } from './lib/http-load.js';
import { startLetterSender } from './lib/letter-sender.js';

/** CPU milliseconds of each thread of `pid` (clock ticks of 10 ms). */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // The thread ended in between.
    }
  }
  return out;
}

const N = Number(process.argv[2] ?? 1500);
const C = Number(process.env.C ?? 16);
const webOnly = process.env.ROLES === 'web';
// PDF_WORKERS and NODE_FLAGS (V8 or Node flags, space separated) pass on to the node, for A/B runs.
const { node, db, send, close } = await startLetterSender(
  'Trader',
  {
    ...(webOnly ? { BUDBRINGER_ROLES: 'web' } : {}),
    ...(process.env.PDF_WORKERS === undefined ? {} : { PDF_WORKERS: process.env.PDF_WORKERS }),
    ...(process.env.SQLITE_CHECKPOINTS === undefined ? {} : { SQLITE_CHECKPOINTS: process.env.SQLITE_CHECKPOINTS }),
  },
  [
    ...(process.env.PERF ? ['--perf-basic-prof', '--interpreted-frames-native-stack'] : []),
    ...(process.env.NODE_FLAGS ?? '').split(' ').filter((f) => f !== ''),
  ],
  Math.max(C, 8),
);
// Warm-up: every thread started, the code compiled.
await closedLoop(8, { count: 200 }, send);
if (!webOnly) await db.waitForIdleJobs(300_000);

const perf = process.env.PERF
  ? spawn('perf', ['record', '-e', 'cpu-clock', '-F', '499', '-g', '-p', String(node.pid), '-o', process.env.PERF], {
      stdio: 'ignore',
    })
  : undefined;
if (perf !== undefined) await new Promise((r) => setTimeout(r, 1000));
const before = threadCpu(node.pid);
const t0 = performance.now();
const load = await closedLoop(C, { count: N }, send);
const t1 = performance.now();
if (!webOnly) await db.waitForIdleJobs(300_000);
const t2 = performance.now();
const after = threadCpu(node.pid);
if (perf !== undefined) {
  perf.kill('SIGINT');
  await new Promise((r) => perf.once('exit', r));
}
const perThread = [...after]
  .map(([tid, ms]) => ({
    thread: tid === String(node.pid) ? `main (${tid})` : tid,
    ms: (ms - (before.get(tid) ?? 0)) / N,
  }))
  .filter((t) => t.ms >= 0.01)
  .sort((a, b) => b.ms - a.ms);
const latencies = load.latenciesMs.slice().sort((a, b) => a - b);
console.log(
  JSON.stringify({
    letters: N,
    concurrency: C,
    jobs: !webOnly,
    window_s: Math.round(t1 - t0) / 1000,
    drain_s: Math.round(t2 - t1) / 1000,
    sustained_per_s: Math.round((N / ((t2 - t0) / 1000)) * 10) / 10,
    accept_p50_ms: Math.round(quantile(latencies, 0.5) * 10) / 10,
    accept_p99_ms: Math.round(quantile(latencies, 0.99) * 10) / 10,
    node_cpu_ms_per_letter: Math.round(perThread.reduce((sum, t) => sum + t.ms, 0) * 100) / 100,
    main_pid: node.pid,
  }),
);
for (const t of perThread) console.log(`${t.thread.padEnd(16)} ${t.ms.toFixed(2)} ms`);
await close();
process.exit(0);
