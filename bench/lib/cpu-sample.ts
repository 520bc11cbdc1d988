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
}

/** CPU per letter between two samples. */
export interface CpuPerLetter {
  /** Main thread's CPU (user + system, /proc) per letter, ms; NaN off Linux. */
  readonly mainThreadCpuMs: number;
  /** Main thread's busy (not idle in the event loop) time per letter, ms: CPU plus waits inside synchronous calls. */
  readonly mainThreadBusyMs: number;
  /** Every thread of the process (PDF threads, writer threads, GC helpers) per letter, ms. */
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
  const ticks =
    before.mainThreadTicks === undefined || after.mainThreadTicks === undefined
      ? Number.NaN
      : after.mainThreadTicks - before.mainThreadTicks;
  const active = after.eluActiveMs - before.eluActiveMs;
  const idle = after.eluIdleMs - before.eluIdleMs;
  return {
    mainThreadCpuMs: (ticks * 1000) / clockTicks() / letters,
    mainThreadBusyMs: active / letters,
    processCpuMs: (after.processCpuMs - before.processCpuMs) / letters,
    mainThreadUtilisation: active + idle > 0 ? active / (active + idle) : 0,
  };
}
