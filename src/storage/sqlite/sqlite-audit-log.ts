/**
 * The audit log in the embedded SQLite database, in a table of its own (the same table the
 * admin web always used, so existing logs carry on). It borrows the storage's connection,
 * like the other SQLite adapters; whoever opened the connection closes it.
 */
import type { AuditEntry, AuditLog, AuditQuery, StoredAuditEntry } from '../ports.js';
import type { SqliteDatabase } from './open-sqlite.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS forvaltning_revisjonslogg (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    bruker TEXT NOT NULL,
    handling TEXT NOT NULL,
    objekt TEXT,
    detaljer TEXT,
    adresse TEXT
  );
  CREATE INDEX IF NOT EXISTS forvaltning_revisjonslogg_bruker ON forvaltning_revisjonslogg (bruker, id);
  CREATE INDEX IF NOT EXISTS forvaltning_revisjonslogg_objekt ON forvaltning_revisjonslogg (objekt, id);
`;

/** Longest `detaljer` kept (AuditEntry). */
const MAX_DETALJER = 2000;

interface Row {
  id: number;
  at: number;
  bruker: string;
  handling: string;
  objekt: string | null;
  detaljer: string | null;
  adresse: string | null;
}

/** AuditLog on the embedded SQLite database. */
export class SqliteAuditLog implements AuditLog {
  constructor(private readonly db: SqliteDatabase) {
    db.exec(SCHEMA);
  }

  /** Appends one entry (committed when this resolves). */
  async record(entry: AuditEntry): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO forvaltning_revisjonslogg (at, bruker, handling, objekt, detaljer, adresse) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        entry.at,
        entry.bruker,
        entry.handling,
        entry.objekt ?? null,
        entry.detaljer?.slice(0, MAX_DETALJER) ?? null,
        entry.adresse ?? null,
      );
  }

  /** A page of entries, newest first, and the total matching. */
  async list(query: AuditQuery): Promise<{ items: StoredAuditEntry[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const key of ['bruker', 'handling', 'objekt'] as const) {
      const value = query[key];
      if (value !== undefined && value !== '') {
        where.push(`${key} = ?`);
        params.push(value);
      }
    }
    const whereSql = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n FROM forvaltning_revisjonslogg ${whereSql}`).get(...params) as { n: number }
    ).n;
    const rows = this.db
      .prepare(`SELECT * FROM forvaltning_revisjonslogg ${whereSql} ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(...params, Math.max(0, Math.trunc(query.limit)), Math.max(0, Math.trunc(query.offset))) as Row[];
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        at: r.at,
        bruker: r.bruker,
        handling: r.handling,
        objekt: r.objekt ?? undefined,
        detaljer: r.detaljer ?? undefined,
        adresse: r.adresse ?? undefined,
      })),
    };
  }

  /** Nothing to release: the connection belongs to whoever opened it. */
  async close(): Promise<void> {}
}
