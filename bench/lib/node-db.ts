/**
 * The bench's read-only look into the node's SQLite file (WAL lets a reader in next to the
 * node): when background jobs are done, when letters became AKSEPTERT (the journal's
 * timestamps, to the millisecond), and the read model's search on its own.
 */
import Database from 'better-sqlite3';
import { SqliteReadModel } from '../../src/storage/sqlite/index.js';
import { searchQueries } from './admin-search.js';

/** A read-only connection to a node's database. */
export class NodeDb {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
  }

  /** Waits until no job is due or running (delayed jobs, e.g. deadlines, do not count); returns the ms waited. */
  async waitForIdleJobs(timeoutMs: number): Promise<number> {
    const start = performance.now();
    const due = this.db.prepare<[number], { n: number }>(
      "SELECT COUNT(*) AS n FROM jobs WHERE state = 'active' OR (state = 'queued' AND run_at <= ?)",
    );
    // Twice in a row: a job finishing may queue the next step a moment later.
    let quiet = 0;
    while (quiet < 2) {
      if (performance.now() - start > timeoutMs) throw new Error(`background jobs still running after ${timeoutMs} ms`);
      quiet = (due.get(Date.now())?.n ?? 0) === 0 ? quiet + 1 : 0;
      await new Promise((r) => setTimeout(r, 50));
    }
    return performance.now() - start - 50;
  }

  /** When each letter's Akseptert event was stored (epoch ms). */
  akseptertAt(ids: readonly string[]): Map<string, number> {
    const q = this.db.prepare<[string], { created_at: number; data: string }>(
      'SELECT created_at, data FROM journal_events WHERE key = ?',
    );
    const result = new Map<string, number>();
    for (const id of ids) {
      for (const row of q.all(`forsendelse:${id}`)) {
        if ((JSON.parse(row.data) as { type: string }).type === 'Akseptert') result.set(id, row.created_at);
      }
    }
    return result;
  }

  /** How many of `ids` have a Lest event. */
  countLest(ids: readonly string[]): number {
    const q = this.db.prepare<[string], { data: string }>('SELECT data FROM journal_events WHERE key = ?');
    return ids.filter((id) =>
      q.all(`forsendelse:${id}`).some((r) => (JSON.parse(r.data) as { type: string }).type === 'Lest'),
    ).length;
  }

  /** Latencies (ms) of `count` read-model searches, avsender + status + period, a page of `limit`. */
  searchLatencies(avsendere: readonly string[], now: number, count: number, limit: number): number[] {
    const readModel = new SqliteReadModel(this.db);
    const out: number[] = [];
    for (const q of searchQueries(avsendere, now, count)) {
      const start = performance.now();
      // The adapter's methods are synchronous underneath; the promise is already settled.
      void readModel.search({ ...q, limit, offset: 0 });
      out.push(performance.now() - start);
    }
    return out;
  }

  close(): void {
    this.db.close();
  }
}
