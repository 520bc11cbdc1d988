/**
 * Statistics per period and avsender (issue "Statistikk"): counts by how letters were
 * delivered, read rate and time to read, print costs from the receipts, and the savings
 * the cost model gives. Pure functions over forsendelse states; the route pages through
 * the read model to collect them. Correct rather than clever: every number is a plain
 * count or sum over the letters received in the period.
 */
import type { ForsendelseState } from '../../domain/forsendelse-state.js';
import { formatCalendarDate, osloDate } from '../../domain/time/index.js';
import type { ReadModel } from '../../storage/ports.js';
import { fromRecord } from '../../domain/record.js';
import type { CostModel } from './cost-model.js';

/** How a letter ended up being delivered. */
export type Levering = 'digitalt' | 'papir' | 'annet';

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
  readonly print: { kvitteringer: number; sider: number; ark: number; konvolutter: number; portoOre: number; produksjonOre: number; manuelle: number; utenKvittering: number };
  readonly perKonteringskode: ReadonlyMap<string, { antall: number; kostnadOre: number }>;
  readonly besparelse: { brev: number; utenTjenestenOre: number; medTjenestenOre: number; spartOre: number };
}

/** How `s` was (or is being) delivered. */
export function leveringOf(s: ForsendelseState): Levering {
  if (s.sendtPrintAt !== undefined) return 'papir';
  if (s.kanal === 'digital' || s.kanal === 'svarinn') return 'digitalt';
  return 'annet';
}

function emptyCounts(): Counts {
  return { antall: 0, digitalt: 0, papir: 0, annet: 0, varslet: 0, lest: 0, printkostnadOre: 0 };
}

function add(c: Counts, s: ForsendelseState): void {
  c.antall += 1;
  c[leveringOf(s)] += 1;
  if (s.varsletAt !== undefined) c.varslet += 1;
  if (s.varsletAt !== undefined && s.lestAt !== undefined) c.lest += 1;
  if (s.kvittering !== undefined) c.printkostnadOre += s.kvittering.porto + s.kvittering.produksjonskostnad;
}

/** The statistics of `states` (letters received in the period), bucketed per day or month. */
export function computeStatistics(states: readonly ForsendelseState[], period: { fra: number; til: number }, model: CostModel): Statistics {
  const total = emptyCounts();
  const perAvsender = new Map<string, Counts>();
  const inndeling = period.til - period.fra <= 62 * 86_400_000 ? 'dag' : 'maned';
  const buckets = new Map<string, Counts>();
  const bucketOf = (ms: number): string => {
    const d = formatCalendarDate(osloDate(ms));
    return inndeling === 'dag' ? d : d.slice(0, 7);
  };
  // Every bucket of the period, also empty ones, so the chart's time axis has no gaps.
  for (let t = period.fra; t < period.til; t += 86_400_000) buckets.set(bucketOf(t), emptyCounts());
  const lesetider: number[] = [];
  const print = { kvitteringer: 0, sider: 0, ark: 0, konvolutter: 0, portoOre: 0, produksjonOre: 0, manuelle: 0, utenKvittering: 0 };
  const perKonteringskode = new Map<string, { antall: number; kostnadOre: number }>();

  for (const s of states) {
    add(total, s);
    add(perAvsender.get(s.avsender) ?? perAvsender.set(s.avsender, emptyCounts()).get(s.avsender)!, s);
    const b = bucketOf(s.mottattAt);
    add(buckets.get(b) ?? buckets.set(b, emptyCounts()).get(b)!, s);
    if (s.varsletAt !== undefined && s.lestAt !== undefined && s.lestAt >= s.varsletAt) lesetider.push(s.lestAt - s.varsletAt);
    if (s.sendtPrintAt !== undefined && s.printLeverandor === 'manual') print.manuelle += 1;
    const k = s.kvittering;
    if (k !== undefined) {
      print.kvitteringer += 1;
      print.sider += k.sider;
      print.ark += k.ark;
      print.konvolutter += k.konvolutter;
      print.portoOre += k.porto;
      print.produksjonOre += k.produksjonskostnad;
      const kode = k.konteringskode ?? s.input.konteringskode ?? '(ingen)';
      const e = perKonteringskode.get(kode) ?? { antall: 0, kostnadOre: 0 };
      perKonteringskode.set(kode, { antall: e.antall + 1, kostnadOre: e.kostnadOre + k.porto + k.produksjonskostnad });
    } else if (s.sendtPrintAt !== undefined) {
      print.utenKvittering += 1;
    }
  }

  lesetider.sort((a, b) => a - b);
  const mid = Math.floor(lesetider.length / 2);
  const medianMs = lesetider.length === 0 ? undefined : lesetider.length % 2 === 1 ? lesetider[mid] : ((lesetider[mid - 1] ?? 0) + (lesetider[mid] ?? 0)) / 2;
  const snittMs = lesetider.length === 0 ? undefined : lesetider.reduce((a, b) => a + b, 0) / lesetider.length;
  const fordeling = LESETID_GRUPPER.map(() => 0);
  for (const t of lesetider) {
    const i = LESETID_GRUPPER.findIndex((g) => t < g.maxMs);
    fordeling[i] = (fordeling[i] ?? 0) + 1;
  }

  // Savings: every delivered letter as an in-house paper letter, against what the service cost.
  const timeOre = (minutes: number): number => (minutes / 60) * model.timekostnadOre;
  const brev = total.digitalt + total.papir;
  const utenTjenestenOre = Math.round(brev * (model.portoOre + model.produksjonOre + timeOre(model.minutterUtenTjenesten)));
  const medTjenestenOre = Math.round(
    print.portoOre + print.produksjonOre + print.utenKvittering * (model.portoOre + model.produksjonOre) + print.manuelle * timeOre(model.minutterManuellPrint),
  );

  return {
    total,
    perAvsender: new Map([...perAvsender].sort(([a], [b]) => a.localeCompare(b, 'nb'))),
    perPeriode: [...buckets].sort(([a], [b]) => a.localeCompare(b)).map(([label, counts]) => ({ label, counts })),
    inndeling,
    lesetider: { medianMs, snittMs, fordeling },
    print,
    perKonteringskode: new Map([...perKonteringskode].sort(([a], [b]) => a.localeCompare(b, 'nb'))),
    besparelse: { brev, utenTjenestenOre, medTjenestenOre, spartOre: utenTjenestenOre - medTjenestenOre },
  };
}

/** Most letters one statistics request reads (a safety bound; the page says when it is hit). */
export const MAX_STATISTICS_LETTERS = 500_000;

/** The states of letters received in [fra, til) from these avsendere (undefined: all), paging newest first. */
export async function loadStates(
  readModel: ReadModel,
  avsendere: readonly string[] | undefined,
  fra: number,
  til: number,
): Promise<{ states: ForsendelseState[]; truncated: boolean }> {
  if (avsendere?.length === 0) return { states: [], truncated: false };
  const seen = new Map<string, ForsendelseState>();
  const pageSize = 500;
  // New letters arrive at the front while we page: offsets then shift items later, never
  // earlier, so deduplicating by id loses nothing.
  for (let offset = 0; ; offset += pageSize) {
    const page = await readModel.search({ avsendere, fra, til, limit: pageSize, offset });
    for (const r of page.items) seen.set(r.id, fromRecord(r));
    if (page.items.length < pageSize) return { states: [...seen.values()], truncated: false };
    if (seen.size >= MAX_STATISTICS_LETTERS) return { states: [...seen.values()], truncated: true };
  }
}
