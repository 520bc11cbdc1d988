/**
 * Statistics per period and avsender (issue "Statistikk"): counts by how letters were
 * delivered, read rate and time to read, print costs from the receipts, and the savings
 * the cost model gives. The store sums the letters' compact facts in one aggregate query
 * (ReadModel.aggregateStatistics, issue 13): the work per request is bounded by the number
 * of buckets and avsendere, not by the number of letters.
 */
import { addDays, compareCalendarDates, formatCalendarDate, type CalendarDate } from '../../domain/time/index.js';
import type { ReadModel, StatisticsAggregate, StatisticsGroup } from '../../storage/ports.js';
import type { CostModel } from './cost-model.js';
import { osloMidnight } from './period.js';

export type { Levering } from '../../domain/statistics-facts.js';

/** Counts of one group (a period bucket or an avsender). */
export interface Counts {
  antall: number;
  digitalt: number;
  papir: number;
  annet: number;
  varslet: number;
  lest: number;
  /** Receipt costs, øre. */
  printkostnadOre: number;
}

/** Read-time buckets shown in the second chart. */
export const LESETID_GRUPPER = [
  { label: 'Under 1 time', maxMs: 3600_000 },
  { label: '1–24 timer', maxMs: 24 * 3600_000 },
  { label: '1–2 døgn', maxMs: 48 * 3600_000 },
  { label: 'Over 2 døgn', maxMs: Number.POSITIVE_INFINITY },
] as const;

/** Everything the statistics page shows. */
export interface Statistics {
  readonly total: Counts;
  readonly perAvsender: ReadonlyMap<string, Counts>;
  /** Buckets in time order: per day (periods up to 62 days) or per month. */
  readonly perPeriode: readonly { readonly label: string; readonly counts: Counts }[];
  readonly inndeling: 'dag' | 'maned';
  readonly lesetider: { readonly medianMs?: number; readonly snittMs?: number; readonly fordeling: readonly number[] };
  readonly print: {
    kvitteringer: number;
    sider: number;
    ark: number;
    konvolutter: number;
    portoOre: number;
    produksjonOre: number;
    manuelle: number;
    utenKvittering: number;
  };
  readonly perKonteringskode: ReadonlyMap<string, { antall: number; kostnadOre: number }>;
  readonly besparelse: { brev: number; utenTjenestenOre: number; medTjenestenOre: number; spartOre: number };
}

/** The time buckets of a period: labels and the epoch-ms boundaries between them. */
export interface Buckets {
  readonly inndeling: 'dag' | 'maned';
  /** `yyyy-MM-dd` per day, `yyyy-MM` per month. */
  readonly labels: readonly string[];
  /** labels.length + 1 ascending boundaries: Oslo midnights. */
  readonly grenser: readonly number[];
}

/** Longest period shown per day; longer ones are shown per month. */
export const MAX_DAY_BUCKETS = 62;

/** The buckets of [fra, til] (Oslo days, til inclusive): per day up to 62 days, else per month. */
export function statisticsBuckets(fra: CalendarDate, til: CalendarDate): Buckets {
  const starts: CalendarDate[] = [];
  let inndeling: 'dag' | 'maned' = 'dag';
  for (let d = fra; compareCalendarDates(d, til) <= 0; d = addDays(d, 1)) {
    starts.push(d);
    if (starts.length > MAX_DAY_BUCKETS) {
      inndeling = 'maned';
      break;
    }
  }
  if (inndeling === 'maned') {
    starts.length = 0;
    for (
      let d = fra;
      compareCalendarDates(d, til) <= 0;
      d = d.month === 12 ? { year: d.year + 1, month: 1, day: 1 } : { year: d.year, month: d.month + 1, day: 1 }
    )
      starts.push(d);
  }
  const label = (d: CalendarDate): string =>
    inndeling === 'dag' ? formatCalendarDate(d) : formatCalendarDate(d).slice(0, 7);
  return {
    inndeling,
    labels: starts.map(label),
    grenser: [...starts.map(osloMidnight), osloMidnight(addDays(til, 1))],
  };
}

/** The aggregate of the letters received in the buckets' period from these avsendere (undefined: all). */
export function aggregateFor(
  readModel: ReadModel,
  avsendere: readonly string[] | undefined,
  buckets: Buckets,
): Promise<StatisticsAggregate> {
  return readModel.aggregateStatistics({
    avsendere,
    grenser: buckets.grenser,
    lesetidGrenser: LESETID_GRUPPER.slice(0, -1).map((g) => g.maxMs),
  });
}

function emptyCounts(): Counts {
  return { antall: 0, digitalt: 0, papir: 0, annet: 0, varslet: 0, lest: 0, printkostnadOre: 0 };
}

/** Adds a group's sums to `c`. */
function add(c: Counts, g: StatisticsGroup): void {
  c.antall += g.antall;
  c.digitalt += g.digitalt;
  c.papir += g.papir;
  c.annet += g.annet;
  c.varslet += g.varslet;
  c.lest += g.lest;
  c.printkostnadOre += g.portoOre + g.produksjonOre;
}

/** The counts of one group alone. */
export function countsOf(g: StatisticsGroup): Counts {
  const c = emptyCounts();
  add(c, g);
  return c;
}

/** The statistics shown for an aggregate over `buckets`, with the cost model's savings. */
export function computeStatistics(agg: StatisticsAggregate, buckets: Buckets, model: CostModel): Statistics {
  const total = emptyCounts();
  const perAvsender = new Map<string, Counts>();
  // Every bucket of the period, also empty ones, so the chart's time axis has no gaps.
  const perBucket = buckets.labels.map(() => emptyCounts());
  const print = {
    kvitteringer: 0,
    sider: 0,
    ark: 0,
    konvolutter: 0,
    portoOre: 0,
    produksjonOre: 0,
    manuelle: 0,
    utenKvittering: 0,
  };
  for (const g of agg.grupper) {
    add(total, g);
    add(perAvsender.get(g.avsender) ?? perAvsender.set(g.avsender, emptyCounts()).get(g.avsender)!, g);
    const b = perBucket[g.bucket];
    if (b !== undefined) add(b, g);
    for (const k of [
      'kvitteringer',
      'sider',
      'ark',
      'konvolutter',
      'portoOre',
      'produksjonOre',
      'manuelle',
      'utenKvittering',
    ] as const)
      print[k] += g[k];
  }
  const l = agg.lesetider;
  const perKonteringskode = new Map(
    agg.konteringskoder.map((k) => [k.kode ?? '(ingen)', { antall: k.antall, kostnadOre: k.kostnadOre }]),
  );

  // Savings: every delivered letter as an in-house paper letter, against what the service cost.
  const timeOre = (minutes: number): number => (minutes / 60) * model.timekostnadOre;
  const brev = total.digitalt + total.papir;
  const utenTjenestenOre = Math.round(
    brev * (model.portoOre + model.produksjonOre + timeOre(model.minutterUtenTjenesten)),
  );
  const medTjenestenOre = Math.round(
    print.portoOre +
      print.produksjonOre +
      print.utenKvittering * (model.portoOre + model.produksjonOre) +
      print.manuelle * timeOre(model.minutterManuellPrint),
  );

  return {
    total,
    perAvsender: new Map([...perAvsender].sort(([a], [b]) => a.localeCompare(b, 'nb'))),
    perPeriode: buckets.labels.map((label, i) => ({ label, counts: perBucket[i] ?? emptyCounts() })),
    inndeling: buckets.inndeling,
    lesetider: {
      medianMs: l.medianMs,
      snittMs: l.antall === 0 ? undefined : l.sumMs / l.antall,
      fordeling: l.fordeling,
    },
    print,
    perKonteringskode: new Map([...perKonteringskode].sort(([a], [b]) => a.localeCompare(b, 'nb'))),
    besparelse: { brev, utenTjenestenOre, medTjenestenOre, spartOre: utenTjenestenOre - medTjenestenOre },
  };
}

/** A CSV cell: quoted when needed; a leading formula character is neutralised (CSV injection). */
function cell(value: string | number): string {
  let s = typeof value === 'number' ? String(value) : value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The export, line by line (for a streamed answer): a header, then one row per avsender
 * and period bucket with letters; semicolons and decimal commas (Norwegian spreadsheets).
 */
export function* statisticsCsvLines(agg: StatisticsAggregate, buckets: Buckets): Generator<string> {
  yield `\uFEFF${['periode', 'avsender', 'antall', 'digitalt', 'papir', 'annet', 'varslet', 'lest', 'printkostnad_kr'].join(';')}\r\n`;
  const rows = [...agg.grupper]
    .filter((g) => g.antall > 0)
    .sort((a, b) => a.avsender.localeCompare(b.avsender, 'nb') || a.bucket - b.bucket);
  for (const g of rows) {
    const c = countsOf(g);
    const label = buckets.labels[g.bucket] ?? '';
    yield `${[label, g.avsender, c.antall, c.digitalt, c.papir, c.annet, c.varslet, c.lest, (c.printkostnadOre / 100).toFixed(2).replace('.', ',')].map(cell).join(';')}\r\n`;
  }
}
