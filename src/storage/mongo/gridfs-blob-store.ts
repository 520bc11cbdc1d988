/**
 * Content-addressed blob store on MongoDB GridFS, through the driver's own GridFSBucket.
 * (The `gridfs-stream` package is unmaintained and fails with current drivers; see
 * docs/cluster.md.)
 *
 * The address is the SHA-256 of the bytes, known only once a streamed upload ends. So the
 * bytes go to GridFS under a fresh ObjectId and a `pending-…` file name, and the small
 * `<bucket>.blobs` collection maps sha256 → GridFS file id. Its `_id` is the sha256, so
 * the unique `_id` index makes the mapping the single point of deduplication: of two
 * concurrent puts of the same bytes one mapping wins and the other upload is deleted.
 * The file is renamed to its sha256 before the mapping is written, so `fs.files` reads
 * naturally in a shell. Writes use w: majority + journal: a document is stored when the
 * forsendelse that holds it is acknowledged (docs/architecture.md, flow step 3).
 *
 * Who holds a blob (BlobStore port): `<bucket>.refs` {owner, sha256} and `<bucket>.leases`
 * {lease, sha256, at}. Without a transaction spanning them, deletion is made safe against a
 * concurrent put by a generation counter on the mapping: a put records its lease first and
 * then bumps `gen` (or inserts the mapping); a collector reads `gen`, then finds no lease,
 * then no reference (in that order: a claim adds its reference before its lease ends), and
 * deletes the mapping only if `gen` is unchanged (a conditional delete). So either the
 * collector saw the lease, or the put's bump made the delete miss, or the mapping was gone
 * before the put looked and the put maps its own upload. Only then are the bytes removed.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { GridFSBucket, type Collection, type Db, type GridFSBucketWriteStream, type ObjectId } from 'mongodb';
import type { BlobRef } from '../../domain/model.js';
import { NotFoundError, PayloadTooLargeError } from '../../domain/errors.js';
import type { BlobStore, ByteRange, PutOptions } from '../ports.js';
import { backfillBlobReferences } from './blob-refs-backfill.js';
import { GridFsChunkSweep } from './gridfs-chunk-sweep.js';
import { MongoBlobHolds } from './mongo-blob-holds.js';
import { isDuplicateKeyError } from './mongo-errors.js';

interface BlobDoc {
  /** Lower-case hex SHA-256 of the bytes. */
  _id: string;
  fileId: ObjectId;
  size: number;
  createdAt: Date;
  /** Bumped by every put that finds the blob present (absent on mappings written before). */
  gen?: number;
}

const DURABLE = { w: 'majority', journal: true } as const;

/** Settings for GridFsBlobStore.open. */
export interface GridFsBlobStoreOptions {
  /** GridFS bucket name, default `blobs` (collections `blobs.files`, `blobs.chunks`, `blobs.map`). */
  readonly bucketName?: string;
  /** The read model's collection, whose letters get references once (blob-refs-backfill.ts); default `forsendelser`. */
  readonly forsendelser?: string;
}

/** BlobStore over a GridFS bucket plus a sha256 → file id mapping. */
export class GridFsBlobStore implements BlobStore {
  private constructor(
    private readonly bucket: GridFSBucket,
    private readonly map: Collection<BlobDoc>,
    private readonly files: Collection,
    private readonly chunks: Collection,
    private readonly holds: MongoBlobHolds,
    private readonly chunkSweep: GridFsChunkSweep,
  ) {}

  /**
   * Opens the bucket and the mapping collection, creates the mapping's index, and gives
   * letters stored before reference tracking their references (once per database).
   */
  static async open(db: Db, options: GridFsBlobStoreOptions = {}): Promise<GridFsBlobStore> {
    const name = options.bucketName ?? 'blobs';
    const bucket = new GridFSBucket(db, { bucketName: name, writeConcern: DURABLE });
    const map = db.collection<BlobDoc>(`${name}.map`, { writeConcern: DURABLE, readConcern: { level: 'majority' } });
    await map.createIndex({ fileId: 1 }, { name: 'fileId', unique: true });
    const files = db.collection(`${name}.files`, { writeConcern: DURABLE });
    const chunks = db.collection(`${name}.chunks`, { writeConcern: DURABLE });
    const holds = await MongoBlobHolds.open(db, name);
    await backfillBlobReferences(db, holds, options.forsendelser);
    const chunkSweep = new GridFsChunkSweep(chunks, files, db.collection(`${name}.gc`, { writeConcern: DURABLE }));
    return new GridFsBlobStore(bucket, map, files, chunks, holds, chunkSweep);
  }

  /** Stores the bytes (hashing while streaming) under a lease and returns their address. */
  async put(source: Uint8Array | AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<BlobRef> {
    const { maxBytes } = options;
    const lease = options.lease ?? `put:${randomUUID()}`;
    if (source instanceof Uint8Array) {
      if (maxBytes !== undefined && source.byteLength > maxBytes) throw tooLarge(maxBytes);
      // The address is known up front: bytes already stored cost a lease and a bump.
      const sha256 = createHash('sha256').update(source).digest('hex');
      await this.holds.takeLease(lease, sha256);
      const existing = await this.map.findOneAndUpdate({ _id: sha256 }, { $inc: { gen: 1 } });
      if (existing !== null) return { sha256, size: existing.size };
      return this.upload([source], maxBytes, lease);
    }
    return this.upload(source, maxBytes, lease);
  }

  /**
   * Records that `owner` uses the blobs (idempotent), then bumps each mapping's `gen`: a
   * collector that looked before the reference existed then misses its conditional delete,
   * and a mapping already gone (the lease expired first) fails the claim.
   */
  async claim(owner: string, sha256s: readonly string[]): Promise<void> {
    await this.holds.claim(owner, sha256s);
    for (const sha256 of new Set(sha256s)) {
      if ((await this.map.updateOne({ _id: sha256 }, { $inc: { gen: 1 } })).matchedCount === 0) {
        await this.holds.dropReference(owner, sha256);
        throw new Error(`Dokumentet ${sha256} ble slettet før forsendelsen var lagret; send forsendelsen på nytt`);
      }
    }
  }

  /**
   * Ends the lease; deletes the blobs nothing holds any more. Each lease row goes only after
   * its blob was collected (or found held): deleting the rows first, a process dying (or a
   * collection failing) before the deletion left blobs that nothing holds and nothing would
   * ever look at again — a refused send's or a purged letter's documents kept for good.
   */
  async releaseLease(lease: string): Promise<number> {
    let deleted = 0;
    for (const sha256 of await this.holds.leasedBy(lease)) {
      if (await this.collectOne(sha256, { lease })) deleted += 1;
      await this.holds.endLease(lease, sha256);
    }
    return deleted;
  }

  /** Drops `owner`'s references; deletes the blobs nothing holds any more. */
  async release(owner: string): Promise<number> {
    const shas = await this.holds.referencedBy(owner);
    if (shas.length === 0) return 0;
    // A lease marks the blobs to look at: if this process dies before collecting, the
    // lease expires and collectGarbage finishes the job.
    const lease = `release:${owner}`;
    for (const sha256 of shas) await this.holds.takeLease(lease, sha256);
    await this.holds.dropReferences(owner);
    return this.releaseLease(lease);
  }

  /**
   * Expires leases older than `graceMs`, deletes the blobs nothing holds, and the GridFS
   * files an interrupted put or deletion left (`pending-…` / `deleting-…` names, found
   * through GridFS's filename index, so this does not scan every stored file), and the
   * chunks of uploads killed before their file existed (GridFsChunkSweep).
   */
  async collectGarbage(graceMs: number, now = Date.now()): Promise<number> {
    let deleted = 0;
    for await (const row of this.holds.expiredLeases(new Date(now - graceMs))) {
      // The row is ignored as it was read (a put of the same lease and bytes sets a new
      // `at`, which still holds), and deleted only after the collection (see releaseLease).
      if (await this.collectOne(row.sha256, { lease: row.lease, at: row.at })) deleted += 1;
      await this.holds.expire(row);
    }
    for (const prefix of [/^pending-/, /^deleting-/]) {
      const unfinished = this.files.find(
        { filename: prefix, uploadDate: { $lt: new Date(now - graceMs) } },
        { projection: { _id: 1 } },
      );
      for await (const file of unfinished) deleted += await this.deleteIfUnmapped(file['_id'] as ObjectId);
    }
    deleted += await this.chunkSweep.run(new Date(now - graceMs));
    return deleted;
  }

  /** Whole content; NotFoundError if absent. */
  async get(sha256: string): Promise<Uint8Array> {
    const doc = await this.lookup(sha256);
    const parts: Buffer[] = [];
    for await (const part of this.bucket.openDownloadStream(doc.fileId)) parts.push(part as Buffer);
    const whole = Buffer.concat(parts, doc.size);
    return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
  }

  /** Streams the content or an inclusive byte range of it; NotFoundError if absent. */
  async stream(sha256: string, range?: ByteRange): Promise<Readable> {
    const doc = await this.lookup(sha256);
    if (range === undefined) return this.bucket.openDownloadStream(doc.fileId);
    const { start } = range;
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(range.end) ||
      start < 0 ||
      range.end < start ||
      start >= doc.size
    ) {
      throw new RangeError(`Ugyldig byteområde ${start}-${range.end} for et dokument på ${doc.size} byte`);
    }
    // HTTP ranges are inclusive and may run past the end; GridFS's `end` is exclusive
    // and must not exceed the length.
    const end = Math.min(range.end, doc.size - 1) + 1;
    return this.bucket.openDownloadStream(doc.fileId, { start, end });
  }

  /** Size in bytes, or undefined if absent. */
  async size(sha256: string): Promise<number | undefined> {
    const doc = await this.map.findOne({ _id: sha256 }, { projection: { size: 1 } });
    return doc?.size;
  }

  /** Removes the blob; absent is not an error. */
  async delete(sha256: string): Promise<void> {
    // Mapping first: from then on readers get NotFound, and a crash before the file is
    // gone leaves an orphan for deleteOrphans, never a mapping to missing bytes.
    const doc = await this.map.findOneAndDelete({ _id: sha256 });
    if (doc !== null) await this.deleteFile(doc.fileId);
  }

  /**
   * Deletes GridFS files uploaded before `olderThan` (epoch ms) that no mapping points to:
   * the leftovers of a put or delete that a crash interrupted. Returns how many.
   */
  async deleteOrphans(olderThan: number): Promise<number> {
    let deleted = 0;
    const cursor = this.files.find({ uploadDate: { $lt: new Date(olderThan) } }, { projection: { _id: 1 } });
    for await (const file of cursor) deleted += await this.deleteIfUnmapped(file['_id'] as ObjectId);
    return deleted;
  }

  /** Deletes the GridFS file unless a mapping points to it; 1 when deleted. */
  private async deleteIfUnmapped(fileId: ObjectId): Promise<number> {
    if ((await this.map.countDocuments({ fileId }, { limit: 1 })) > 0) return 0;
    await this.deleteFile(fileId);
    return 1;
  }

  /** Nothing to release: the client belongs to the MongoConnection. */
  async close(): Promise<void> {}

  /**
   * Deletes the blob if nothing but the `ending` lease holds it and no put touched it
   * meanwhile (see the header).
   */
  private async collectOne(sha256: string, ending: { readonly lease: string; readonly at?: Date }): Promise<boolean> {
    const doc = await this.map.findOne({ _id: sha256 });
    if (doc === null) return false;
    if (await this.holds.isHeld(sha256, ending)) return false;
    // Named for deletion first: should this process die between the mapping and the file,
    // collectGarbage finds the unmapped file by its name instead of scanning every file.
    try {
      await this.bucket.rename(doc.fileId, `deleting-${sha256}`);
    } catch (error) {
      // GridFSBucket.rename throws when the file is gone: another node's collection of the
      // same blob won (its mapping is gone too), which is not this release's failure.
      if ((await this.map.countDocuments({ _id: sha256, fileId: doc.fileId }, { limit: 1 })) === 0) return false;
      throw error;
    }
    const gone = await this.map.deleteOne({
      _id: sha256,
      fileId: doc.fileId,
      gen: doc.gen === undefined ? { $exists: false } : doc.gen,
    });
    if (gone.deletedCount !== 1) {
      // A put touched it meanwhile: it stays (the name is cosmetic, the mapping is what counts).
      await this.bucket.rename(doc.fileId, sha256).catch(() => undefined);
      return false;
    }
    await this.deleteFile(doc.fileId);
    return true;
  }

  private async lookup(sha256: string): Promise<BlobDoc> {
    const doc = await this.map.findOne({ _id: sha256 });
    if (doc === null) throw new NotFoundError('Dokument');
    return doc;
  }

  /** Streams `source` into a new GridFS file, leases it, then maps its sha256 to it (or dedupes). */
  private async upload(
    source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
    maxBytes: number | undefined,
    lease: string,
  ): Promise<BlobRef> {
    const upload = this.bucket.openUploadStream(`pending-${randomUUID()}`);
    // Failures also arrive through the write/end callbacks; without a listener an
    // 'error' event would be thrown at the process.
    upload.on('error', () => {});
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (maxBytes !== undefined && size > maxBytes) throw tooLarge(maxBytes);
        hash.update(chunk);
        if (chunk.byteLength > 0) await write(upload, chunk);
      }
      upload.end();
      await finished(upload);
    } catch (error) {
      await this.discard(upload);
      throw error;
    }
    const sha256 = hash.digest('hex');
    const fileId = upload.id;
    try {
      await this.holds.takeLease(lease, sha256);
      await this.bucket.rename(fileId, sha256);
      for (;;) {
        try {
          await this.map.insertOne({ _id: sha256, fileId, size, createdAt: new Date(), gen: 0 });
          return { sha256, size };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        // Another put of the same bytes won the mapping: those bytes are the blob, once
        // the bump shows the mapping is still there (a collector may have just removed it).
        const winner = await this.map.findOneAndUpdate({ _id: sha256 }, { $inc: { gen: 1 } });
        if (winner !== null) {
          // The winner may be this very insert (applied, its answer lost, its retry
          // refused as a duplicate): then this file is the blob and must stay.
          if (!winner.fileId.equals(fileId)) await this.deleteFile(fileId);
          return { sha256, size };
        }
      }
    } catch (error) {
      await this.deleteUnlessMapped(fileId);
      throw error;
    }
  }

  /**
   * After a failed mapping insert: deletes the upload unless a mapping points to it after
   * all (an insert that was applied though its caller saw an error, e.g. no primary for its
   * retry). Read from the primary's latest data, not the majority snapshot, which may not
   * show that insert yet. If even that read fails the file is kept: bytes kept is the safe
   * side, bytes a mapping points to being deleted is not.
   */
  private async deleteUnlessMapped(fileId: ObjectId): Promise<void> {
    const mapped = await this.map
      .countDocuments({ fileId }, { limit: 1, readConcern: { level: 'local' } })
      .catch(() => 1);
    if (mapped === 0) await this.deleteFile(fileId);
  }

  /** Removes what an unfinished upload wrote. */
  private async discard(upload: GridFSBucketWriteStream): Promise<void> {
    upload.destroy();
    await this.deleteFile(upload.id);
  }

  /**
   * Chunks first, the `files` document last: a process death or failover in between then
   * leaves a file (named `deleting-…`/`pending-…`, or unmapped) that collectGarbage and
   * deleteOrphans find and finish. The other order left chunks no file names, behind the
   * chunk sweep's mark, which nothing would ever find again.
   */
  private async deleteFile(fileId: ObjectId): Promise<void> {
    await this.chunks.deleteMany({ files_id: fileId });
    await this.files.deleteOne({ _id: fileId });
  }
}

/** Writes one chunk and waits until GridFS has taken it (backpressure, errors). */
function write(stream: GridFSBucketWriteStream, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`Dokumentet er større enn grensen på ${maxBytes} byte`);
}
