/**
 * A forsendelse's change in one SQLite transaction (ChangeWriter): the new letter's claims,
 * the journal events, the jobs and the read-model record commit together or not at all,
 * with one commit (one WAL append) instead of one per row, shared with the other writes of
 * the moment (group commit). Before, a new letter took six small write transactions on the
 * main thread and every later step three or more (bench/README.md). The adapters' synchronous methods join the transaction opened here
 * (better-sqlite3 turns their own into savepoints).
 */
import type { ChangeWriter, ForsendelseChange } from '../ports.js';
import type { SqliteDatabase } from './open-sqlite.js';
import { groupedWrite, writeTransaction } from './open-sqlite.js';
import type { SqliteJobQueue } from './sqlite-job-queue.js';
import type { SqliteJournal } from './sqlite-journal.js';
import type { SqliteReadModel } from './sqlite-read-model.js';

/** A blob store whose references live in the same database and can be claimed synchronously. */
export interface SqliteClaims {
  claimNow(owner: string, sha256s: readonly string[]): void;
}

/** The adapters on one connection whose rows a change writes. */
export interface SqliteChangeParts {
  readonly journal: SqliteJournal;
  readonly jobs: SqliteJobQueue;
  readonly readModel: SqliteReadModel;
  readonly claims: SqliteClaims;
}

/** ChangeWriter over adapters that share `db`. */
export class SqliteChangeWriter implements ChangeWriter {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly parts: SqliteChangeParts,
  ) {}

  /**
   * Claims, events, jobs and record in one transaction, in the connection's next commit
   * (group commit, write-transaction.ts); resolves once that commit is durable.
   */
  write(change: ForsendelseChange): Promise<void> {
    return groupedWrite(this.db, () => this.writeNow(change));
  }

  /** `write`, synchronously. */
  writeNow(change: ForsendelseChange): void {
    const { journal, jobs, readModel, claims } = this.parts;
    writeTransaction(this.db, () => {
      if (change.claims !== undefined && change.claims.length > 0) claims.claimNow(change.record.id, change.claims);
      journal.appendNow(change.events);
      for (const job of change.jobs) jobs.enqueueNow(job);
      readModel.upsertNow(change.record);
    });
  }
}
