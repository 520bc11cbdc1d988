/**
 * Stores one uploaded document (a REST multipart file, a SOAP MTOM attachment). A small one
 * is gathered in memory and stored whole: one round trip to the blob store's writer thread
 * instead of a streamed write, and the PDF check reads the bytes handed on here instead of
 * reading them back (SendOptions.documentBytes). A large one streams into the store as it
 * arrives, so a body of several hundred MB never sits in memory.
 */
import type { BlobRef } from '../domain/model.js';
import type { BlobStore } from '../storage/ports.js';

/** A document up to this size is gathered in memory. */
export const IN_MEMORY_DOCUMENT_BYTES = 1024 * 1024;
/** At most this much of one request's documents is held in memory (the rest streams): many small parts cannot fill the heap. */
export const IN_MEMORY_REQUEST_BYTES = 8 * 1024 * 1024;

/** A stored upload; `bytes` when it was gathered in memory. */
export interface StoredUpload {
  readonly blob: BlobRef;
  readonly bytes?: Uint8Array;
}

/** What one request may still hold in memory; shared by its uploads. */
export interface InMemoryBudget {
  left: number;
}

/** A fresh budget for one request. */
export function inMemoryBudget(): InMemoryBudget {
  return { left: IN_MEMORY_REQUEST_BYTES };
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
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) {
      whole();
      const bytes = Buffer.concat(head, size);
      budget.left -= size;
      return { blob: await blobs.put(bytes, put), bytes };
    }
    head.push(next.value);
    size += next.value.byteLength;
    if (size > Math.min(IN_MEMORY_DOCUMENT_BYTES, budget.left)) break;
  }
  async function* headThenRest(): AsyncIterable<Uint8Array> {
    yield* head.splice(0);
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
    whole();
  }
  return { blob: await blobs.put(headThenRest(), put) };
}
