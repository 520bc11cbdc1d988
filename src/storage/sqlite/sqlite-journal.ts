/**
 * Journal on SQLite (docs/architecture.md, "Cluster"): the primary key (key, seq) is what refuses a
 * stale actor's write, also when the writer is another process on the same file.
 */
import { SequenceConflictError } from '../ports.js';
import type { Journal, JournalEvent, JournalSnapshot } from '../ports.js';
import type { SqliteDatabase } from './open-sqlite.js';
import { writeTransaction } from './open-sqlite.js';
import { fromJsonText, toJsonText } from './sqlite-json.js';

interface EventRow {
  key: string;
  seq: number;
  data: string;
  tags: string;
  created_at: number;
}

/** Journal events and snapshots in the `journal_events` / `journal_snapshots` tables. */
export class SqliteJournal implements Journal {
  private readonly insertEvent;
  private readonly selectEvents;
  private readonly selectHighest;
  private readonly selectSnapshot;
  private readonly upsertSnapshot;
  private readonly selectKeysSince;

  /** Uses `db` (from openSqlite) without owning it: close() leaves the connection open. */
  constructor(private readonly db: SqliteDatabase) {
    this.insertEvent = db.prepare<[string, number, string, string, number]>(
      'INSERT INTO journal_events (key, seq, data, tags, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectEvents = db.prepare<[string, number], EventRow>(
      'SELECT key, seq, data, tags, created_at FROM journal_events WHERE key = ? AND seq > ? ORDER BY seq',
    );
    this.selectHighest = db.prepare<[string], { seq: number | null }>(
      'SELECT MAX(seq) AS seq FROM journal_events WHERE key = ?',
    );
    this.selectSnapshot = db.prepare<[string], Omit<EventRow, 'tags'>>(
      'SELECT key, seq, data, created_at FROM journal_snapshots WHERE key = ?',
    );
    // A snapshot only ever replaces an older one: a stale writer cannot roll it back.
    this.upsertSnapshot = db.prepare<[string, number, string, number]>(
      `INSERT INTO journal_snapshots (key, seq, data, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET seq = excluded.seq, data = excluded.data, created_at = excluded.created_at
       WHERE excluded.seq >= journal_snapshots.seq`,
    );
    // INDEXED BY: with the bound a parameter, SQLite's planner scans the whole table in key
    // order for DISTINCT (1.4 s with 100 000 letters, at start-up, before /healthz answers)
    // instead of reading the recent range of the created_at index (30 ms). See bench/README.md.
    this.selectKeysSince = db.prepare<[number], { key: string }>(
      'SELECT DISTINCT key FROM journal_events INDEXED BY journal_events_created_at WHERE created_at >= ?',
    );
  }

  /** Appends all events in one transaction; SequenceConflictError names the taken (key, seq). */
  async append(events: readonly JournalEvent[]): Promise<void> {
    this.appendNow(events);
  }

  /**
   * `append`, synchronously: in its own transaction, or as part of the caller's when one is
   * open on the connection (SqliteChangeWriter), which then commits or rolls back all of it.
   */
  appendNow(events: readonly JournalEvent[]): void {
    for (const e of events) {
      if (!Number.isSafeInteger(e.seq) || e.seq < 1) throw new RangeError(`Ugyldig seq ${e.seq} for ${e.key}`);
    }
    let current: JournalEvent | undefined;
    try {
      writeTransaction(this.db, () => {
        for (const e of events) {
          current = e;
          this.insertEvent.run(e.key, e.seq, toJsonText(e.data), JSON.stringify(e.tags), e.createdAt);
        }
      });
    } catch (err) {
      if (current !== undefined && isPrimaryKeyViolation(err))
        throw new SequenceConflictError(current.key, current.seq);
      throw err;
    }
  }

  /** Events of `key` after `afterSeq`, in seq order. */
  async read(key: string, afterSeq: number): Promise<JournalEvent[]> {
    return this.selectEvents.all(key, afterSeq).map(toEvent);
  }

  /** Highest stored seq of `key`, 0 when none. */
  async highestSeq(key: string): Promise<number> {
    return this.selectHighest.get(key)?.seq ?? 0;
  }

  /** The snapshot of `key`, if any (only the latest is kept). */
  async latestSnapshot(key: string): Promise<JournalSnapshot | undefined> {
    const row = this.selectSnapshot.get(key);
    if (row === undefined) return undefined;
    return { key: row.key, seq: row.seq, data: fromJsonText(row.data), createdAt: row.created_at };
  }

  /** Stores the snapshot unless a newer one of the same key is stored. */
  async saveSnapshot(snapshot: JournalSnapshot): Promise<void> {
    this.upsertSnapshot.run(snapshot.key, snapshot.seq, toJsonText(snapshot.data), snapshot.createdAt);
  }

  /** Distinct keys with an event created at or after `sinceMs`. */
  async keysAppendedSince(sinceMs: number): Promise<string[]> {
    return this.selectKeysSince.all(sinceMs).map((r) => r.key);
  }

  /** Nothing to release: the connection belongs to whoever opened it. */
  async close(): Promise<void> {}
}

function toEvent(row: EventRow): JournalEvent {
  return {
    key: row.key,
    seq: row.seq,
    data: fromJsonText(row.data),
    tags: JSON.parse(row.tags) as string[],
    createdAt: row.created_at,
  };
}

/** better-sqlite3 reports constraint failures as SqliteError with an extended code. */
function isPrimaryKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
