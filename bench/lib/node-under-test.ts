/**
 * Entry of the node under test: src/main.ts, run with --expose-gc, plus one bench-only
 * IPC message, 'gc', that runs two full collections and answers with the process's
 * VmRSS. Nothing is added to the production node for the bench.
 */
import { readFileSync } from 'node:fs';

/** VmRSS of this process in bytes, from /proc (what the kernel charges it). */
function vmRss(): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb === undefined ? process.memoryUsage().rss : Number(kb) * 1024;
}

process.on('message', (msg) => {
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
