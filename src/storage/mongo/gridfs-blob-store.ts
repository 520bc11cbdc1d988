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
 * forsendelse that holds it is acknowledged (DESIGN.md, flow step 3).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { GridFSBucket, type Collection, type Db, type GridFSBucketWriteStream, type ObjectId } from 'mongodb';
import type { BlobRef } from '../../domain/model.js';
import { NotFoundError, PayloadTooLargeError } from '../../domain/errors.js';
import type { BlobStore, ByteRange } from '../ports.js';
import { isDuplicateKeyError } from './mongo-errors.js';

interface BlobDoc {
  /** Lower-case hex SHA-256 of the bytes. */
  _id: string;
  fileId: ObjectId;
  size: number;
  createdAt: Date;
}

const DURABLE = { w: 'majority', journal: true } as const;

/** Settings for GridFsBlobStore.open. */
export interface GridFsBlobStoreOptions {
  /** GridFS bucket name, default `blobs` (collections `blobs.files`, `blobs.chunks`, `blobs.map`). */
  readonly bucketName?: string;
}

/** BlobStore over a GridFS bucket plus a sha256 → file id mapping. */
export class GridFsBlobStore implements BlobStore {
  private constructor(
    private readonly bucket: GridFSBucket,
    private readonly map: Collection<BlobDoc>,
    private readonly files: Collection,
    private readonly chunks: Collection,
  ) {}

  /** Opens the bucket and the mapping collection and creates the mapping's index. */
  static async open(db: Db, options: GridFsBlobStoreOptions = {}): Promise<GridFsBlobStore> {
    const name = options.bucketName ?? 'blobs';
    const bucket = new GridFSBucket(db, { bucketName: name, writeConcern: DURABLE });
    const map = db.collection<BlobDoc>(`${name}.map`, { writeConcern: DURABLE, readConcern: { level: 'majority' } });
    await map.createIndex({ fileId: 1 }, { name: 'fileId', unique: true });
    const files = db.collection(`${name}.files`, { writeConcern: DURABLE });
    const chunks = db.collection(`${name}.chunks`, { writeConcern: DURABLE });
    return new GridFsBlobStore(bucket, map, files, chunks);
  }

  /** Stores the bytes (hashing while streaming) and returns their address. */
  async put(source: Uint8Array | AsyncIterable<Uint8Array>, options: { maxBytes?: number } = {}): Promise<BlobRef> {
    const { maxBytes } = options;
    if (source instanceof Uint8Array) {
      if (maxBytes !== undefined && source.byteLength > maxBytes) throw tooLarge(maxBytes);
      // The address is known up front: bytes already stored cost one lookup.
      const sha256 = createHash('sha256').update(source).digest('hex');
      const existing = await this.map.findOne({ _id: sha256 });
      if (existing !== null) return { sha256, size: existing.size };
      return this.upload([source], maxBytes);
    }
    return this.upload(source, maxBytes);
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
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(range.end) || start < 0 || range.end < start || start >= doc.size) {
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
    for await (const file of cursor) {
      const fileId = file['_id'] as ObjectId;
      if ((await this.map.countDocuments({ fileId }, { limit: 1 })) === 0) {
        await this.deleteFile(fileId);
        deleted += 1;
      }
    }
    return deleted;
  }

  /** Nothing to release: the client belongs to the MongoConnection. */
  async close(): Promise<void> {}

  private async lookup(sha256: string): Promise<BlobDoc> {
    const doc = await this.map.findOne({ _id: sha256 });
    if (doc === null) throw new NotFoundError('Dokument');
    return doc;
  }

  /** Streams `source` into a new GridFS file, then maps its sha256 to it (or dedupes). */
  private async upload(source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, maxBytes: number | undefined): Promise<BlobRef> {
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
      await this.bucket.rename(fileId, sha256);
      await this.map.insertOne({ _id: sha256, fileId, size, createdAt: new Date() });
    } catch (error) {
      await this.deleteFile(fileId);
      // Another put of the same bytes won the mapping: those bytes are the blob.
      if (isDuplicateKeyError(error)) return { sha256, size };
      throw error;
    }
    return { sha256, size };
  }

  /** Removes what an unfinished upload wrote. */
  private async discard(upload: GridFSBucketWriteStream): Promise<void> {
    upload.destroy();
    await this.deleteFile(upload.id);
  }

  private async deleteFile(fileId: ObjectId): Promise<void> {
    await this.files.deleteOne({ _id: fileId });
    await this.chunks.deleteMany({ files_id: fileId });
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
