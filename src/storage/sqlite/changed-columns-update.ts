/**
 * An UPDATE that sets only the columns whose values changed. SQLite rewrites an index's
 * entry whenever an UPDATE sets one of the index's columns, even to the value it had, and
 * each rewritten entry dirties a page that the commit appends to the WAL. The read model's
 * row carries six indexes (the admin web's lists, search and statistics) and most of a
 * letter's steps change two or three columns, so setting every column cost ~7 WAL pages per
 * step where the columns that changed cost two or three (bench/README.md, "WAL pages").
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './open-sqlite.js';

/** Distinct sets of changed columns kept prepared; a letter's steps use a few dozen. */
const MAX_PREPARED = 256;

/** A row as bound to a statement: column name to value. */
export type SqliteRow = Readonly<Record<string, string | number | null>>;

/** UPDATE of `table`'s changed `columns`, by `key`. */
export class ChangedColumnsUpdate {
  private readonly prepared = new Map<string, Statement>();

  /** `table`, `key` and `columns` are the caller's constants (never input): they are put in the SQL as they are. */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly table: string,
    private readonly key: string,
    private readonly columns: readonly string[],
  ) {}

  /** Sets the columns in which `next` differs from `stored` on the row whose key is `next[key]`; returns how many. */
  run(stored: SqliteRow, next: SqliteRow): number {
    const changed = this.columns.filter((c) => stored[c] !== next[c]);
    if (changed.length === 0) return 0;
    const params: Record<string, string | number | null> = { [this.key]: next[this.key] ?? null };
    for (const c of changed) params[c] = next[c] ?? null;
    this.statementFor(changed).run(params);
    return changed.length;
  }

  private statementFor(changed: readonly string[]): Statement {
    const name = changed.join(',');
    const known = this.prepared.get(name);
    if (known !== undefined) return known;
    const statement = this.db.prepare(
      `UPDATE ${this.table} SET ${changed.map((c) => `${c} = @${c}`).join(', ')} WHERE ${this.key} = @${this.key}`,
    );
    if (this.prepared.size < MAX_PREPARED) this.prepared.set(name, statement);
    return statement;
  }
}
