/**
 * Entry of a PDF worker thread (pdf-worker-pool.ts starts it): runs the intake's PDF check,
 * the compose job's forsendelsesfil, and the admin web's cover preview and manual-print
 * batch off the node's main thread.
 * A ValidationError travels back as its field problems, so the caller rethrows it unchanged.
 *
 * The thread runs at a lower CPU priority than the main thread (Linux: its nice value 10
 * above the process's, at most 19, for this thread alone): its work is mostly the compose jobs' background work, and where cores are
 * few the main thread, which answers the requests a caller waits for, goes first.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { ValidationError } from '../domain/errors.js';
import { maskFodselsnummerShapes } from '../domain/validation/fodselsnummer.js';
import { runPdfTask } from './pdf-task.js';
import type { PdfTask, PdfTaskReply, PdfTaskStarted } from './pdf-worker-protocol.js';

async function run(task: PdfTask): Promise<PdfTaskReply> {
  try {
    return { id: task.id, ok: true, value: await runPdfTask(task) };
  } catch (error) {
    if (error instanceof ValidationError)
      return { id: task.id, ok: false, message: error.message, problems: error.problems };
    return { id: task.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** 10 nicer than it was (at most 19) for this thread: on Linux a thread's id (from /proc/thread-self) names it to setpriority. */
function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + 10));
  } catch {
    // Not Linux, or not allowed: the thread runs at the process's priority.
  }
}

/**
 * What pdf-lib prints with `console` ("Trying to parse invalid object: …") as one JSON line
 * on the node's stdout, as the node's log lines are (docs/operations.md, "Logs"): the thread's
 * plain lines sat beside them (found in review). No letter's content reaches these messages
 * (byte offsets and object numbers); a fødselsnummer-shaped run is masked all the same.
 */
function consoleAsJsonLines(): void {
  const levels = { debug: 20, log: 30, info: 30, warn: 40, error: 50 } as const;
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
      const msg = maskFodselsnummerShapes(
        args
          .map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a)))
          .join(' ')
          .slice(0, 2000),
      );
      const line = { level, time: new Date().toISOString(), pid: process.pid, component: 'pdf-thread', msg };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    };
  }
}

lowerThreadPriority();
consoleAsJsonLines();
const port = parentPort;
if (port === null) throw new Error('pdf-worker.ts runs only as a worker thread');
port.on('message', (task: PdfTask) => {
  // Taken up only now (a compose before it may have held the thread): its budget starts here.
  port.postMessage({ started: task.id } satisfies PdfTaskStarted);
  void run(task).then((reply) => {
    // The composed file goes back without a copy; the worker does not keep it.
    const transfer = reply.ok && 'bytes' in reply.value ? [reply.value.bytes.buffer as ArrayBuffer] : [];
    port.postMessage(reply, transfer);
  });
});
// Loaded: from here a thread that ends is replaced (pdf-worker-pool.ts).
port.postMessage('ready');
