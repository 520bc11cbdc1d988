/**
 * The audit log in the node's SQLite file (`DATA_DIR/budbringer.sqlite`), in a table of
 * its own. A connection is opened per call and closed after it: audit writes are rare
 * (people's actions), and the composition root has no close hook for the admin web, so
 * holding no connection means nothing leaks when a node stops.
 */
import { join } from 'node:path';
import { openSqlite, type SqliteDatabase } from '../../storage/sqlite/index.js';
import type { AuditEntry, AuditLog, AuditQuery, StoredAuditEntry } from './audit-log.js';

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

interface Row {
  id: number;
  at: number;
  bruker: string;
  handling: string;
  objekt: string | null;
  detaljer: string | null;
  adresse: string | null;
}

/** AuditLog on an SQLite file. */
export class SqliteAuditLog implements AuditLog {
  private schemaReady = false;

  constructor(private readonly path: string) {}

  async record(entry: AuditEntry): Promise<void> {
    this.use((db) =>
      db
        .prepare('INSERT INTO forvaltning_revisjonslogg (at, bruker, handling, objekt, detaljer, adresse) VALUES (?, ?, ?, ?, ?, ?)')
        .run(entry.at, entry.bruker, entry.handling, entry.objekt ?? null, entry.detaljer?.slice(0, 2000) ?? null, entry.adresse ?? null),
    );
  }

  async list(query: AuditQuery): Promise<{ items: StoredAuditEntry[]; total: number }> {
    return this.use((db) => {
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
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM forvaltning_revisjonslogg ${whereSql}`).get(...params) as { n: number }).n;
      const rows = db
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
    });
  }

  private use<T>(fn: (db: SqliteDatabase) => T): T {
    const db = openSqlite(this.path);
    try {
      if (!this.schemaReady) {
        db.exec(SCHEMA);
        this.schemaReady = true;
      }
      return fn(db);
    } finally {
      db.close();
    }
  }
}

/** The audit log in `dataDir`'s embedded database file. */
export function sqliteAuditLogIn(dataDir: string): SqliteAuditLog {
  return new SqliteAuditLog(join(dataDir, 'budbringer.sqlite'));
}
