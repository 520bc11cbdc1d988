/**
 * Entry of the node under test: src/main.ts, run with --expose-gc, plus two bench-only IPC
 * messages: 'gc', which runs two full collections and answers with the process's VmRSS,
 * and 'cpu', which answers with the CPU the process and its main thread have used so far,
 * and its worker processes' (WORKER_PROCESSES; see lib/cpu-sample.ts). Nothing is added to the production node for the bench.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { CpuSample } from './cpu-sample.js';

/** VmRSS of this process in bytes, from /proc (what the kernel charges it). */
function vmRss(): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb === undefined ? process.memoryUsage().rss : Number(kb) * 1024;
}

/** The fields of a /proc stat line after the command name (field 3, the state, first). */
function statFields(path: string): string[] | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    // The command name may hold spaces and parentheses, hence the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime (fields 14 and 15) of a thread's or process's stat, in clock ticks. */
function ticksOf(path: string): number | undefined {
  const fields = statFields(path);
  return fields === undefined ? undefined : Number(fields[11]) + Number(fields[12]);
}

/** The processes this one started (WORKER_PROCESSES), by their parent pid (field 4). */
function childPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((name) => Number(statFields(`/proc/${name}/stat`)?.[1]) === process.pid)
      .map(Number);
  } catch {
    return [];
  }
}

function cpuSample(): CpuSample {
  const usage = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  // A main thread's tid is its process's pid (/proc/<pid>/task/<pid>).
  const workers = childPids().map((pid) => ({
    pid,
    mainThreadTicks: ticksOf(`/proc/${pid}/task/${pid}/stat`) ?? 0,
    processTicks: ticksOf(`/proc/${pid}/stat`) ?? 0,
  }));
  return {
    at: performance.now(),
    processCpuMs: (usage.user + usage.system) / 1000,
    mainThreadTicks: ticksOf(`/proc/self/task/${process.pid}/stat`),
    eluActiveMs: elu.active,
    eluIdleMs: elu.idle,
    workers,
  };
}

process.on('message', (msg) => {
  if (msg === 'cpu') {
    process.send?.({ cpu: cpuSample() });
    return;
  }
  if (msg !== 'gc') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  // A second pass after a tick collects what finalizers and weak callbacks released.
  setTimeout(() => {
    gc?.();
    setTimeout(() => process.send?.({ rss: vmRss(), heapUsed: process.memoryUsage().heapUsed }), 200);
  }, 200);
});
// The IPC channel must not keep a node alive that main.ts decided to end.
process.channel?.unref();

await import('../../src/main.js');
