/**
 * One custody scope per intake request (src/storage/blob-custody.ts): every document a
 * REST, SOAP or admin send stores is put under the request's lease, so the bytes stay while
 * the request validates them and the service claims them for the new forsendelse. When the
 * request ends, claimed or refused, the lease is released: a refused send's documents, held
 * by nothing else, are deleted before the caller gets its answer; an accepted send's lease,
 * whose documents its letter holds now, ends with the store's next commit, after the answer.
 */
import { withBlobCustody } from '../storage/blob-custody.js';
import type { BlobStore } from '../storage/ports.js';

/**
 * Runs `intake` with a blob store whose puts hold a fresh lease, and releases the lease
 * when it ends, however it ends. A release that fails is reported to `onReleaseError` and
 * left to lease expiry (collectGarbage), never turned into the request's error.
 */
export function withIntakeLease<T>(
  blobs: BlobStore,
  intake: (leased: BlobStore) => Promise<T>,
  onReleaseError: (error: unknown) => void = () => {},
): Promise<T> {
  return withBlobCustody(blobs, (custody) => intake(custody.blobs), {
    name: 'intake',
    onReleaseError,
    endInBackground: true,
  });
}
