/**
 * AttemptCounter in the embedded SQLite database (table `attempt_counts`, created here): the
 * embedded default. The counts and the record of used one-time codes are in the same file
 * as the letters, so a restart keeps them (a locked user name stays locked, a used code
 * stays used), and processes sharing DATA_DIR count together. A check and count is one
 * write transaction (BEGIN IMMEDIATE): two requests, or two processes, counting at once
 * each see the other's failure. Each count also drops a few rows whose window is over, so
 * the table stays small without a sweep of its own. It borrows the storage's connection.
 */
import { isForgotten, lockLeftMs, type AttemptCount, type LockRule } from '../../domain/attempt-lock.js';
import type { AttemptCounter, AttemptKey } from '../ports.js';
import { writeTransaction, type SqliteDatabase } from './open-sqlite.js';

/** Rows past their window removed per count. */
const EXPIRED_PER_COUNT = 100;

interface CountRow {
  readonly failures: number;
  readonly last: number;
}

/** AttemptCounter on the embedded SQLite database. */
export class SqliteAttemptCounter implements AttemptCounter {
  private readonly select;
  private readonly upsert;
  private readonly deleteKey;
  private readonly decrement;
  private readonly deleteExpired;

  /** Uses `db` (from openSqlite) without owning it; creates its table if it is not there. */
  constructor(private readonly db: SqliteDatabase) {
    // Not a versioned migration (migrations.ts): older versions ignore this table, so adding
    // it is no rollback barrier, and it holds nothing a letter needs.
    db.exec(`
      CREATE TABLE IF NOT EXISTS attempt_counts (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS attempt_counts_expires ON attempt_counts (expires_at);
    `);
    this.select = db.prepare<[string], CountRow>('SELECT failures, last FROM attempt_counts WHERE key = ?');
    this.upsert = db.prepare<[string, number, number, number]>(
      'INSERT INTO attempt_counts (key, failures, last, expires_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last = excluded.last, expires_at = excluded.expires_at',
    );
    this.deleteKey = db.prepare<[string]>('DELETE FROM attempt_counts WHERE key = ?');
    this.decrement = db.prepare<[string]>(
      'UPDATE attempt_counts SET failures = failures - 1 WHERE key = ? AND failures > 0',
    );
    this.deleteExpired = db.prepare<[number, number]>(
      'DELETE FROM attempt_counts WHERE key IN (SELECT key FROM attempt_counts WHERE expires_at < ? LIMIT ?)',
    );
  }

  /** Adds a failure to every key unless one is locked; the longest wait otherwise. */
  async addUnlessLocked(keys: readonly AttemptKey[], rule: LockRule, now: number): Promise<number> {
    if (keys.length === 0) return 0;
    return writeTransaction(this.db, () => {
      this.deleteExpired.run(now, EXPIRED_PER_COUNT);
      const counts = keys.map(({ key }) => this.select.get(key));
      const wait = Math.max(0, ...keys.map(({ allowed }, i) => lockLeftMs(counts[i], allowed, rule, now)));
      if (wait > 0) return wait;
      for (const [i, { key }] of keys.entries()) {
        const count = counts[i];
        const before = count === undefined || isForgotten(count, rule.windowMs, now) ? 0 : count.failures;
        this.upsert.run(key, before + 1, now, now + rule.windowMs);
      }
      return 0;
    });
  }

  /** The key's failures within the window, if any. */
  async read(key: string, windowMs: number, now: number): Promise<AttemptCount | undefined> {
    const row = this.select.get(key);
    return row === undefined || isForgotten(row, windowMs, now)
      ? undefined
      : { failures: row.failures, last: row.last };
  }

  /** Forgets the key. */
  async forget(key: string): Promise<void> {
    this.deleteKey.run(key);
  }

  /** One failure fewer (not below 0); the last time and the expiry stay. */
  async takeBack(key: string): Promise<void> {
    this.decrement.run(key);
  }

  async close(): Promise<void> {
    // The connection belongs to whoever opened it.
  }
}
