/**
 * Places a blob whose bytes are in memory in one round trip (and replaces files the same
 * way: the print drop's pair, FiledropPrintProvider): a few threads that each do,
 * with synchronous calls, the whole durable write of a put — write a temp file, fsync,
 * close, move it to its address (or drop it when the bytes are there already), fsync the
 * directories. Through libuv's pool each of those eight calls is a trip through the event
 * loop and a wake-up of a pool thread, and on a busy node every trip waits behind the
 * other requests' work: a 56 KB letter's put took ~35 ms of an acknowledgement's ~55 ms
 * at 8 concurrent sends (bench/README.md, "accept latency").
 *
 * The threads run plain JavaScript (node:fs only, no TypeScript loader, a few MB each),
 * start on first use, and are unref'd while idle, so they never hold a process open.
 * A thread that dies fails its own writes (the caller's put fails and nothing is placed
 * half: a temp file is only ever renamed whole; one left by a thread that died is removed
 * by the blob store's stale temp file sweep); the next write starts a new thread. When no
 * thread can start at all, writes fail with WriterUnavailableError and the caller writes
 * another way.
 */
import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** One file of a task. */
interface FileWrite {
  readonly tmpPath: string;
  readonly target: string;
  /** Directory of the blob tree: the top of the directories a new path may create. */
  readonly root: string;
  /** Also fsync the parent directories up to `root` (the target's directory is not known durable yet). */
  readonly syncParents: boolean;
  readonly bytes: Uint8Array;
}

/** One task, as posted to a thread: its files in order, none when `unlessExists` is there. */
interface WriteTask {
  readonly id: number;
  readonly files: readonly FileWrite[];
  readonly unlessExists?: string;
}

/** No writer thread could be started: write another way. */
export class WriterUnavailableError extends Error {
  constructor() {
    super('Skrivetrådene kunne ikke starte');
    this.name = 'WriterUnavailableError';
  }
}

type WriteReply =
  | { readonly id: number; readonly ok: true }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string };

/**
 * The thread's code. A file already at `target` is replaced, also a blob's (same address):
 * ours was hashed as it was written, while the copy there may have been damaged on disk
 * since, and keeping it kept the damage for every later letter with those bytes (found in
 * review); a reader holding the old copy open reads it to its end. Directories that refuse
 * fsync (some file systems) are skipped, as in atomic-write.ts.
 */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
function syncDir(dir) {
  const fd = fs.openSync(dir, 'r');
  try { fs.fsyncSync(fd); }
  catch (e) { if (e.code !== 'EINVAL' && e.code !== 'EISDIR' && e.code !== 'EPERM') throw e; }
  finally { fs.closeSync(fd); }
}
function place(t) {
  const dir = path.dirname(t.target);
  // A replace may write its temp file beside the target: the directory must be there first.
  const created = fs.mkdirSync(dir, { recursive: true });
  const fd = fs.openSync(t.tmpPath, 'wx', 0o640);
  try {
    let offset = 0;
    while (offset < t.bytes.byteLength) offset += fs.writeSync(fd, t.bytes, offset, t.bytes.byteLength - offset);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(t.tmpPath, t.target);
  syncDir(dir);
  if (created !== undefined || t.syncParents) { syncDir(path.dirname(dir)); syncDir(t.root); }
}
parentPort.postMessage('ready');
parentPort.on('message', (t) => {
  let current;
  try {
    if (t.unlessExists === undefined || !fs.existsSync(t.unlessExists)) {
      for (const f of t.files) { current = f; place(f); }
    }
    parentPort.postMessage({ id: t.id, ok: true });
  } catch (e) {
    try { if (current) fs.unlinkSync(current.tmpPath); } catch {}
    parentPort.postMessage({ id: t.id, ok: false, message: String(e && e.message), code: e && e.code });
  }
});
`;

interface WriterThread {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve(): void; reject(error: Error): void }>;
  /** Started: its first message came. */
  online: boolean;
}

/** A small pool of threads doing durable writes. */
export class DurableFileWriter {
  private readonly threads: WriterThread[] = [];
  private nextId = 1;
  private closed = false;
  /** Set when a thread ended before it started: from then on every write is refused at once. */
  private unavailable = false;

  /** Up to `size` threads (at least 1), started as writes arrive. */
  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`Durable writer threads must be a positive integer, got ${size}`);
  }

  /**
   * Writes `bytes` to `tmpPath` (same file system as `target`), fsyncs it and moves it to
   * `target` (replacing a file there), fsyncing the target's directory, and its parents up to
   * `root` when it creates them or `syncParents` asks. Rejects with the file system's error
   * (its `code` kept), removing the temp file; with WriterUnavailableError when no thread
   * could start.
   */
  place(tmpPath: string, target: string, root: string, syncParents: boolean, bytes: Uint8Array): Promise<void> {
    return this.post({ files: [{ tmpPath, target, root, syncParents, bytes }] });
  }

  /**
   * Replaces each `target` in turn with its `bytes`, in one round trip, so that a reader sees
   * the old file or the whole new one, never part of one, even after a crash (as
   * writeFileAtomic in src/channels/atomic-write.ts): a temp file beside it (a leading dot
   * and `.tmp`, which pollers of `*.pdf` and `*.json` pass by), fsync, rename over the
   * target, fsync of its directory, which is created (and its parent fsynced) when missing.
   * Nothing is written when `unlessExists` is there (checked first, in the thread). A
   * failure leaves the files before it replaced, and none of its own.
   */
  replaceAll(
    files: readonly { readonly target: string; readonly bytes: Uint8Array }[],
    unlessExists?: string,
  ): Promise<void> {
    return this.post({
      files: files.map(({ target, bytes }) => {
        const dir = dirname(target);
        const tmpPath = join(dir, `.${basename(target)}.${randomUUID()}.tmp`);
        return { tmpPath, target, root: dirname(dir), syncParents: false, bytes };
      }),
      ...(unlessExists === undefined ? {} : { unlessExists }),
    });
  }

  private post(write: Omit<WriteTask, 'id'>): Promise<void> {
    if (this.closed) return Promise.reject(new Error('Skrivetrådene er stoppet'));
    if (this.unavailable) return Promise.reject(new WriterUnavailableError());
    let thread: WriterThread;
    try {
      thread = this.leastBusy();
    } catch {
      // new Worker itself failed (no memory or threads left for one).
      this.unavailable = true;
      return Promise.reject(new WriterUnavailableError());
    }
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const task: WriteTask = { id, ...write };
      thread.worker.postMessage(task); // may throw (bytes that cannot be copied): nothing is registered then
      thread.pending.set(id, { resolve, reject });
      thread.worker.ref();
    });
  }

  /** Stops the threads; writes in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private leastBusy(): WriterThread {
    let least: WriterThread | undefined;
    for (const t of this.threads) if (least === undefined || t.pending.size < least.pending.size) least = t;
    if (least !== undefined && (least.pending.size === 0 || this.threads.length >= this.size)) return least;
    return this.spawn();
  }

  private spawn(): WriterThread {
    const worker = new Worker(THREAD_SOURCE, { eval: true });
    const thread: WriterThread = { worker, pending: new Map(), online: false };
    worker.unref();
    worker.on('message', (reply: WriteReply | 'ready') => {
      if (reply === 'ready') {
        thread.online = true;
        return;
      }
      const waiting = thread.pending.get(reply.id);
      thread.pending.delete(reply.id);
      if (thread.pending.size === 0) worker.unref();
      if (waiting === undefined) return;
      if (reply.ok) waiting.resolve();
      else
        waiting.reject(Object.assign(new Error(reply.message), reply.code === undefined ? {} : { code: reply.code }));
    });
    let failure: Error | undefined;
    worker.on('error', (thrown: unknown) => {
      failure = thrown instanceof Error ? thrown : new Error(String(thrown));
    });
    worker.on('exit', (code) => {
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads.splice(index, 1);
      if (!thread.online && !this.closed) this.unavailable = true;
      const ended = thread.online
        ? (failure ?? new Error(`Skrivetråden stoppet (kode ${code})`))
        : new WriterUnavailableError();
      for (const waiting of thread.pending.values()) waiting.reject(ended);
      thread.pending.clear();
    });
    this.threads.push(thread);
    return thread;
  }
}
