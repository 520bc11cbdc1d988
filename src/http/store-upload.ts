/**
 * Stores one uploaded document (a REST multipart file, a SOAP MTOM attachment). A small one
 * is gathered in memory and stored whole: one round trip to the blob store's writer thread
 * instead of a streamed write, and the PDF check reads the bytes handed on here instead of
 * reading them back (SendOptions.documentBytes). A large one streams into the store as it
 * arrives, so a body of several hundred MB never sits in memory.
 *
 * Memory is bounded twice: per request (IN_MEMORY_REQUEST_BYTES) and for the whole process
 * (IN_MEMORY_PROCESS_BYTES, shared by every request in flight). When either is spent, the
 * next document streams to the store like a large one: slower, never refused. Without the
 * process-wide bound (and the one on whole-file checks, src/composition/check-gate.ts), 100 sends
 * of 8 × 1 MB waiting for their PDF checks raised the node's RSS by 1.3 GB, with both by
 * 0.48 GB (bench/memory-hostile.ts --only concurrent; docs/limits.md).
 */
import type { BlobRef } from '../domain/model.js';
import type { BlobStore } from '../storage/ports.js';

/** A document up to this size is gathered in memory. */
export const IN_MEMORY_DOCUMENT_BYTES = 1024 * 1024;
/** At most this much of one request's documents is held in memory (the rest streams): many small parts cannot fill the heap. */
export const IN_MEMORY_REQUEST_BYTES = 8 * 1024 * 1024;
/** At most this much of all requests' documents together is held in memory (the rest streams). */
export const IN_MEMORY_PROCESS_BYTES = 64 * 1024 * 1024;

/** Bytes of uploads held in memory by every request of the process together. */
export class UploadMemoryPool {
  private used = 0;

  constructor(readonly capacity: number) {}

  /** Bytes held now. */
  get held(): number {
    return this.used;
  }

  /** Takes `bytes` when they fit; false (nothing taken) when they do not. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.capacity) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/** The process's pool: every door's requests draw on it. */
export const processUploadMemory = new UploadMemoryPool(IN_MEMORY_PROCESS_BYTES);

/**
 * What one request may hold in memory, drawn from the process's pool. The door that made it
 * calls `release()` when the request is answered (its documents' bytes are no longer used).
 */
export class InMemoryBudget {
  private left = IN_MEMORY_REQUEST_BYTES;
  private held = 0;
  private released = false;

  constructor(private readonly pool: UploadMemoryPool = processUploadMemory) {}

  /** Takes `bytes` from this request's share and the pool; false (nothing taken) when either is spent. */
  take(bytes: number): boolean {
    if (this.released || bytes > this.left || !this.pool.take(bytes)) return false;
    this.left -= bytes;
    this.held += bytes;
    return true;
  }

  /** Gives back bytes taken and no longer held (an upload that went on streaming). */
  give(bytes: number): void {
    if (this.released) return;
    const given = Math.min(bytes, this.held);
    this.held -= given;
    this.left += given;
    this.pool.give(given);
  }

  /** The request is answered: everything it holds goes back to the pool. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.pool.give(this.held);
    this.held = 0;
  }
}

/** Runs `use` with a fresh request budget, released when `use` has ended (the request is answered). */
export async function withInMemoryBudget<T>(use: (budget: InMemoryBudget) => Promise<T>): Promise<T> {
  const budget = new InMemoryBudget();
  try {
    return await use(budget);
  } finally {
    budget.release();
  }
}

/** A stored upload; `bytes` when it was gathered in memory. */
export interface StoredUpload {
  readonly blob: BlobRef;
  readonly bytes?: Uint8Array;
}

/**
 * Stores `source`: in memory while it stays within IN_MEMORY_DOCUMENT_BYTES and `budget`,
 * else streamed from there on. `whole` is asked once the source has ended, before anything
 * is placed: it throws for a source that ended cut short (a size limit), so no blob is left.
 */
export async function storeUpload(
  source: AsyncIterable<Uint8Array>,
  blobs: BlobStore,
  budget: InMemoryBudget,
  options: { readonly maxBytes?: number; readonly whole?: () => void } = {},
): Promise<StoredUpload> {
  const chunks = source[Symbol.asyncIterator]();
  const whole = options.whole ?? (() => undefined);
  const put = { maxBytes: options.maxBytes };
  const head: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done === true) {
        whole();
        const bytes = Buffer.concat(head, size);
        const blob = await blobs.put(bytes, put);
        // Held by the request from here (SendOptions.documentBytes) until it is answered.
        size = 0;
        return { blob, bytes };
      }
      head.push(next.value);
      if (size + next.value.byteLength > IN_MEMORY_DOCUMENT_BYTES || !budget.take(next.value.byteLength)) break;
      size += next.value.byteLength;
    }
    async function* headThenRest(): AsyncIterable<Uint8Array> {
      yield* head.splice(0);
      for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
      whole();
    }
    return { blob: await blobs.put(headThenRest(), put) };
  } finally {
    // A document that streamed, or failed, holds nothing once its put has ended.
    budget.give(size);
  }
}
