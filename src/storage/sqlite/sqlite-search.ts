/**
 * Builds the admin search (ForsendelseQuery) as SQL. The page's ids are chosen in a
 * subquery that the covering index (avsender, status, mottatt_at, id) answers alone;
 * only the 50 rows of the page are then read, with their views.
 */
import type { ForsendelseQuery } from '../ports.js';
import { placeholders } from './sqlite-json.js';
import { STAT_FIELDS } from './sqlite-statistics.js';

/** The record's own columns, in ForsendelseRow order. */
export const FIELDS =
  'id, avsender, status, siste_status_endring, mottatt_at, tittel, eksternref, mottaker_navn, mottaker_id, kanal, svarinn_system, seq';

/** The record's columns, its statistics facts and its view, for `FROM forsendelser f JOIN forsendelse_views v`. */
export const RECORD_COLUMNS = `${`${FIELDS}, ${STAT_FIELDS}`
  .split(', ')
  .map((c) => `f.${c}`)
  .join(', ')}, v.view`;

/** Records with their views. */
export const FROM = 'forsendelser f JOIN forsendelse_views v ON v.id = f.id';

/** SQL and parameters for the count and for one page. */
export interface SearchPlan {
  readonly countSql: string;
  readonly params: readonly unknown[];
  readonly pageSql: string;
  readonly pageParams: readonly unknown[];
}

/** Case folding for search, the same on both sides of the comparison (handles æ, ø, å). */
export function foldCase(text: string): string {
  return text.toLowerCase();
}

/** Escapes LIKE's wildcards so that `%` and `_` in the user's text match themselves. */
export function likeContains(text: string): string {
  return `%${foldCase(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The SQL for `query`, or undefined when it can match nothing (an empty list filter). */
export function buildSearch(query: ForsendelseQuery): SearchPlan | undefined {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.id !== undefined) {
    where.push('id = ?');
    params.push(query.id);
  }
  if (query.avsendere !== undefined) {
    // An empty list is "no avsender at all": a local admin without any sees nothing.
    if (query.avsendere.length === 0) return undefined;
    where.push(`avsender IN (${placeholders(query.avsendere.length)})`);
    params.push(...query.avsendere);
  }
  if (query.status !== undefined) {
    if (query.status.length === 0) return undefined;
    where.push(`status IN (${placeholders(query.status.length)})`);
    params.push(...query.status);
  }
  if (query.fra !== undefined) {
    where.push('mottatt_at >= ?');
    params.push(query.fra);
  }
  if (query.til !== undefined) {
    where.push('mottatt_at < ?');
    params.push(query.til);
  }
  if (query.mottakerNavn !== undefined && query.mottakerNavn !== '') {
    where.push("mottaker_navn_lc LIKE ? ESCAPE '\\'");
    params.push(likeContains(query.mottakerNavn));
  }
  if (query.svarinnSystem !== undefined) {
    where.push('svarinn_system = ?');
    params.push(query.svarinnSystem);
  }
  if (query.manuellPrint !== undefined) {
    where.push('st_manuell = ?');
    params.push(query.manuellPrint ? 1 : 0);
  }
  if (query.mottakerId !== undefined) {
    where.push('mottaker_id = ?');
    params.push(query.mottakerId);
  }
  if (query.tittel !== undefined && query.tittel !== '') {
    where.push("tittel_lc LIKE ? ESCAPE '\\'");
    params.push(likeContains(query.tittel));
  }
  if (query.eksternref !== undefined) {
    where.push('eksternref = ?');
    params.push(query.eksternref);
  }
  const whereSql = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
  const limit = Math.max(0, Math.trunc(query.limit));
  const offset = Math.max(0, Math.trunc(query.offset));
  const order = query.oldestFirst === true ? 'ASC' : 'DESC';
  // After the cursor in the list's order: older (newest first) or newer (oldest first).
  const beyond = query.oldestFirst === true ? '>' : '<';
  const cursor = query.etter;
  const pageWhere =
    cursor === undefined
      ? whereSql
      : `${whereSql === '' ? 'WHERE' : `${whereSql} AND`} (mottatt_at ${beyond} ? OR (mottatt_at = ? AND id ${beyond} ?))`;
  const cursorParams = cursor === undefined ? [] : [cursor.mottattAt, cursor.mottattAt, cursor.id];
  return {
    countSql: `SELECT COUNT(*) AS n FROM forsendelser ${whereSql}`,
    params,
    pageSql: `SELECT ${RECORD_COLUMNS} FROM ${FROM}
              WHERE f.rowid IN (
                SELECT rowid FROM forsendelser ${pageWhere} ORDER BY mottatt_at ${order}, id ${order} LIMIT ? OFFSET ?)
              ORDER BY f.mottatt_at ${order}, f.id ${order}`,
    pageParams: [...params, ...cursorParams, limit, offset],
  };
}
