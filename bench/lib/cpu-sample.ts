/**
 * CPU of the node under test, sampled through its IPC channel (node-under-test.ts) before
 * and after a steady run: what the main thread spent per letter fully processed (intake
 * plus its compose, route and print jobs) predicts how far one node scales, since the
 * main thread is the one part of the work that more cores do not spread.
 */
import { execFileSync } from 'node:child_process';

/** One reading in the node under test. */
export interface CpuSample {
  /** performance.now() in the node, ms. */
  readonly at: number;
  /** process.cpuUsage(), user + system, every thread of the process, ms. */
  readonly processCpuMs: number;
  /** utime + stime of the main thread in clock ticks (/proc); undefined off Linux. */
  readonly mainThreadTicks: number | undefined;
  /** performance.eventLoopUtilization(): time the main thread's event loop was not idle, ms. */
  readonly eluActiveMs: number;
  readonly eluIdleMs: number;
  /** The node's worker processes (WORKER_PROCESSES): main thread and whole process, clock ticks. */
  readonly workers: readonly {
    readonly pid: number;
    readonly mainThreadTicks: number;
    readonly processTicks: number;
  }[];
}

/** CPU per letter between two samples. */
export interface CpuPerLetter {
  /**
   * Main threads' CPU (user + system, /proc) per letter, ms: the node's, plus its worker
   * processes' (WORKER_PROCESSES) when it has them; NaN off Linux.
   */
  readonly mainThreadCpuMs: number;
  /** The node's own main thread (HTTP, intake; and the jobs when it has no worker processes), ms per letter. */
  readonly nodeMainThreadCpuMs: number;
  /** Main thread's busy (not idle in the event loop) time per letter, ms: CPU plus waits inside synchronous calls. */
  readonly mainThreadBusyMs: number;
  /** Every thread of the node's process and its worker processes (PDF threads, writer threads, GC helpers) per letter, ms. */
  readonly processCpuMs: number;
  /** Main thread's share of the wall time between the samples (event-loop utilisation, 0…1). */
  readonly mainThreadUtilisation: number;
}

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second (`getconf CLK_TCK`, 100 on Linux almost always). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** What `letters` letters cost between `before` and `after`. */
export function cpuPerLetter(before: CpuSample, after: CpuSample, letters: number): CpuPerLetter {
  const ms = (ticks: number): number => (ticks * 1000) / clockTicks();
  const ticks =
    before.mainThreadTicks === undefined || after.mainThreadTicks === undefined
      ? Number.NaN
      : after.mainThreadTicks - before.mainThreadTicks;
  // A worker process started (or restarted) between the samples counts from 0.
  const workerTicks = (pick: (w: CpuSample['workers'][number]) => number): number =>
    after.workers.reduce((sum, w) => {
      const earlier = before.workers.find((b) => b.pid === w.pid);
      return sum + pick(w) - (earlier === undefined ? 0 : pick(earlier));
    }, 0);
  const active = after.eluActiveMs - before.eluActiveMs;
  const idle = after.eluIdleMs - before.eluIdleMs;
  return {
    mainThreadCpuMs: ms(ticks + workerTicks((w) => w.mainThreadTicks)) / letters,
    nodeMainThreadCpuMs: ms(ticks) / letters,
    mainThreadBusyMs: active / letters,
    processCpuMs: (after.processCpuMs - before.processCpuMs + ms(workerTicks((w) => w.processTicks))) / letters,
    mainThreadUtilisation: active + idle > 0 ? active / (active + idle) : 0,
  };
}
