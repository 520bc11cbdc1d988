/**
 * Copies the WAL back into the database file on a thread of its own, so that no request
 * waits for it. SQLite's default is an automatic checkpoint inside the COMMIT that takes the
 * WAL past 1 000 pages: that COMMIT then reads and writes every changed page again and fsyncs
 * the WAL and the database file, ~8–12 ms on the thread that committed, which in a node is
 * the main thread, every ~20 letters (bench/README.md, "WAL checkpoints on a thread of their
 * own": statements over 2 ms on the main thread fell by two thirds; on two busy cores the
 * latency did not move, since the work competes for them wherever it runs). Here the node's
 * connection commits without checkpointing (`wal_autocheckpoint = 0`), and a thread with its
 * own connection runs a PASSIVE checkpoint a few times a second: it copies what no reader
 * still needs, waits for no lock, and lets writers go on appending meanwhile. The next write
 * after a complete checkpoint starts the WAL from its beginning again, as before, so the
 * file stays as small as with automatic checkpoints.
 *
 * Nothing about durability changes: a commit is as durable as before the moment it returns
 * (it is in the WAL), and the checkpoint fsyncs as SQLite's automatic one does under the
 * same `synchronous` setting. If the thread cannot start or dies, the connection goes back
 * to automatic checkpoints, so the WAL never grows without bound.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './open-sqlite.js';

/** SQLite's own default for `wal_autocheckpoint`, restored when the thread is gone. */
const AUTOMATIC_CHECKPOINT_PAGES = 1000;

/** How often the thread checkpoints: often enough that the WAL stays a few MB under load. */
const DEFAULT_INTERVAL_MS = 200;

/**
 * The thread's code: a PASSIVE checkpoint every `intervalMs`; it answers only when asked
 * ('now', from a test) or when a checkpoint fails, so an idle node is not woken by it.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.path, { fileMustExist: true });
  db.pragma('synchronous = ' + workerData.synchronous);
} catch (e) {
  // better-sqlite3's SqliteError keeps its message where a thread's error event loses it.
  throw new Error(String(e && e.message) + (e && e.code ? ' (' + e.code + ')' : ''));
}
let stopped = false;
function checkpoint(asked) {
  if (stopped) return;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (asked) parentPort.postMessage({ ok: true, log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ ok: false, asked, message: String(e && e.message) });
  }
}
const timer = setInterval(() => checkpoint(false), workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'now') checkpoint(true);
  if (m === 'stop') { stopped = true; clearInterval(timer); db.close(); parentPort.close(); }
});
`;

/** A value thrown in the thread, for a message: its own message when it has one. */
function describe(thrown: unknown): string {
  if (typeof thrown === 'object' && thrown !== null && 'message' in thrown) return String(thrown.message);
  return String(thrown);
}

/** What a checkpoint asked for with checkpointNow found. */
export interface CheckpointResult {
  /** Frames in the WAL. */
  readonly log: number;
  /** Of them, copied into the database file. */
  readonly checkpointed: number;
}

/** How a checkpointer is set up. */
export interface WalCheckpointerOptions {
  readonly synchronous?: 'NORMAL' | 'FULL';
  readonly intervalMs?: number;
  /** Told when the thread cannot start or ends: the connection is back on automatic checkpoints. */
  readonly onThreadLost?: (error: Error) => void;
  /** Told when a checkpoint fails (an I/O error): the next one tries again. */
  readonly onCheckpointError?: (error: Error) => void;
}

/** Checkpoints `db`'s file on a thread of its own while it runs. */
export class WalCheckpointer {
  private readonly worker: Worker;
  private stopped = false;
  /** checkpointNow calls waiting for their answer, in the order they were asked. */
  private readonly waiting: { resolve(r: CheckpointResult): void; reject(e: Error): void }[] = [];

  private constructor(
    private readonly db: SqliteDatabase,
    options: WalCheckpointerOptions,
  ) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        module,
        path: db.name,
        synchronous: options.synchronous === 'FULL' ? 'FULL' : 'NORMAL',
        intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
      },
    });
    this.worker.unref();
    db.pragma('wal_autocheckpoint = 0');
    const fail = (error: Error): void => {
      if (this.stopped) return;
      this.stopped = true;
      this.automatic();
      for (const waiting of this.waiting.splice(0)) waiting.reject(error);
      options.onThreadLost?.(error);
    };
    this.worker.on('message', (m: unknown) => {
      const reply = m as { ok: boolean; asked?: boolean; message?: string; log?: number; checkpointed?: number };
      if (!reply.ok) {
        const error = new Error(`WAL-kontrollpunktet feilet: ${reply.message ?? ''}`);
        // A periodic checkpoint's failure is not the answer to a checkpointNow still waiting.
        if (reply.asked === true) this.waiting.shift()?.reject(error);
        options.onCheckpointError?.(error);
        return;
      }
      this.waiting.shift()?.resolve({ log: reply.log ?? 0, checkpointed: reply.checkpointed ?? 0 });
    });
    // An error thrown in the thread arrives as an Error when it was one, as the value thrown otherwise.
    this.worker.on('error', (thrown: unknown) =>
      fail(thrown instanceof Error ? thrown : new Error(`WAL-kontrollpunkttråden feilet: ${describe(thrown)}`)),
    );
    this.worker.on('exit', (code) => fail(new Error(`WAL-kontrollpunkttråden stoppet (kode ${code})`)));
  }

  /**
   * Starts a checkpointer for `db` (a file in WAL mode). Returns undefined, leaving
   * automatic checkpoints on, for a database in memory or when no thread can start.
   */
  static start(db: SqliteDatabase, options: WalCheckpointerOptions = {}): WalCheckpointer | undefined {
    if (db.memory) return undefined;
    try {
      return new WalCheckpointer(db, options);
    } catch (err) {
      options.onThreadLost?.(err instanceof Error ? err : new Error(String(err)));
      return undefined;
    }
  }

  /** Runs a checkpoint now, on the thread, and resolves with what it found. */
  checkpointNow(): Promise<CheckpointResult> {
    if (this.stopped) return Promise.reject(new Error('WAL-kontrollpunkttråden er stoppet'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage('now');
    });
  }

  /** Whether the thread is checkpointing (false once it stopped or failed). */
  get running(): boolean {
    return !this.stopped;
  }

  /** Stops the thread and gives checkpoints back to the connection (closing it checkpoints the rest). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.automatic();
    for (const waiting of this.waiting.splice(0)) waiting.reject(new Error('WAL-kontrollpunkttråden er stoppet'));
    this.worker.postMessage('stop');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), 2000);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private automatic(): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOMATIC_CHECKPOINT_PAGES}`);
  }
}
