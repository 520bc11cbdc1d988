/**
 * Blob custody, once for every BlobStore adapter (it uses only the port's primitives):
 * a scope whose puts hold one lease of their own, whose claims make owners of the bytes,
 * and whose end releases the lease however the scope ends. Bytes a scope stored and did
 * not claim are thus deleted when it ends (a refused send, a failed compose), and bytes it
 * claimed are never unheld in between (the claim is made while the lease still holds them).
 * Intake and the compose job take their blobs this way instead of choreographing
 * put-lease, claim and release by hand.
 */
import { randomUUID } from 'node:crypto';
import type { BlobStore } from './ports.js';

/** What a scope holds its blobs with. */
export interface BlobCustody {
  /** The store, with every put taking this scope's lease (everything else goes straight through). */
  readonly blobs: BlobStore;
  /** The scope's lease (for logs). */
  readonly lease: string;
  /** Makes `owner` hold `sha256s` (BlobStore.claim) while the lease still holds them; durable on return. */
  claim(owner: string, sha256s: readonly string[]): Promise<void>;
}

/** How a custody scope is named and how it reports a release that failed. */
export interface BlobCustodyOptions {
  /** Starts the lease's name (`intake`, `compose:<id>`), so a leftover lease says whose it was. */
  readonly name?: string;
  /**
   * Told of a lease that could not be released; the lease is then left to expiry
   * (collectGarbage). Absent: the release error is the scope's error when the work
   * succeeded, and dropped when the work failed (the work's error is the one that matters).
   */
  readonly onReleaseError?: (error: unknown) => void;
  /**
   * After a scope that succeeded, its lease is ended without waiting for it (it goes with the
   * store's next commit): what it held that mattered is claimed, so nothing depends on it,
   * and a send's answer need not wait a turn of the event loop. Failures go to
   * onReleaseError, which it needs.
   */
  readonly endInBackground?: boolean;
}

/** A view of `blobs` whose puts take `lease`; everything else goes straight through. */
function leasedBlobStore(blobs: BlobStore, lease: string): BlobStore {
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

/** Runs `work` in a custody scope of `blobs` and releases the scope's lease when it ends, however it ends. */
export async function withBlobCustody<T>(
  blobs: BlobStore,
  work: (custody: BlobCustody) => Promise<T>,
  options: BlobCustodyOptions = {},
): Promise<T> {
  const lease = `${options.name ?? 'custody'}:${randomUUID()}`;
  const custody: BlobCustody = {
    blobs: leasedBlobStore(blobs, lease),
    lease,
    claim: (owner, sha256s) => blobs.claim(owner, sha256s),
  };
  let result: T;
  try {
    result = await work(custody);
  } catch (error) {
    await blobs.releaseLease(lease).catch(options.onReleaseError ?? (() => undefined));
    throw error;
  }
  // The work succeeded, so what the lease held that mattered is claimed: its end may go with
  // the store's next commit. An end that is lost leaves the lease to expire (collectGarbage).
  const ending = blobs.releaseLease(lease, { batched: true });
  if (options.onReleaseError === undefined) await ending;
  else if (options.endInBackground === true) void ending.catch(options.onReleaseError);
  else await ending.catch(options.onReleaseError);
  return result;
}

/**
 * Claims `sha256s` for `owner`, then runs `record`, the step that makes the owner exist (a
 * new forsendelse's Motta). When `record` fails and `ownerExists` says no owner came to be,
 * nothing would ever release the claim, so it is released here; when the owner exists (the
 * same id won elsewhere, or the failure came after the commit) the claim is its own. If even
 * that question fails, the claim is kept: bytes kept, never lost.
 */
export async function claimForNewOwner<T>(
  blobs: Pick<BlobStore, 'claim' | 'release'>,
  owner: string,
  sha256s: readonly string[],
  record: () => Promise<T>,
  ownerExists: () => Promise<boolean>,
): Promise<T> {
  await blobs.claim(owner, sha256s);
  try {
    return await record();
  } catch (error) {
    try {
      if (!(await ownerExists())) await blobs.release(owner);
    } catch {
      // Storage is failing: keeping a claim is the safe side.
    }
    throw error;
  }
}
