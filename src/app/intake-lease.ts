/**
 * One lease per intake request (BlobStore port): every document a REST, SOAP or admin send
 * stores is put under the request's lease, so the bytes stay while the request validates
 * them and the service claims them for the new forsendelse. When the request ends, claimed
 * or refused, the lease is released: a refused send's documents, held by nothing else, are
 * deleted before the caller gets its answer.
 */
import { randomUUID } from 'node:crypto';
import type { BlobStore } from '../storage/ports.js';

/** A view of `blobs` whose puts take `lease`; everything else goes straight through. */
export function leasedBlobStore(blobs: BlobStore, lease: string): BlobStore {
  return {
    put: (source, options) => blobs.put(source, { ...options, lease }),
    get: (sha256) => blobs.get(sha256),
    stream: (sha256, range) => blobs.stream(sha256, range),
    size: (sha256) => blobs.size(sha256),
    claim: (owner, sha256s) => blobs.claim(owner, sha256s),
    releaseLease: (other) => blobs.releaseLease(other),
    release: (owner) => blobs.release(owner),
    collectGarbage: (graceMs, now) => blobs.collectGarbage(graceMs, now),
    delete: (sha256) => blobs.delete(sha256),
    close: () => blobs.close(),
  };
}

/**
 * Runs `intake` with a blob store whose puts hold a fresh lease, and releases the lease
 * when it ends, however it ends. A release that fails is reported to `onReleaseError` and
 * left to lease expiry (collectGarbage), never turned into the request's error.
 */
export async function withIntakeLease<T>(
  blobs: BlobStore,
  intake: (leased: BlobStore) => Promise<T>,
  onReleaseError: (error: unknown) => void = () => {},
): Promise<T> {
  const lease = `intake:${randomUUID()}`;
  try {
    return await intake(leasedBlobStore(blobs, lease));
  } finally {
    await blobs.releaseLease(lease).catch(onReleaseError);
  }
}
