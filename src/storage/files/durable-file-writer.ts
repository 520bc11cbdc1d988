/**
 * Places a blob whose bytes are in memory in one round trip: a few threads that each do,
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
 * half: a temp file is only ever renamed whole); the next write starts a new thread.
 */
import { Worker } from 'node:worker_threads';

/** One durable write, as posted to a thread. */
interface WriteTask {
  readonly id: number;
  readonly tmpPath: string;
  readonly target: string;
  /** Directory of the blob tree: the top of the directories a new path may create. */
  readonly root: string;
  readonly bytes: Uint8Array;
}

type WriteReply = { readonly id: number; readonly ok: true } | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string };

/**
 * The thread's code. With `existsSync(target)` the stored copy (same address, same bytes)
 * is as good as ours and is fsynced again: the put that placed it may not have got that far.
 * Directories that refuse fsync (some file systems) are skipped, as in atomic-write.ts.
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
  const dir = path.dirname(t.target);
  if (fs.existsSync(t.target)) {
    fs.unlinkSync(t.tmpPath);
    syncDir(dir);
    return;
  }
  const created = fs.mkdirSync(dir, { recursive: true });
  fs.renameSync(t.tmpPath, t.target);
  syncDir(dir);
  if (created !== undefined) { syncDir(path.dirname(dir)); syncDir(t.root); }
}
parentPort.on('message', (t) => {
  try {
    place(t);
    parentPort.postMessage({ id: t.id, ok: true });
  } catch (e) {
    try { fs.unlinkSync(t.tmpPath); } catch {}
    parentPort.postMessage({ id: t.id, ok: false, message: String(e && e.message), code: e && e.code });
  }
});
`;

interface WriterThread {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve(): void; reject(error: Error): void }>;
}

/** A small pool of threads doing durable writes. */
export class DurableFileWriter {
  private readonly threads: WriterThread[] = [];
  private nextId = 1;
  private closed = false;

  /** Up to `size` threads (at least 1), started as writes arrive. */
  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`Durable writer threads must be a positive integer, got ${size}`);
  }

  /**
   * Writes `bytes` to `tmpPath` (same file system as `target`), fsyncs it and moves it to
   * `target` (kept when present), fsyncing the directories up to `root`. Rejects with the
   * file system's error (its `code` kept) and leaves no temp file.
   */
  place(tmpPath: string, target: string, root: string, bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error('Skrivetrådene er stoppet'));
    const thread = this.leastBusy();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.ref();
      const task: WriteTask = { id, tmpPath, target, root, bytes };
      thread.worker.postMessage(task);
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
    const thread: WriterThread = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (reply: WriteReply) => {
      const waiting = thread.pending.get(reply.id);
      thread.pending.delete(reply.id);
      if (thread.pending.size === 0) worker.unref();
      if (waiting === undefined) return;
      if (reply.ok) waiting.resolve();
      else waiting.reject(Object.assign(new Error(reply.message), reply.code === undefined ? {} : { code: reply.code }));
    });
    let failure: Error | undefined;
    worker.on('error', (thrown: unknown) => {
      failure = thrown instanceof Error ? thrown : new Error(String(thrown));
    });
    worker.on('exit', (code) => {
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads.splice(index, 1);
      const ended = failure ?? new Error(`Skrivetråden stoppet (kode ${code})`);
      for (const waiting of thread.pending.values()) waiting.reject(ended);
      thread.pending.clear();
    });
    this.threads.push(thread);
    return thread;
  }
}
