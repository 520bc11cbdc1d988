/**
 * A small pool of worker threads for the node's PDF work (pdf-lib is synchronous CPU work:
 * on the main thread it delays every request and job behind it). A thread composes one
 * file at a time; further compose jobs wait in a queue. The intake's check of an uploaded
 * document goes to a thread at once, whatever its size (an untrusted PDF never runs on the
 * main thread), and runs between the slices of a compose there (pdf-lib yields to the
 * event loop while it parses and saves). Every task has a time budget, counted from when its
 * thread takes it up (never the time it waited there behind a compose or other checks): a
 * task over it fails, its thread is terminated and replaced, and the other tasks that thread
 * held run again on another — so one hostile or broken letter cannot hold a PDF thread. Threads
 * start on first use; idle ones are unref'd, so a pool never holds a process open by itself.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { ValidationError } from '../domain/errors.js';
import { composeForsendelsesfil, type ComposedPdf, type ComposeInput } from './compose.js';
import { renderCoverPreview, type CoverPreviewFormat } from './cover-preview.js';
import type { ForsideInput } from './forside.js';
import { mergePrintBatch, type BatchLetter, type PrintBatch } from './print-batch.js';
import { inspectPdf, type PdfInfo } from './inspect-pdf.js';
import { pdfProblem, type DokumentRef } from './pdf-problems.js';
import { runPdfTask, taskBytes } from './pdf-task.js';
import type {
  PdfTask,
  PdfTaskBody,
  PdfTaskReply,
  PdfTaskStarted,
  PdfTaskValue,
  PdfWork,
  PreviewBytes,
} from './pdf-worker-protocol.js';

/**
 * The PDF work was stopped by the node's own limits, not by a fault found in the document: a
 * compose or batch over its time budget, its thread ended (out of memory, a crash), or the
 * threads stopped for shutdown. Its job is retried, and a letter is never rejected for it
 * (found in review: a letter whose documents each passed the intake check was rejected
 * AVVIST after a 200 when composing them all took longer than one budget).
 */
export class PdfWorkStopped extends Error {
  constructor(
    message: string,
    /** Over its time budget or its thread lost (may repeat for this letter), or the threads stopped (shutdown). */
    readonly reason: 'overrun' | 'stopped',
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PdfWorkStopped';
  }
}

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
 * Time budget of one task: a base, plus an allowance per MB of the bytes it works on
 * (a 300 MB letter parses and saves in well under a second per MB, even on a busy node).
 */
export interface PdfTaskBudget {
  /** Base of an intake check. */
  readonly inspectMs: number;
  /** Base of a compose. */
  readonly composeMs: number;
  readonly perMbMs: number;
}

/** Default budget: a minute plus a second per MB; a normal letter takes milliseconds. */
export const DEFAULT_PDF_TASK_BUDGET: PdfTaskBudget = { inspectMs: 60_000, composeMs: 60_000, perMbMs: 1_000 };

interface Pending {
  readonly task: PdfTask;
  resolve(value: PdfTaskValue): void;
  reject(error: Error): void;
  /** Runs from when its thread takes the task up (PdfTaskStarted): fires when its budget is spent. */
  timer?: NodeJS.Timeout;
}

/** One thread and the tasks it has been given. */
interface PdfThread {
  readonly worker: Worker;
  readonly tasks: Map<number, Pending>;
  /** Ready: its modules loaded. A thread that ends before that is not replaced. */
  online: boolean;
  composing: boolean;
  /** Set when the pool terminates it for a task over budget: its other tasks run again elsewhere. */
  overBudget: boolean;
}

/** How a pool is set up. */
export interface PdfWorkersOptions {
  /** Documents up to this size are checked on the calling thread; default 0 (none: every check on a thread). */
  readonly inlineInspectMaxBytes?: number;
  /** Time budget of each task; default DEFAULT_PDF_TASK_BUDGET. */
  readonly budget?: PdfTaskBudget;
  /** Told when a thread fails or dies (the node logs it); the work goes on without it. */
  readonly onThreadError?: (error: Error) => void;
  /** Heap limit of each thread in MB (V8's default when unset): a thread over it ends, its task fails. */
  readonly maxHeapMb?: number;
}

/** `threads` worker threads, or with 0 the same work inline on the calling thread. */
export function startPdfWorkers(threads: number, options: PdfWorkersOptions = {}): PdfWorkers {
  if (threads === 0)
    return {
      inspect: inspectPdf,
      compose: composeForsendelsesfil,
      coverPreview: renderCoverPreview,
      printBatch: mergePrintBatch,
      close: async () => undefined,
    };
  return new PdfWorkerPool(threads, {
    inlineInspectMaxBytes: options.inlineInspectMaxBytes ?? 0,
    budget: options.budget ?? DEFAULT_PDF_TASK_BUDGET,
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
    private readonly options: {
      inlineInspectMaxBytes: number;
      budget: PdfTaskBudget;
      onThreadError: (error: Error) => void;
      resourceLimits: ResourceLimits;
    },
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`PDF worker threads must be a positive integer, got ${size}`);
  }

  inspect(bytes: Uint8Array, dokument: DokumentRef): Promise<PdfInfo> {
    if (bytes.length <= this.options.inlineInspectMaxBytes) return inspectPdf(bytes, dokument);
    return this.submit({ op: 'inspect', bytes, dokument }) as Promise<PdfInfo>;
  }

  compose(input: ComposeInput): Promise<ComposedPdf> {
    return this.submit({ op: 'compose', input }) as Promise<ComposedPdf>;
  }

  async coverPreview(input: ForsideInput, format: CoverPreviewFormat): Promise<Uint8Array> {
    return ((await this.submit({ op: 'preview', input, format })) as PreviewBytes).bytes;
  }

  printBatch(letters: readonly BatchLetter[], title: string): Promise<PrintBatch> {
    return this.submit({ op: 'batch', letters, title }) as Promise<PrintBatch>;
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopped = new PdfWorkStopped('PDF-arbeidstrådene er stoppet', 'stopped');
    for (const pending of this.composeQueue.splice(0)) pending.reject(stopped);
    const threads = [...this.threads];
    this.threads.clear();
    await Promise.all(threads.map((t) => t.worker.terminate()));
    for (const t of threads) {
      for (const pending of t.tasks.values()) {
        clearTimeout(pending.timer);
        pending.reject(stopped);
      }
    }
  }

  private submit(body: PdfTaskBody): Promise<PdfTaskValue> {
    if (this.broken) return runPdfTask(body);
    if (this.closed) return Promise.reject(new PdfWorkStopped('PDF-arbeidstrådene er stoppet', 'stopped'));
    // Started on first use, not with the node: loading pdf-lib and fontkit in a thread
    // would compete with the node's own start for the CPU (restart_ready_ms).
    while (this.threads.size < this.size) this.spawn();
    return new Promise((resolve, reject) => {
      this.schedule({ task: { ...body, id: this.nextId++ }, resolve, reject });
    });
  }

  /** A compose waits for a free thread; a check, a preview or a batch goes to the least busy thread now: someone waits for it. */
  private schedule(pending: Pending, first = false): void {
    if (pending.task.op === 'compose') {
      if (first) this.composeQueue.unshift(pending);
      else this.composeQueue.push(pending);
      this.dispatchCompose();
      return;
    }
    let least: PdfThread | undefined;
    for (const t of this.threads) if (least === undefined || t.tasks.size < least.tasks.size) least = t;
    if (least === undefined) pending.reject(new PdfWorkStopped('PDF-arbeidstrådene er stoppet', 'stopped'));
    else this.post(least, pending);
  }

  /** The task's budget in ms: base plus the allowance for its bytes. */
  private budgetOf(task: PdfTask): number {
    const bytes = taskBytes(task);
    const base =
      task.op === 'compose' || task.op === 'batch' ? this.options.budget.composeMs : this.options.budget.inspectMs;
    return base + Math.ceil((bytes / (1024 * 1024)) * this.options.budget.perMbMs);
  }

  /**
   * Starts the task's budget when its thread takes it up (the worker's PdfTaskStarted), not
   * when it is posted: neither the thread's start-up nor the time the task waited there behind
   * other work (another letter's compose, other checks) is counted against it. A check queued
   * behind a long compose waits, and is refused only for its own time (found in review: a
   * valid 2-page letter was refused as too complex after waiting behind another's compose).
   * A thread stuck in a task still answers nothing, but that task has started and its own
   * budget ends it; the tasks waiting behind it then run again on the new thread.
   */
  private startBudget(thread: PdfThread, pending: Pending): void {
    const ms = this.budgetOf(pending.task);
    pending.timer = setTimeout(() => this.overBudget(thread, pending, ms), ms);
    pending.timer.unref();
  }

  /**
   * A task over its budget: it fails (a check as a refusal of the document, a compose as an
   * error its job retries), and its thread, which may be stuck in it, is terminated; the
   * 'exit' handler replaces the thread and gives its other tasks to the pool again.
   */
  private overBudget(thread: PdfThread, pending: Pending, ms: number): void {
    if (!thread.tasks.delete(pending.task.id)) return;
    const seconds = Math.round(ms / 100) / 10;
    const { task } = pending;
    pending.reject(
      task.op === 'inspect'
        ? pdfProblem(task.dokument, 'for-kompleks', `kontrollen tok mer enn ${seconds} s`)
        : new PdfWorkStopped(`PDF-arbeidet brukte mer enn ${seconds} s og ble stoppet`, 'overrun'),
    );
    this.options.onThreadError(
      new Error(`PDF-oppgave (${task.op}) over tidsbudsjettet på ${seconds} s: tråden avsluttes og erstattes`),
    );
    if (task.op === 'compose') thread.composing = false;
    // Once: each terminate() waits on 'exit' with a listener of its own (several tasks of one
    // thread over budget at once added eleven, and Node warned of a listener leak).
    if (thread.overBudget) return;
    thread.overBudget = true;
    void thread.worker.terminate();
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
    const thread: PdfThread = {
      worker: newPdfThread(this.options.resourceLimits),
      tasks: new Map(),
      online: false,
      composing: false,
      overBudget: false,
    };
    const { worker } = thread;
    worker.unref();
    worker.on('message', (reply: PdfTaskReply | PdfTaskStarted | 'ready') => {
      if (reply === 'ready') {
        thread.online = true;
        return;
      }
      if ('started' in reply) {
        const started = thread.tasks.get(reply.started);
        if (started !== undefined) this.startBudget(thread, started);
        return;
      }
      const pending = thread.tasks.get(reply.id);
      thread.tasks.delete(reply.id);
      clearTimeout(pending?.timer);
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
      for (const pending of given) clearTimeout(pending.timer);
      if (thread.overBudget) {
        // Terminated for one task over budget (already failed): the others run again, first in line.
        this.spawn();
        for (const pending of given.reverse()) this.schedule(pending, true);
        this.dispatchCompose();
        return;
      }
      if (!thread.online) {
        // It never started: do its work and the queue's here, and from now on all of it.
        this.broken = true;
        this.options.onThreadError(
          new Error(`PDF-arbeidstråden kunne ikke starte (kode ${code}); PDF-arbeidet gjøres på hovedtråden`),
        );
        for (const pending of [...given, ...this.composeQueue.splice(0)]) runInPlace(pending);
        return;
      }
      const ended = failure ?? new Error(`PDF-arbeidstråden stoppet uventet (kode ${code})`);
      if (failure === undefined) this.options.onThreadError(ended);
      // A check is refused as before (the caller makes it a problem of the document); other
      // work is the node's to retry.
      for (const pending of given)
        pending.reject(
          pending.task.op === 'inspect'
            ? ended
            : new PdfWorkStopped(`PDF-arbeidet ble avbrutt: ${ended.message}`, 'overrun', ended),
        );
      this.spawn();
      this.dispatchCompose();
    });
    this.threads.add(thread);
  }
}

/** Does a task on the calling thread. */
function runInPlace(pending: Pending): void {
  runPdfTask(pending.task).then(pending.resolve, pending.reject);
}

/** Resolves or rejects as the call on the main thread would have: a ValidationError stays one. */
function settle(pending: Pending, reply: PdfTaskReply): void {
  if (reply.ok) pending.resolve(reply.value);
  else pending.reject(reply.problems === undefined ? new Error(reply.message) : new ValidationError(reply.problems));
}
