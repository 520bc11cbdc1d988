/**
 * SendAttempts in the embedded SQLite database (table `send_attempts`, migrations.ts). A
 * record is one write transaction (BEGIN IMMEDIATE, so processes on the file take turns):
 * drop some expired rows, count the fingerprint's rows in the window on the (fingerprint,
 * at) index, insert. It borrows the storage's connection.
 */
import { randomUUID } from 'node:crypto';
import type { RecordedSendAttempt, SendAttempts } from '../ports.js';
import { groupedWrite, type SqliteDatabase } from './open-sqlite.js';

/** Expired rows removed per record, so the table stays small without a sweep of its own. */
const EXPIRED_PER_RECORD = 100;

/** SendAttempts on the embedded SQLite database. */
export class SqliteSendAttempts implements SendAttempts {
  // Prepared once: a record is on every send's path, and preparing its three statements
  // each time was most of its cost.
  private readonly deleteExpired;
  private readonly countSince;
  private readonly insert;
  private readonly deleteOne;

  constructor(private readonly db: SqliteDatabase) {
    this.deleteExpired = db.prepare<[number, number]>(
      'DELETE FROM send_attempts WHERE id IN (SELECT id FROM send_attempts WHERE expires_at < ? LIMIT ?)',
    );
    this.countSince = db
      .prepare<[string, number], number>('SELECT COUNT(*) FROM send_attempts WHERE fingerprint = ? AND at >= ?')
      .pluck();
    this.insert = db.prepare<[string, string, number, number]>(
      'INSERT INTO send_attempts (id, fingerprint, at, expires_at) VALUES (?, ?, ?, ?)',
    );
    this.deleteOne = db.prepare<[string]>('DELETE FROM send_attempts WHERE id = ?');
  }

  async record(fingerprint: string, at: number, since: number, expiresAt: number): Promise<RecordedSendAttempt> {
    const id = randomUUID();
    const earlier = await groupedWrite(this.db, () => {
      this.deleteExpired.run(at, EXPIRED_PER_RECORD);
      const n = this.countSince.get(fingerprint, since) ?? 0;
      this.insert.run(id, fingerprint, at, expiresAt);
      return n;
    });
    return { id, earlier };
  }

  async remove(id: string): Promise<void> {
    this.deleteOne.run(id);
  }

  async close(): Promise<void> {
    // The connection belongs to whoever opened it.
  }
}
