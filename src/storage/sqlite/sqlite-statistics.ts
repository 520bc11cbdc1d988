/**
 * Statistics facts on SQLite: the `st_*` columns of `forsendelser` (migration 4) and the
 * aggregate the admin statistics read. Every query reads only the covering index
 * `forsendelser_statistikk` (mottatt_at first), never a view, so a period of 100 000
 * letters is summed by SQLite's C code in milliseconds rather than folded in JavaScript.
 */
import type { StatistikkFakta } from '../../domain/statistics-facts.js';
import type { StatisticsAggregate, StatisticsGroup, StatisticsQuery } from '../ports.js';
import type { SqliteDatabase } from './open-sqlite.js';
import { placeholders } from './sqlite-json.js';

/** The facts columns, in StatsRow order. */
export const STAT_FIELDS =
  'st_levering, st_varslet, st_lest, st_lesetid_ms, st_manuell, st_kvittering, st_sider, st_ark, st_konvolutter, st_porto, st_produksjon, st_konteringskode';

/** The facts columns of a row. */
export interface StatsRow {
  st_levering: string | null;
  st_varslet: number;
  st_lest: number;
  st_lesetid_ms: number | null;
  st_manuell: number;
  st_kvittering: number;
  st_sider: number;
  st_ark: number;
  st_konvolutter: number;
  st_porto: number;
  st_produksjon: number;
  st_konteringskode: string | null;
}

/** The columns for `fakta` (all "none" when absent). */
export function statsRowOf(fakta: StatistikkFakta | undefined): StatsRow {
  const k = fakta?.kvittering;
  return {
    st_levering: fakta?.levering ?? null,
    st_varslet: fakta?.varslet === true ? 1 : 0,
    st_lest: fakta?.lest === true ? 1 : 0,
    st_lesetid_ms: fakta?.lesetidMs ?? null,
    st_manuell: fakta?.manuellPrint === true ? 1 : 0,
    st_kvittering: k === undefined ? 0 : 1,
    st_sider: k?.sider ?? 0,
    st_ark: k?.ark ?? 0,
    st_konvolutter: k?.konvolutter ?? 0,
    st_porto: k?.portoOre ?? 0,
    st_produksjon: k?.produksjonOre ?? 0,
    st_konteringskode: k?.konteringskode ?? null,
  };
}

/** The facts stored in `row`, undefined when it was stored without. */
export function faktaOf(row: StatsRow): StatistikkFakta | undefined {
  if (row.st_levering === null) return undefined;
  return {
    levering: row.st_levering as StatistikkFakta['levering'],
    varslet: row.st_varslet === 1,
    lest: row.st_lest === 1,
    ...(row.st_lesetid_ms === null ? {} : { lesetidMs: row.st_lesetid_ms }),
    manuellPrint: row.st_manuell === 1,
    ...(row.st_kvittering === 0
      ? {}
      : {
          kvittering: {
            sider: row.st_sider,
            ark: row.st_ark,
            konvolutter: row.st_konvolutter,
            portoOre: row.st_porto,
            produksjonOre: row.st_produksjon,
            ...(row.st_konteringskode === null ? {} : { konteringskode: row.st_konteringskode }),
          },
        }),
  };
}

/** Checks the query's boundaries: at least two, ascending, finite (a programming error otherwise). */
export function checkStatisticsQuery(query: StatisticsQuery): void {
  const g = query.grenser;
  if (g.length < 2 || g.some((t, i) => !Number.isSafeInteger(t) || (i > 0 && t <= (g[i - 1] ?? t)))) {
    throw new RangeError('grenser must be at least two ascending safe integers');
  }
  const l = query.lesetidGrenser;
  if (l.some((t, i) => !Number.isSafeInteger(t) || (i > 0 && t <= (l[i - 1] ?? t))))
    throw new RangeError('lesetidGrenser must ascend');
}

/** An aggregate of nothing (an empty avsender list). */
export function emptyAggregate(query: StatisticsQuery): StatisticsAggregate {
  return {
    grupper: [],
    konteringskoder: [],
    lesetider: { antall: 0, sumMs: 0, fordeling: [...query.lesetidGrenser, 0].map(() => 0) },
  };
}

/** Sums the facts of the letters received in the query's period (see ReadModel.aggregateStatistics). */
export function aggregateStatistics(db: SqliteDatabase, query: StatisticsQuery): StatisticsAggregate {
  checkStatisticsQuery(query);
  if (query.avsendere?.length === 0) return emptyAggregate(query);
  const g = query.grenser;
  const fra = g[0] ?? 0;
  const til = g[g.length - 1] ?? 0;
  const avsenderSql =
    query.avsendere === undefined ? '' : ` AND f.avsender IN (${placeholders(query.avsendere.length)})`;
  const where = `f.mottatt_at >= ? AND f.mottatt_at < ?${avsenderSql}`;
  const whereParams = [fra, til, ...(query.avsendere ?? [])];

  // One range scan of the covering index per bucket; the buckets come from the caller.
  const buckets = g.slice(0, -1).map((lo, i) => [i, lo, g[i + 1]]);
  const levering = "COALESCE(f.st_levering, 'annet')";
  const grupper = db
    .prepare<unknown[], StatisticsGroup>(
      `WITH b(i, lo, hi) AS (VALUES ${buckets.map(() => '(?, ?, ?)').join(', ')})
       SELECT b.i AS bucket, f.avsender AS avsender, COUNT(*) AS antall,
              SUM(${levering} = 'digitalt') AS digitalt, SUM(${levering} = 'papir') AS papir, SUM(${levering} = 'annet') AS annet,
              SUM(f.st_varslet) AS varslet, SUM(f.st_lest) AS lest, SUM(f.st_kvittering) AS kvitteringer,
              SUM(f.st_sider) AS sider, SUM(f.st_ark) AS ark, SUM(f.st_konvolutter) AS konvolutter,
              SUM(f.st_porto) AS portoOre, SUM(f.st_produksjon) AS produksjonOre, SUM(f.st_manuell) AS manuelle,
              SUM(${levering} = 'papir' AND f.st_kvittering = 0) AS utenKvittering
         FROM b JOIN forsendelser f INDEXED BY forsendelser_statistikk ON f.mottatt_at >= b.lo AND f.mottatt_at < b.hi
        WHERE ${where}
        GROUP BY b.i, f.avsender`,
    )
    .all(...buckets.flat(), ...whereParams);

  const koder = db
    .prepare<unknown[], { kode: string | null; antall: number; kostnadOre: number }>(
      `SELECT f.st_konteringskode AS kode, COUNT(*) AS antall, SUM(f.st_porto + f.st_produksjon) AS kostnadOre
         FROM forsendelser f INDEXED BY forsendelser_statistikk
        WHERE ${where} AND f.st_kvittering = 1
        GROUP BY f.st_konteringskode`,
    )
    .all(...whereParams);

  const l = query.lesetidGrenser;
  const klasser = [
    ...l.map((hi, i) =>
      i === 0 ? `f.st_lesetid_ms < ${hi}` : `f.st_lesetid_ms >= ${l[i - 1]} AND f.st_lesetid_ms < ${hi}`,
    ),
    l.length === 0 ? '1' : `f.st_lesetid_ms >= ${l[l.length - 1]}`,
  ];
  const les =
    db
      .prepare<unknown[], Record<string, number | null>>(
        `SELECT COUNT(*) AS antall, SUM(f.st_lesetid_ms) AS sumMs, ${klasser.map((k, i) => `SUM(${k}) AS k${i}`).join(', ')}
         FROM forsendelser f INDEXED BY forsendelser_statistikk
        WHERE ${where} AND f.st_lesetid_ms IS NOT NULL`,
      )
      .get(...whereParams) ?? {};
  const antall = les.antall ?? 0;
  let medianMs: number | undefined;
  if (antall > 0) {
    // The middle one (odd) or two (even) of the sorted read times.
    const middle = db
      .prepare<unknown[], { v: number }>(
        `SELECT f.st_lesetid_ms AS v FROM forsendelser f INDEXED BY forsendelser_statistikk
          WHERE ${where} AND f.st_lesetid_ms IS NOT NULL ORDER BY f.st_lesetid_ms LIMIT ? OFFSET ?`,
      )
      .all(...whereParams, antall % 2 === 1 ? 1 : 2, antall % 2 === 1 ? (antall - 1) / 2 : antall / 2 - 1)
      .map((r) => r.v);
    medianMs = middle.reduce((a, b) => a + b, 0) / middle.length;
  }
  return {
    grupper,
    konteringskoder: koder.map((k) => ({
      ...(k.kode === null ? {} : { kode: k.kode }),
      antall: k.antall,
      kostnadOre: k.kostnadOre,
    })),
    lesetider: {
      antall,
      sumMs: les.sumMs ?? 0,
      ...(medianMs === undefined ? {} : { medianMs }),
      fordeling: klasser.map((_, i) => les[`k${i}`] ?? 0),
    },
  };
}
