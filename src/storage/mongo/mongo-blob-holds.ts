/**
 * Who holds which blob in cluster mode (see the BlobStore port and GridFsBlobStore):
 * `<bucket>.refs` {owner, sha256} — a forsendelse using the blob — and `<bucket>.leases`
 * {lease, sha256, at} — a put's hold until its intake claims or gives up. Written with
 * w: majority + journal, read with majority, like the mapping they guard.
 */
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError, isOnlyDuplicateKeyWriteErrors } from './mongo-errors.js';

interface RefDoc {
  owner: string;
  sha256: string;
}

interface LeaseDoc {
  lease: string;
  sha256: string;
  at: Date;
}

/** One expired lease row. */
export interface ExpiredLease {
  readonly lease: string;
  readonly sha256: string;
  readonly at: Date;
}

const OPTIONS = { writeConcern: { w: 'majority', journal: true }, readConcern: { level: 'majority' } } as const;

/** References and leases on two collections of the bucket. */
export class MongoBlobHolds {
  private constructor(
    private readonly refs: Collection<RefDoc>,
    private readonly leases: Collection<LeaseDoc>,
  ) {}

  /** Opens `<bucket>.refs` and `<bucket>.leases` and creates their indexes (idempotent). */
  static async open(db: Db, bucket: string): Promise<MongoBlobHolds> {
    const refs = db.collection<RefDoc>(`${bucket}.refs`, OPTIONS);
    const leases = db.collection<LeaseDoc>(`${bucket}.leases`, OPTIONS);
    await Promise.all([
      refs.createIndex({ owner: 1, sha256: 1 }, { name: 'owner_sha256', unique: true }),
      refs.createIndex({ sha256: 1 }, { name: 'sha256' }),
      leases.createIndex({ lease: 1, sha256: 1 }, { name: 'lease_sha256', unique: true }),
      leases.createIndex({ sha256: 1 }, { name: 'sha256' }),
      leases.createIndex({ at: 1 }, { name: 'at' }),
    ]);
    return new MongoBlobHolds(refs, leases);
  }

  /** Takes (or renews) `lease` on the blob. */
  async takeLease(lease: string, sha256: string): Promise<void> {
    // Two upserts of one new pair race on the unique index. The server retries that itself
    // only when the update leaves the predicate's fields alone, so they are not in $set;
    // and should a server not retry, the loser's second try finds the row and renews it.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.leases.updateOne({ lease, sha256 }, { $set: { at: new Date() } }, { upsert: true });
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt >= 2) throw error;
      }
    }
  }

  /** The blobs `lease` holds. */
  async leasedBy(lease: string): Promise<string[]> {
    return (await this.leases.distinct('sha256', { lease })) as string[];
  }

  /** Deletes `lease`'s row on one blob (after that blob was collected or found held). */
  async endLease(lease: string, sha256: string): Promise<void> {
    await this.leases.deleteOne({ lease, sha256 });
  }

  /** Records that `owner` uses the blobs (idempotent). */
  async claim(owner: string, sha256s: readonly string[]): Promise<void> {
    await this.claimAll([{ owner, sha256s }]);
  }

  /** Records the references of several owners in one durable write (idempotent). */
  async claimAll(
    claims: ReadonlyArray<{ readonly owner: string; readonly sha256s: readonly string[] }>,
  ): Promise<void> {
    const writes = claims.flatMap(({ owner, sha256s }) =>
      [...new Set(sha256s)].map((sha256) => ({
        updateOne: { filter: { owner, sha256 }, update: { $setOnInsert: { owner, sha256 } }, upsert: true },
      })),
    );
    if (writes.length === 0) return;
    try {
      await this.refs.bulkWrite(writes, { ordered: false });
    } catch (error) {
      // Two upserts of the same new pair race on the unique index: that pair exists either
      // way. Anything else (another write error, a failed write concern, a command failed
      // as a whole) leaves a reference unrecorded or not durable, so it is the caller's.
      if (!isOnlyDuplicateKeyWriteErrors(error)) throw error;
    }
  }

  /** The blobs `owner` references. */
  async referencedBy(owner: string): Promise<string[]> {
    return (await this.refs.distinct('sha256', { owner })) as string[];
  }

  /** Drops one reference (to bytes that are gone: it holds nothing). */
  async dropReference(owner: string, sha256: string): Promise<void> {
    await this.refs.deleteOne({ owner, sha256 });
  }

  /** Drops every reference of `owner`. */
  async dropReferences(owner: string): Promise<void> {
    await this.refs.deleteMany({ owner });
  }

  /** Leases taken before `before`. */
  expiredLeases(before: Date): AsyncIterable<ExpiredLease> {
    return this.leases.find({ at: { $lt: before } }, { projection: { _id: 0, lease: 1, sha256: 1, at: 1 } });
  }

  /** Deletes the lease row unless it was renewed meanwhile. */
  async expire(row: ExpiredLease): Promise<void> {
    await this.leases.deleteOne({ lease: row.lease, sha256: row.sha256, at: row.at });
  }

  /**
   * True when a lease, and then (in that order: see GridFsBlobStore) a reference, holds the
   * blob. `ending` is the lease being ended, not counted: its row stays until the blob has
   * been collected, so a process dying in between leaves a lease that expires and has the
   * collection finished by collectGarbage. With `at`, only that row is ignored (a renewal
   * made meanwhile still holds the blob).
   */
  async isHeld(sha256: string, ending?: { readonly lease: string; readonly at?: Date }): Promise<boolean> {
    const leaseFilter =
      ending === undefined
        ? { sha256 }
        : {
            sha256,
            $nor: [ending.at === undefined ? { lease: ending.lease } : { lease: ending.lease, at: ending.at }],
          };
    if ((await this.leases.countDocuments(leaseFilter, { limit: 1 })) > 0) return true;
    return (await this.refs.countDocuments({ sha256 }, { limit: 1 })) > 0;
  }
}
