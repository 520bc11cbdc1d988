/**
 * SendAttempts in the embedded SQLite database (table `send_attempts`, migrations.ts). A
 * record is one write transaction (BEGIN IMMEDIATE, so processes on the file take turns):
 * drop some expired rows, count the fingerprint's rows in the window on the (fingerprint,
 * at) index, insert. It borrows the storage's connection.
 */
import { randomUUID } from 'node:crypto';
import type { RecordedSendAttempt, SendAttempts } from '../ports.js';
import { writeTransaction, type SqliteDatabase } from './open-sqlite.js';

/** Expired rows removed per record, so the table stays small without a sweep of its own. */
const EXPIRED_PER_RECORD = 100;

/** SendAttempts on the embedded SQLite database. */
export class SqliteSendAttempts implements SendAttempts {
  constructor(private readonly db: SqliteDatabase) {}

  async record(fingerprint: string, at: number, since: number, expiresAt: number): Promise<RecordedSendAttempt> {
    const id = randomUUID();
    const earlier = writeTransaction(this.db, () => {
      this.db
        .prepare('DELETE FROM send_attempts WHERE id IN (SELECT id FROM send_attempts WHERE expires_at < ? LIMIT ?)')
        .run(at, EXPIRED_PER_RECORD);
      const row = this.db
        .prepare('SELECT COUNT(*) AS n FROM send_attempts WHERE fingerprint = ? AND at >= ?')
        .get(fingerprint, since) as { n: number };
      this.db
        .prepare('INSERT INTO send_attempts (id, fingerprint, at, expires_at) VALUES (?, ?, ?, ?)')
        .run(id, fingerprint, at, expiresAt);
      return row.n;
    });
    return { id, earlier };
  }

  async remove(id: string): Promise<void> {
    this.db.prepare('DELETE FROM send_attempts WHERE id = ?').run(id);
  }

  async close(): Promise<void> {
    // The connection belongs to whoever opened it.
  }
}
