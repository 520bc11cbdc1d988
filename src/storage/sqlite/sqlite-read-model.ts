/**
 * The forsendelse read model on SQLite: one row per forsendelse, a column per
 * ForsendelseRecord field plus the view as JSON text. Search is built for the admin list
 * (avsender + status + period, newest first, 50 a page): see the indexes in migrations.ts
 * and bench figures in the adapter's report.
 */
import type { ForsendelseStatus, Kanal } from '../../domain/model.js';
import type {
  ForsendelsePage,
  ForsendelseQuery,
  ForsendelseRecord,
  ReadModel,
  StatisticsAggregate,
  StatisticsQuery,
  StatusRow,
} from '../ports.js';
import { ChangedColumnsUpdate, type SqliteRow } from './changed-columns-update.js';
import type { SqliteDatabase } from './open-sqlite.js';
import { writeTransaction } from './open-sqlite.js';
import { inChunks, placeholders, toJsonText, viewFromJsonText } from './sqlite-json.js';
import { FIELDS, FROM, RECORD_COLUMNS, buildSearch, foldCase } from './sqlite-search.js';
import { STAT_FIELDS, aggregateStatistics, faktaOf, statsRowOf, type StatsRow } from './sqlite-statistics.js';

/** A row of the `forsendelser` table. */
export interface ForsendelseRow extends StatsRow {
  id: string;
  avsender: string;
  status: string;
  siste_status_endring: number;
  mottatt_at: number;
  tittel: string;
  eksternref: string | null;
  mottaker_navn: string | null;
  mottaker_id: string | null;
  kanal: string | null;
  svarinn_system: string | null;
  seq: number;
  view: string;
}

/** ReadModel over the `forsendelser` table. */
export class SqliteReadModel implements ReadModel {
  private readonly selectStored;
  private readonly insertRow;
  private readonly updateRow;
  private readonly upsertView;
  private readonly selectOne;
  private readonly selectByEksternref;

  /** Uses `db` (from openSqlite) without owning it: close() leaves the connection open. */
  constructor(private readonly db: SqliteDatabase) {
    const columns = `${FIELDS}, tittel_lc, mottaker_navn_lc, ${STAT_FIELDS}`;
    this.selectStored = db.prepare<[string], SqliteRow & { seq: number }>(
      `SELECT ${columns} FROM forsendelser WHERE id = ?`,
    );
    this.insertRow = db.prepare(
      `INSERT INTO forsendelser (${columns}) VALUES (${columns
        .split(', ')
        .map((c) => `@${c}`)
        .join(', ')})`,
    );
    // An update sets only what changed: every column set rewrites the entries of the
    // indexes it is in (changed-columns-update.ts).
    this.updateRow = new ChangedColumnsUpdate(db, 'forsendelser', 'id', columns.split(', ').slice(1));
    this.upsertView = db.prepare<[string, string]>(
      'INSERT INTO forsendelse_views (id, view) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET view = excluded.view',
    );
    this.selectOne = db.prepare<[string], ForsendelseRow>(`SELECT ${RECORD_COLUMNS} FROM ${FROM} WHERE f.id = ?`);
    this.selectByEksternref = db.prepare<[string, string], { id: string }>(
      `SELECT id FROM forsendelser WHERE avsender = ? AND eksternref = ? AND eksternref IS NOT NULL
       ORDER BY mottatt_at, id`,
    );
  }

  /** Inserts the record, or replaces the stored one if `record.seq` is higher. */
  async upsert(record: ForsendelseRecord): Promise<void> {
    this.upsertNow(record);
  }

  /** `upsert`, synchronously: in its own transaction, or in the caller's when one is open (SqliteChangeWriter). */
  upsertNow(record: ForsendelseRecord): void {
    const row = {
      id: record.id,
      avsender: record.avsender,
      status: record.status,
      siste_status_endring: record.sisteStatusEndring,
      mottatt_at: record.mottattAt,
      tittel: record.tittel,
      eksternref: record.eksternref ?? null,
      mottaker_navn: record.mottakerNavn ?? null,
      mottaker_id: record.mottakerId ?? null,
      kanal: record.kanal ?? null,
      svarinn_system: record.svarinnSystem ?? null,
      seq: record.seq,
      tittel_lc: foldCase(record.tittel),
      mottaker_navn_lc: record.mottakerNavn === undefined ? null : foldCase(record.mottakerNavn),
      ...statsRowOf(record.fakta),
    };
    const view = toJsonText(record.view);
    writeTransaction(this.db, () => {
      // Projections may arrive out of order (a retried actor, a repair at start-up): the
      // row with the highest seq stays, and its view with it. Read and write are one
      // transaction under the write lock, so no other writer comes in between.
      const stored = this.selectStored.get(record.id);
      if (stored === undefined) this.insertRow.run(row);
      else if (stored.seq >= row.seq) return;
      else this.updateRow.run(stored, row);
      this.upsertView.run(record.id, view);
    });
  }

  /** The record of `id`, if any. */
  async get(id: string): Promise<ForsendelseRecord | undefined> {
    const row = this.selectOne.get(id);
    return row === undefined ? undefined : toRecord(row);
  }

  /** The records found among `ids`, in the order of `ids`. */
  async getMany(ids: readonly string[]): Promise<ForsendelseRecord[]> {
    const rows = inChunks(ids, (chunk) =>
      this.db
        .prepare<string[], ForsendelseRow>(
          `SELECT ${RECORD_COLUMNS} FROM ${FROM} WHERE f.id IN (${placeholders(chunk.length)})`,
        )
        .all(...chunk),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return [...new Set(ids)].flatMap((id) => {
      const row = byId.get(id);
      return row === undefined ? [] : [toRecord(row)];
    });
  }

  /** The status columns of the letters found among `ids`, in the order of `ids`. */
  async statusesOf(ids: readonly string[]): Promise<StatusRow[]> {
    const rows = inChunks(ids, (chunk) =>
      this.db
        .prepare<string[], Pick<ForsendelseRow, 'id' | 'avsender' | 'status' | 'siste_status_endring'>>(
          `SELECT id, avsender, status, siste_status_endring FROM forsendelser WHERE id IN (${placeholders(chunk.length)})`,
        )
        .all(...chunk),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return [...new Set(ids)].flatMap((id) => {
      const row = byId.get(id);
      if (row === undefined) return [];
      const { avsender, status, siste_status_endring: sisteStatusEndring } = row;
      return [{ id, avsender, status: status as ForsendelseStatus, sisteStatusEndring }];
    });
  }

  /** Ids of the avsender's forsendelser with this eksternref, oldest first. */
  async idsByEksternref(avsender: string, eksternref: string): Promise<string[]> {
    return this.selectByEksternref.all(avsender, eksternref).map((r) => r.id);
  }

  /** One page of matches, newest first, and the total number of matches. */
  async search(query: ForsendelseQuery): Promise<ForsendelsePage> {
    const plan = buildSearch(query);
    if (plan === undefined) return { items: [], total: 0 };
    const total = this.db.prepare<unknown[], { n: number }>(plan.countSql).get(...plan.params)?.n ?? 0;
    const rows = this.db.prepare<unknown[], ForsendelseRow>(plan.pageSql).all(...plan.pageParams);
    return { items: rows.map(toRecord), total };
  }

  /** Ids in one of `statuses`, oldest first. */
  async idsByStatus(statuses: readonly ForsendelseStatus[], limit: number): Promise<string[]> {
    if (statuses.length === 0 || limit <= 0) return [];
    return this.db
      .prepare<unknown[], { id: string }>(
        `SELECT id FROM forsendelser WHERE status IN (${placeholders(statuses.length)})
         ORDER BY mottatt_at, id LIMIT ?`,
      )
      .all(...statuses, Math.trunc(limit))
      .map((r) => r.id);
  }

  /** Ids after `after` in id order (the primary key's). */
  async idsAfter(after: string | undefined, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    return this.db
      .prepare<[string, number], { id: string }>('SELECT id FROM forsendelser WHERE id > ? ORDER BY id LIMIT ?')
      .all(after ?? '', Math.trunc(limit))
      .map((r) => r.id);
  }

  /** Projected seq per id, 0 for ids without a record. */
  async projectedSeq(ids: readonly string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>(ids.map((id) => [id, 0]));
    const rows = inChunks(ids, (chunk) =>
      this.db
        .prepare<string[], { id: string; seq: number }>(
          `SELECT id, seq FROM forsendelser WHERE id IN (${placeholders(chunk.length)})`,
        )
        .all(...chunk),
    );
    for (const r of rows) result.set(r.id, r.seq);
    return result;
  }

  /** Sums the statistics facts of a period with aggregate queries over a covering index. */
  async aggregateStatistics(query: StatisticsQuery): Promise<StatisticsAggregate> {
    return aggregateStatistics(this.db, query);
  }

  /** Nothing to release: the connection belongs to whoever opened it. */
  async close(): Promise<void> {}
}

function toRecord(row: ForsendelseRow): ForsendelseRecord {
  const fakta = faktaOf(row);
  return {
    id: row.id,
    avsender: row.avsender,
    status: row.status as ForsendelseStatus,
    sisteStatusEndring: row.siste_status_endring,
    mottattAt: row.mottatt_at,
    tittel: row.tittel,
    ...(row.eksternref === null ? {} : { eksternref: row.eksternref }),
    ...(row.mottaker_navn === null ? {} : { mottakerNavn: row.mottaker_navn }),
    ...(row.mottaker_id === null ? {} : { mottakerId: row.mottaker_id }),
    ...(row.kanal === null ? {} : { kanal: row.kanal as Kanal }),
    ...(row.svarinn_system === null ? {} : { svarinnSystem: row.svarinn_system }),
    seq: row.seq,
    view: viewFromJsonText(row.view),
    ...(fakta === undefined ? {} : { fakta }),
  };
}
