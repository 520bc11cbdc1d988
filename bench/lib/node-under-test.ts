/**
 * Entry of the node under test: src/main.ts, run with --expose-gc, plus two bench-only IPC
 * messages: 'gc', which runs two full collections and answers with the process's VmRSS,
 * and 'cpu', which answers with the CPU the process and its main thread have used so far
 * (see lib/cpu-sample.ts). Nothing is added to the production node for the bench.
 */
import { readFileSync } from 'node:fs';
import type { CpuSample } from './cpu-sample.js';

/** VmRSS of this process in bytes, from /proc (what the kernel charges it). */
function vmRss(): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb === undefined ? process.memoryUsage().rss : Number(kb) * 1024;
}

/**
 * utime + stime of the main thread in clock ticks, from /proc/self/task/<pid>/stat (the
 * main thread's tid is the pid); undefined where /proc is missing.
 */
function mainThreadTicks(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, hence the last ')'): state is
    // field 3, utime 14 and stime 15 of the whole line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function cpuSample(): CpuSample {
  const usage = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  return {
    at: performance.now(),
    processCpuMs: (usage.user + usage.system) / 1000,
    mainThreadTicks: mainThreadTicks(),
    eluActiveMs: elu.active,
    eluIdleMs: elu.idle,
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
