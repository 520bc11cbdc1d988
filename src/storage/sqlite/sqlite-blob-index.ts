/**
 * Who holds which blob, for a content-addressed byte store in embedded mode (FileBlobStore).
 * The same bytes are one blob however many letters carry them, so a blob may be deleted
 * only when nothing holds it:
 *
 * - a **reference** (owner, sha256): a forsendelse that uses the blob, until it is released
 *   (retention purge, slettFiler);
 * - a **lease** (lease, sha256, at): taken by every put, so bytes that an intake has stored
 *   but not yet claimed for its forsendelse stay; released when the intake ends (claimed or
 *   refused), or expired by `collectExpired` after a grace period (a process that died).
 *
 * A collector removes bytes inside a BEGIN IMMEDIATE transaction, after checking that no
 * reference or lease holds them, under SQLite's write lock (the callback: unlink). A put
 * commits its lease first and only then looks for the bytes at their address and places
 * its own copy if they are absent. So processes sharing DATA_DIR are safe in either
 * order: a collector that comes after the lease's commit sees it and keeps the bytes; one
 * that came before deleted them before the put looked, and the put places its own copy.
 */
import type { SqliteDatabase } from './open-sqlite.js';
import { groupedWrite, writeTransaction } from './open-sqlite.js';

/** Thrown by a claim of bytes that are no longer stored (not the caller's fault: send again). */
export class BlobGoneError extends Error {
  constructor(readonly sha256: string) {
    super(`Dokumentet ${sha256} ble slettet før forsendelsen var lagret; send forsendelsen på nytt`);
    this.name = 'BlobGoneError';
  }
}

/** Reference and lease bookkeeping on the `blob_refs` / `blob_leases` tables (schema v3). */
export class SqliteBlobIndex {
  private readonly insertLease;
  private readonly insertRef;
  private readonly leaseShas;
  private readonly deleteLease;
  private readonly ownerShas;
  private readonly deleteRefs;
  private readonly expiredLeases;
  private readonly deleteLeaseRow;
  private readonly isReferenced;
  private readonly isLeased;

  /** Uses `db` (from openSqlite) without owning it. */
  constructor(private readonly db: SqliteDatabase) {
    this.insertLease = db.prepare<[string, string, number]>(
      'INSERT INTO blob_leases (lease, sha256, at) VALUES (?, ?, ?) ON CONFLICT (lease, sha256) DO UPDATE SET at = excluded.at',
    );
    this.insertRef = db.prepare<[string, string]>('INSERT OR IGNORE INTO blob_refs (owner, sha256) VALUES (?, ?)');
    this.leaseShas = db.prepare<[string], string>('SELECT sha256 FROM blob_leases WHERE lease = ?').pluck();
    this.deleteLease = db.prepare<[string]>('DELETE FROM blob_leases WHERE lease = ?');
    this.ownerShas = db.prepare<[string], string>('SELECT sha256 FROM blob_refs WHERE owner = ?').pluck();
    this.deleteRefs = db.prepare<[string]>('DELETE FROM blob_refs WHERE owner = ?');
    this.expiredLeases = db.prepare<[number, number], { lease: string; sha256: string }>(
      'SELECT lease, sha256 FROM blob_leases WHERE at < ? ORDER BY at LIMIT ?',
    );
    this.deleteLeaseRow = db.prepare<[string, string]>('DELETE FROM blob_leases WHERE lease = ? AND sha256 = ?');
    this.isReferenced = db.prepare<[string], number>('SELECT 1 FROM blob_refs WHERE sha256 = ? LIMIT 1').pluck();
    this.isLeased = db.prepare<[string], number>('SELECT 1 FROM blob_leases WHERE sha256 = ? LIMIT 1').pluck();
  }

  /**
   * Records `lease` on `sha256`, in the connection's next commit (group commit); durable once
   * it resolves, before the put places the bytes (see the header).
   */
  async lease(lease: string, sha256: string, at: number): Promise<void> {
    await groupedWrite(this.db, () => this.insertLease.run(lease, sha256, at));
  }

  /** Takes back `lease` on `sha256` after its put failed; the bytes, if present, are left to a collection. */
  unlease(lease: string, sha256: string): void {
    this.deleteLeaseRow.run(lease, sha256);
  }

  /**
   * Records that `owner` uses each blob (idempotent); durable on return. `isStored` is
   * asked under the same lock: a blob already collected (its lease expired before the
   * claim) throws and nothing is recorded.
   */
  claim(owner: string, sha256s: readonly string[], isStored: (sha256: string) => boolean): void {
    writeTransaction(this.db, () => {
      for (const sha256 of sha256s) {
        if (!isStored(sha256)) throw new BlobGoneError(sha256);
        this.insertRef.run(owner, sha256);
      }
    });
  }

  /**
   * Ends `lease` and removes the blobs that nothing holds any more; resolves with how many.
   * `batched`: with the connection's next commit (groupedWrite), not in a transaction of its own.
   */
  async releaseLease(lease: string, remove: (sha256: string) => void, batched = false): Promise<number> {
    const release = (): number => {
      const shas = this.leaseShas.all(lease);
      this.deleteLease.run(lease);
      return this.collect(shas, remove);
    };
    return batched ? groupedWrite(this.db, release) : writeTransaction(this.db, release);
  }

  /** Drops every reference of `owner` and removes the blobs that nothing holds any more; returns how many. */
  release(owner: string, remove: (sha256: string) => void): number {
    return writeTransaction(this.db, () => {
      const shas = this.ownerShas.all(owner);
      this.deleteRefs.run(owner);
      return this.collect(shas, remove);
    });
  }

  /**
   * Ends leases taken before `before` (epoch ms; their puts died or never claimed) and
   * removes the blobs that nothing holds any more, at most `batch` leases per transaction
   * so the write lock is held briefly. Returns how many blobs were removed.
   */
  collectExpired(before: number, remove: (sha256: string) => void, batch = 500): number {
    let removed = 0;
    for (;;) {
      const { rows, count } = writeTransaction(this.db, () => {
        const expired = this.expiredLeases.all(before, batch);
        for (const r of expired) this.deleteLeaseRow.run(r.lease, r.sha256);
        return {
          rows: expired.length,
          count: this.collect(
            expired.map((r) => r.sha256),
            remove,
          ),
        };
      });
      removed += count;
      if (rows < batch) return removed;
    }
  }

  /** Removes each of the blobs that has no reference and no lease (the orphan sweep); returns how many. */
  removeUnheld(sha256s: readonly string[], remove: (sha256: string) => void): number {
    return writeTransaction(this.db, () => this.collect(sha256s, remove));
  }

  /** Inside a write transaction: removes each blob with no reference and no lease. */
  private collect(sha256s: readonly string[], remove: (sha256: string) => void): number {
    let removed = 0;
    for (const sha256 of new Set(sha256s)) {
      if (this.isReferenced.get(sha256) !== undefined || this.isLeased.get(sha256) !== undefined) continue;
      remove(sha256);
      removed += 1;
    }
    return removed;
  }
}
