/**
 * Content-addressed document store on the local filesystem (docs/architecture.md, flow step 3:
 * documents are durable before the caller gets an id). A blob lives at
 * `<dir>/ab/cd/<sha256>`; it is written to `<dir>/tmp/` (same filesystem, so rename is
 * atomic), fsynced, renamed into place and its directory fsynced.
 *
 * Bytes already in memory (a small upload, a composed file) take one round trip to a
 * DurableFileWriter thread, which does the same steps with synchronous calls.
 *
 * Who holds a blob (references and leases, see the BlobStore port) is kept in SQLite by
 * SqliteBlobIndex: the embedded database when given, else `<dir>/index.sqlite`. A put's
 * lease is committed before its bytes are placed, and every unlink of a blob runs inside
 * the index's write transaction, which is what makes a put and a concurrent collection in
 * another process safe (see there).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, unlinkSync } from 'node:fs';
import { mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { NotFoundError, PayloadTooLargeError } from '../../domain/errors.js';
import type { BlobRef } from '../../domain/model.js';
import type { BlobStore, ByteRange, PutOptions } from '../ports.js';
import { openSqlite, type SqliteDatabase } from '../sqlite/open-sqlite.js';
import { SqliteBlobIndex } from '../sqlite/sqlite-blob-index.js';
import { DurableFileWriter, WriterUnavailableError } from './durable-file-writer.js';
import { oldBlobFiles } from './old-blob-files.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** The orphan sweep: first run an hour after the first collection, then daily. */
const ORPHAN_SWEEP_FIRST_MS = 3600_000;
const ORPHAN_SWEEP_EVERY_MS = 24 * 3600_000;
/** In-memory puts up to this size go to a writer thread (a copy is posted); larger ones are written as a stream is. */
const WRITER_THREAD_MAX_BYTES = 8 * 1024 * 1024;

/** How a FileBlobStore writes. */
export interface FileBlobStoreOptions {
  /** Threads for durable writes of in-memory bytes (DurableFileWriter); 0 = libuv's pool for everything. Default 4. */
  readonly writerThreads?: number;
}

/** BlobStore over a directory. */
export class FileBlobStore implements BlobStore {
  private readonly tmpDir: string;
  private ready: Promise<void> | undefined;
  private blobIndex: SqliteBlobIndex | undefined;
  private ownDb: SqliteDatabase | undefined;
  private nextOrphanSweep: number | undefined;
  private readonly writer: DurableFileWriter | undefined;
  /**
   * Blob directories whose entries up to `dir` this process has fsynced (or saw fsynced by a
   * put of its own): a put into one of them fsyncs only its own directory. Another put (or
   * process) may have created a directory and not yet fsynced its parents, so a directory
   * joins the set only after a put of ours did that.
   */
  private readonly durableDirs = new Set<string>();

  /**
   * Keeps blobs under `dir` (created on first write), with references and leases in `db`
   * (the embedded database; borrowed) or, when absent, in its own `<dir>/index.sqlite`.
   */
  constructor(
    private readonly dir: string,
    private readonly db?: SqliteDatabase,
    options: FileBlobStoreOptions = {},
  ) {
    this.tmpDir = join(dir, 'tmp');
    const threads = options.writerThreads ?? 4;
    this.writer = threads > 0 ? new DurableFileWriter(threads) : undefined;
  }

  /** Streams the bytes to a temp file while hashing, then moves it to its address under a lease. */
  async put(source: Uint8Array | AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<BlobRef> {
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    await this.ensureDirs();
    if (source instanceof Uint8Array && this.writer !== undefined && source.byteLength <= WRITER_THREAD_MAX_BYTES) {
      const placed = await this.putOnWriterThread(
        this.writer,
        source,
        maxBytes,
        options.lease ?? `put:${randomUUID()}`,
      );
      if (placed !== undefined) return placed;
    }
    const tmpPath = join(this.tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const handle = await open(tmpPath, 'wx', 0o640);
    const out = new StagedWriter(handle);
    try {
      const chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = source instanceof Uint8Array ? [source] : source;
      for await (const chunk of chunks) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          throw new PayloadTooLargeError(`Dokumentet er for stort: større enn grensen på ${maxBytes} byte`);
        }
        hash.update(chunk);
        await out.write(chunk);
      }
      await out.flush();
      await handle.sync();
    } catch (err) {
      await handle.close().catch(() => undefined);
      await unlink(tmpPath).catch(() => undefined);
      throw err;
    }
    await handle.close();
    const sha256 = hash.digest('hex');
    const lease = options.lease ?? `put:${randomUUID()}`;
    let toSync: string[];
    try {
      await this.index().lease(lease, sha256, Date.now());
      toSync = this.placeSync(tmpPath, sha256);
    } catch (err) {
      await unlink(tmpPath).catch(() => undefined);
      this.unleaseQuietly(lease, sha256);
      throw err;
    }
    // The rename is durable once the directory holding the new entry is fsynced (and the
    // directories above it, unless known durable); the caller waits for this.
    for (const dir of toSync) await fsyncDir(dir);
    this.durableDirs.add(dirname(this.pathOf(sha256)));
    return { sha256, size };
  }

  /**
   * The put of bytes in memory: hash here, commit the lease, then one round trip to a
   * writer thread. Undefined when no writer thread can run (the caller writes through
   * libuv's pool instead).
   */
  private async putOnWriterThread(
    writer: DurableFileWriter,
    bytes: Uint8Array,
    maxBytes: number,
    lease: string,
  ): Promise<BlobRef | undefined> {
    if (bytes.byteLength > maxBytes)
      throw new PayloadTooLargeError(`Dokumentet er for stort: større enn grensen på ${maxBytes} byte`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    // Lease first (see the header): from its commit on no collection deletes the address.
    await this.index().lease(lease, sha256, Date.now());
    try {
      await writer.place(
        join(this.tmpDir, `${randomUUID()}.part`),
        target,
        this.dir,
        !this.durableDirs.has(dirname(target)),
        bytes,
      );
    } catch (err) {
      if (err instanceof WriterUnavailableError) return undefined;
      this.unleaseQuietly(lease, sha256);
      throw err;
    }
    this.durableDirs.add(dirname(target));
    return { sha256, size: bytes.byteLength };
  }

  /** Drops a failed put's lease row (a failure here leaves it to expire with the lease). */
  private unleaseQuietly(lease: string, sha256: string): void {
    try {
      this.index().unlease(lease, sha256);
    } catch {
      // The lease expires after the grace period and is collected then.
    }
  }

  /** Records that `owner` uses the blobs. */
  async claim(owner: string, sha256s: readonly string[]): Promise<void> {
    this.claimNow(owner, sha256s);
  }

  /**
   * `claim`, synchronously: in the caller's transaction when one is open on the database
   * the references are kept in (`referenceDatabase`; SqliteChangeWriter).
   */
  claimNow(owner: string, sha256s: readonly string[]): void {
    this.index().claim(owner, sha256s, (sha) => SHA256_HEX.test(sha) && existsSync(this.pathOf(sha)));
  }

  /** The embedded database the references are kept in when it was given (borrowed), else undefined. */
  get referenceDatabase(): SqliteDatabase | undefined {
    return this.db;
  }

  /** Ends the lease; deletes the blobs nothing holds any more. */
  async releaseLease(lease: string, options?: { readonly batched?: boolean }): Promise<number> {
    return this.index().releaseLease(lease, (sha) => this.unlinkSync(sha), options?.batched === true);
  }

  /** Drops `owner`'s references; deletes the blobs nothing holds any more. */
  async release(owner: string): Promise<number> {
    return this.index().release(owner, (sha) => this.unlinkSync(sha));
  }

  /**
   * Expires leases older than `graceMs` and deletes the blobs nothing holds any more; also
   * removes temp files as old (puts killed mid-upload: nothing else ever removed them),
   * and once a day blob files as old that nothing holds (see old-blob-files.ts).
   */
  async collectGarbage(graceMs: number, now = Date.now()): Promise<number> {
    let deleted = this.index().collectExpired(now - graceMs, (sha) => this.unlinkSync(sha));
    await this.removeStaleTempFiles(graceMs, now);
    // The walk of every blob file is done once a day, the first an hour after the first run.
    this.nextOrphanSweep ??= now + ORPHAN_SWEEP_FIRST_MS;
    if (now >= this.nextOrphanSweep) {
      this.nextOrphanSweep = now + ORPHAN_SWEEP_EVERY_MS;
      deleted += await this.removeOrphans(graceMs, now);
    }
    return deleted;
  }

  /** Deletes blob files older than `graceMs` that nothing holds (see old-blob-files.ts), 500 per transaction. */
  private async removeOrphans(graceMs: number, now: number): Promise<number> {
    let removed = 0;
    let batch: string[] = [];
    const flush = (): void => {
      removed += this.index().removeUnheld(batch, (sha) => this.unlinkSync(sha));
      batch = [];
    };
    for await (const sha256 of oldBlobFiles(this.dir, graceMs, now)) {
      batch.push(sha256);
      if (batch.length >= 500) flush();
    }
    flush();
    return removed;
  }

  /** The whole content; NotFoundError when absent. */
  async get(sha256: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.pathOf(sha256)));
    } catch (err) {
      throw notFoundOr(err);
    }
  }

  /** A stream of the content or of an inclusive byte range; NotFoundError when absent. */
  async stream(sha256: string, range?: ByteRange): Promise<Readable> {
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(sha256), 'r');
    } catch (err) {
      throw notFoundOr(err);
    }
    if (range !== undefined && (range.start < 0 || range.end < range.start)) {
      await handle.close();
      throw new RangeError(`Ugyldig byteområde ${range.start}-${range.end}`);
    }
    // The open handle keeps the bytes readable even if the blob is deleted meanwhile.
    return handle.createReadStream(range === undefined ? {} : { start: range.start, end: range.end });
  }

  /** Size in bytes, or undefined when absent. */
  async size(sha256: string): Promise<number | undefined> {
    if (!SHA256_HEX.test(sha256)) return undefined;
    try {
      return (await stat(this.pathOf(sha256))).size;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Removes the blob; absent is fine. */
  async delete(sha256: string): Promise<void> {
    if (!SHA256_HEX.test(sha256)) return;
    try {
      await unlink(this.pathOf(sha256));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /**
   * Removes temp files older than `olderThanMs` (default a day): what a process killed in
   * the middle of a put leaves behind. Another process may be writing a fresh one, hence
   * the age. Returns how many were removed.
   */
  async removeStaleTempFiles(olderThanMs = 24 * 60 * 60 * 1000, now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.tmpDir);
    } catch (err) {
      if (isNotFound(err)) return 0;
      throw err;
    }
    let removed = 0;
    for (const name of names) {
      const path = join(this.tmpDir, name);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined || now - info.mtimeMs < olderThanMs) continue;
      await unlink(path).catch(() => undefined);
      removed += 1;
    }
    return removed;
  }

  /** Stops the writer threads; closes the index database if this store opened it (a borrowed one stays open). */
  async close(): Promise<void> {
    await this.writer?.close();
    this.ownDb?.close();
    this.ownDb = undefined;
    this.blobIndex = undefined;
  }

  private index(): SqliteBlobIndex {
    if (this.blobIndex === undefined) {
      let db = this.db;
      if (db === undefined) {
        mkdirSync(this.dir, { recursive: true });
        db = this.ownDb = openSqlite(join(this.dir, 'index.sqlite'));
      }
      this.blobIndex = new SqliteBlobIndex(db);
    }
    return this.blobIndex;
  }

  /** `<dir>/ab/cd/<sha256>`; anything but 64 lower-case hex digits is unknown (no path tricks). */
  private pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new NotFoundError('Dokument');
    return join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  private ensureDirs(): Promise<void> {
    this.ready ??= mkdir(this.tmpDir, { recursive: true }).then(() => undefined);
    return this.ready;
  }

  /**
   * Moves the temp file to the blob's address, over a copy already there (see
   * durable-file-writer.ts: ours was hashed as it was written, a stored one may have been
   * damaged since); returns the directories to fsync. Called once the lease is committed.
   */
  private placeSync(tmpPath: string, sha256: string): string[] {
    const target = this.pathOf(sha256);
    const created = mkdirSync(dirname(target), { recursive: true });
    renameSync(tmpPath, target);
    return created === undefined && this.durableDirs.has(dirname(target))
      ? [dirname(target)]
      : [dirname(target), dirname(dirname(target)), this.dir];
  }

  /** Unlinks a blob's file (absent is fine); runs inside the index's write transaction. */
  private unlinkSync(sha256: string): void {
    if (!SHA256_HEX.test(sha256)) return;
    try {
      unlinkSync(this.pathOf(sha256));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/**
 * Gathers small chunks (a source may yield a few bytes at a time) into 64 KiB writes.
 * Chunks are copied at once, so a source that reuses its buffer is safe.
 */
class StagedWriter {
  private readonly staging = Buffer.allocUnsafe(64 * 1024);
  private used = 0;

  constructor(private readonly handle: FileHandle) {}

  async write(chunk: Uint8Array): Promise<void> {
    if (this.used + chunk.byteLength > this.staging.length) await this.flush();
    if (chunk.byteLength >= this.staging.length) {
      await writeAll(this.handle, chunk);
      return;
    }
    this.staging.set(chunk, this.used);
    this.used += chunk.byteLength;
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    await writeAll(this.handle, this.staging.subarray(0, this.used));
    this.used = 0;
  }
}

/** Writes the whole chunk (FileHandle.write may write less than asked). */
async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ENOENT';
}

function notFoundOr(err: unknown): unknown {
  return isNotFound(err) ? new NotFoundError('Dokument') : err;
}
