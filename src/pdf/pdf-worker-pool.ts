/**
 * A small pool of worker threads for the node's PDF work (pdf-lib is synchronous CPU work:
 * on the main thread it delays every request and job behind it). A thread composes one
 * file at a time; further compose jobs wait in a queue. The intake's check of a large
 * document goes to a thread at once and runs between the slices of a compose there
 * (pdf-lib yields to the event loop while it parses and saves); a small one is checked
 * in place (see INLINE_INSPECT_MAX_BYTES). Threads start on first use; idle ones are
 * unref'd, so a pool never holds a process open by itself.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { ValidationError } from '../domain/errors.js';
import { composeForsendelsesfil, type ComposedPdf, type ComposeInput } from './compose.js';
import { inspectPdf, type PdfInfo } from './inspect-pdf.js';
import type { DokumentRef } from './pdf-problems.js';
import type { PdfTask, PdfTaskReply, PdfWork } from './pdf-worker-protocol.js';

/** PdfWork that can be stopped (on shutdown: terminates the threads). */
export interface PdfWorkers extends PdfWork {
  close(): Promise<void>;
}

/** The worker's entry next to this file: .ts when run through tsx, .js when compiled. */
const RUN_THROUGH_TSX = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(RUN_THROUGH_TSX ? './pdf-worker.ts' : './pdf-worker.js', import.meta.url);

/**
 * A new PDF thread. Compiled (the image), it runs pdf-worker.js. Through tsx (npm start,
 * tests, bench) Node 20 does not apply the parent's `--import tsx` to a worker's entry, so
 * the thread registers tsx itself before importing pdf-worker.ts.
 */
function newPdfThread(resourceLimits: ResourceLimits): Worker {
  if (!RUN_THROUGH_TSX) return new Worker(WORKER_URL, { resourceLimits });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(boot, { eval: true, resourceLimits });
}

/**
 * Documents up to this size are checked on the calling thread. Measured on the bench's
 * 56 KB letters: the check costs ~0.7 ms of CPU in place, but ~50 ms of waiting on a
 * thread that is composing (its slices between yields are longer than the whole check),
 * and a caller waits for it. Larger files take proportionally longer to parse and go to a thread.
 */
const INLINE_INSPECT_MAX_BYTES = 256 * 1024;

type TaskBody = { readonly op: 'inspect'; readonly bytes: Uint8Array; readonly dokument: DokumentRef } | { readonly op: 'compose'; readonly input: ComposeInput };

interface Pending {
  readonly task: PdfTask;
  resolve(value: PdfInfo | ComposedPdf): void;
  reject(error: Error): void;
}

/** One thread and the tasks it has been given. */
interface PdfThread {
  readonly worker: Worker;
  readonly tasks: Map<number, Pending>;
  /** Ready: its modules loaded. A thread that ends before that is not replaced. */
  online: boolean;
  composing: boolean;
}

/** How a pool is set up. */
export interface PdfWorkersOptions {
  /** Documents up to this size are checked on the calling thread; default INLINE_INSPECT_MAX_BYTES. */
  readonly inlineInspectMaxBytes?: number;
  /** Told when a thread fails or dies (the node logs it); the work goes on without it. */
  readonly onThreadError?: (error: Error) => void;
  /** Heap limit of each thread in MB (V8's default when unset): a thread over it ends, its task fails. */
  readonly maxHeapMb?: number;
}

/** `threads` worker threads, or with 0 the same work inline on the calling thread. */
export function startPdfWorkers(threads: number, options: PdfWorkersOptions = {}): PdfWorkers {
  if (threads === 0) return { inspect: inspectPdf, compose: composeForsendelsesfil, close: async () => undefined };
  return new PdfWorkerPool(threads, {
    inlineInspectMaxBytes: options.inlineInspectMaxBytes ?? INLINE_INSPECT_MAX_BYTES,
    onThreadError: options.onThreadError ?? (() => undefined),
    resourceLimits: options.maxHeapMb === undefined ? {} : { maxOldGenerationSizeMb: options.maxHeapMb },
  });
}

class PdfWorkerPool implements PdfWorkers {
  private readonly threads = new Set<PdfThread>();
  /** Compose tasks waiting for a thread that composes nothing. */
  private readonly composeQueue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /**
   * Set when a thread ended before it was ready (a module failed to load, no memory for
   * a thread): no respawn loop, the work runs on the calling thread instead, slower but
   * without refusing letters for a fault of the node's.
   */
  private broken = false;

  constructor(
    private readonly size: number,
    private readonly options: { inlineInspectMaxBytes: number; onThreadError: (error: Error) => void; resourceLimits: ResourceLimits },
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`PDF worker threads must be a positive integer, got ${size}`);
  }

  inspect(bytes: Uint8Array, dokument: DokumentRef): Promise<PdfInfo> {
    if (bytes.length <= this.options.inlineInspectMaxBytes || this.broken) return inspectPdf(bytes, dokument);
    return this.submit({ op: 'inspect', bytes, dokument }) as Promise<PdfInfo>;
  }

  compose(input: ComposeInput): Promise<ComposedPdf> {
    if (this.broken) return composeForsendelsesfil(input);
    return this.submit({ op: 'compose', input }) as Promise<ComposedPdf>;
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopped = new Error('PDF-arbeidstrådene er stoppet');
    for (const pending of this.composeQueue.splice(0)) pending.reject(stopped);
    const threads = [...this.threads];
    this.threads.clear();
    await Promise.all(threads.map((t) => t.worker.terminate()));
    for (const t of threads) for (const pending of t.tasks.values()) pending.reject(stopped);
  }

  private submit(body: TaskBody): Promise<PdfInfo | ComposedPdf> {
    if (this.closed) return Promise.reject(new Error('PDF-arbeidstrådene er stoppet'));
    // Started on first use, not with the node: loading pdf-lib and fontkit in a thread
    // would compete with the node's own start for the CPU (restart_ready_ms).
    while (this.threads.size < this.size) this.spawn();
    return new Promise((resolve, reject) => {
      const pending = { task: { ...body, id: this.nextId++ }, resolve, reject };
      if (body.op === 'compose') {
        this.composeQueue.push(pending);
        this.dispatchCompose();
        return;
      }
      // A check goes to the least busy thread now: it is short and someone waits for it.
      let least: PdfThread | undefined;
      for (const t of this.threads) if (least === undefined || t.tasks.size < least.tasks.size) least = t;
      if (least === undefined) reject(new Error('PDF-arbeidstrådene er stoppet'));
      else this.post(least, pending);
    });
  }

  private dispatchCompose(): void {
    for (const t of this.threads) {
      if (t.composing) continue;
      const next = this.composeQueue.shift();
      if (next === undefined) return;
      t.composing = true;
      this.post(t, next);
    }
  }

  private post(thread: PdfThread, pending: Pending): void {
    thread.tasks.set(pending.task.id, pending);
    // A busy thread keeps the process alive, as the main thread doing the work would.
    thread.worker.ref();
    thread.worker.postMessage(pending.task);
  }

  private spawn(): void {
    const thread: PdfThread = { worker: newPdfThread(this.options.resourceLimits), tasks: new Map(), online: false, composing: false };
    const { worker } = thread;
    worker.unref();
    worker.on('message', (reply: PdfTaskReply | 'ready') => {
      if (reply === 'ready') {
        thread.online = true;
        return;
      }
      const pending = thread.tasks.get(reply.id);
      thread.tasks.delete(reply.id);
      if (thread.tasks.size === 0) worker.unref();
      if (pending?.task.op === 'compose') thread.composing = false;
      if (pending !== undefined) settle(pending, reply);
      this.dispatchCompose();
    });
    // An uncaught error (or running out of its heap) ends the thread; 'exit' follows.
    let failure: Error | undefined;
    worker.on('error', (thrown: unknown) => {
      failure = thrown instanceof Error ? thrown : new Error(String(thrown));
      this.options.onThreadError(failure);
    });
    worker.on('exit', (code) => {
      if (!this.threads.delete(thread)) return;
      const given = [...thread.tasks.values()];
      if (!thread.online) {
        // It never started: do its work and the queue's here, and from now on all of it.
        this.broken = true;
        this.options.onThreadError(new Error(`PDF-arbeidstråden kunne ikke starte (kode ${code}); PDF-arbeidet gjøres på hovedtråden`));
        for (const pending of [...given, ...this.composeQueue.splice(0)]) runInPlace(pending);
        return;
      }
      const ended = failure ?? new Error(`PDF-arbeidstråden stoppet uventet (kode ${code})`);
      if (failure === undefined) this.options.onThreadError(ended);
      for (const pending of given) pending.reject(ended);
      this.spawn();
      this.dispatchCompose();
    });
    this.threads.add(thread);
  }
}

/** Does a task on the calling thread. */
function runInPlace(pending: Pending): void {
  const { task } = pending;
  const work = task.op === 'compose' ? composeForsendelsesfil(task.input) : inspectPdf(task.bytes, task.dokument);
  work.then(pending.resolve, pending.reject);
}

/** Resolves or rejects as the call on the main thread would have: a ValidationError stays one. */
function settle(pending: Pending, reply: PdfTaskReply): void {
  if (reply.ok) pending.resolve(reply.value);
  else pending.reject(reply.problems === undefined ? new Error(reply.message) : new ValidationError(reply.problems));
}
