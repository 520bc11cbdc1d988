/**
 * Contract of the ReadModel port: the seq guard that keeps projections monotonic, every
 * search filter (each one checked against a record it must exclude), newest-first paging
 * with a total, and eksternref lookups scoped to one avsender.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { viewCheckedReadModel, type ViewProblem } from '../../src/app/view-checked-read-model.js';
import type { ForsendelseEvent } from '../../src/domain/events.js';
import type { ForsendelseState } from '../../src/domain/forsendelse-state.js';
import { fromRecord, toRecord } from '../../src/domain/record.js';
import { CorruptViewError, VIEW_VERSION } from '../../src/domain/record-view.js';
import type { StatistikkFakta } from '../../src/domain/statistics-facts.js';
import type {
  ForsendelseQuery,
  ForsendelseRecord,
  Journal,
  Json,
  ReadModel,
  StatisticsAggregate,
  StatisticsGroup,
} from '../../src/storage/ports.js';
import { existing, upTo } from '../unit/domain/given.js';
import { withFixture } from './support.js';

/** What a read-model adapter's factory gives the suite: fresh, empty storage per call. */
export interface ReadModelFixture {
  readonly readModel: ReadModel;
  cleanup(): Promise<void>;
}

const T0 = 1_750_000_000_000;

/** Six records over two avsendere, received one second apart (r1 oldest). */
function dataset() {
  const uid = randomUUID().slice(0, 8);
  const A = `kommune-a-${uid}`;
  const B = `kommune-b-${uid}`;
  const rec = (
    n: number,
    fields: Omit<ForsendelseRecord, 'id' | 'mottattAt' | 'sisteStatusEndring' | 'seq' | 'view'>,
  ): ForsendelseRecord => ({
    id: `${uid}-r${n}`,
    mottattAt: T0 + n * 1000,
    sisteStatusEndring: T0 + n * 1000 + 500,
    seq: n,
    view: { n, historikk: [{ at: T0, hendelse: 'Mottatt' }] },
    ...fields,
  });
  const r1 = rec(1, {
    avsender: A,
    status: 'MOTTATT',
    tittel: 'Vedtak om byggesak',
    mottakerNavn: 'Ola Nordmann',
    mottakerId: '01010112345',
    eksternref: 'sak-1',
    kanal: 'digital',
  });
  const r2 = rec(2, {
    avsender: A,
    status: 'VARSLET',
    tittel: 'Faktura 100% rabatt',
    mottakerNavn: 'Øystein Ærlig',
    mottakerId: '02020212345',
    eksternref: 'sak-2',
    kanal: 'digital',
  });
  const r3 = rec(3, {
    avsender: A,
    status: 'LEST',
    tittel: 'Innkalling_møte',
    mottakerNavn: 'Kari Nordmann',
    kanal: 'print',
  });
  const r4 = rec(4, {
    avsender: B,
    status: 'VARSLET',
    tittel: 'Vedtak om skatt',
    mottakerNavn: 'Per Hansen',
    eksternref: 'sak-1',
  });
  const r5 = rec(5, {
    avsender: A,
    status: 'VARSLET',
    tittel: 'Svar på søknad',
    mottakerNavn: 'ÅSE ØSTBY',
    eksternref: 'sak-1',
    mottakerId: '920123456',
  });
  // Decoys: "100 kroner" matches an unescaped "100%", "ving-møte" an unescaped "g_m".
  const r6 = rec(6, { avsender: B, status: 'PRINTET', tittel: '100 kroner for ving-møte' });
  return { A, B, r1, r2, r3, r4, r5, r6, all: [r1, r2, r3, r4, r5, r6] };
}

function withoutView(r: ForsendelseRecord): Omit<ForsendelseRecord, 'view'> {
  const { view: _view, ...rest } = r;
  return rest;
}

const HOUR = 3600_000;

/** Letters with statistics facts in three hourly buckets from T0, over two avsendere, plus letters outside. */
function statisticsDataset() {
  const uid = randomUUID().slice(0, 8);
  const A = `stat-a-${uid}`;
  const B = `stat-b-${uid}`;
  let n = 0;
  const rec = (avsender: string, at: number, fakta: StatistikkFakta | undefined): ForsendelseRecord => {
    n += 1;
    return {
      id: `${uid}-s${n}`,
      avsender,
      status: 'AKSEPTERT',
      sisteStatusEndring: at,
      mottattAt: at,
      tittel: 't',
      seq: 1,
      view: {},
      ...(fakta === undefined ? {} : { fakta }),
    };
  };
  const digital = (lesetidMs?: number): StatistikkFakta => ({
    levering: 'digitalt',
    varslet: true,
    lest: lesetidMs !== undefined,
    ...(lesetidMs === undefined ? {} : { lesetidMs }),
    manuellPrint: false,
  });
  const papir = (kvittering?: StatistikkFakta['kvittering'], manuellPrint = false): StatistikkFakta => ({
    levering: 'papir',
    varslet: false,
    lest: false,
    manuellPrint,
    ...(kvittering === undefined ? {} : { kvittering }),
  });
  const records = [
    // Bucket 0 [T0, T0+1h): A digital read after 30 min, A paper with a receipt (BYGG), B digital unread.
    rec(A, T0, digital(30 * 60_000)),
    rec(
      A,
      T0 + HOUR - 1,
      papir({ sider: 3, ark: 2, konvolutter: 1, portoOre: 2300, produksjonOre: 300, konteringskode: 'BYGG' }),
    ),
    rec(B, T0 + 10, digital()),
    // Bucket 1: A digital read after 5 h, A manual paper without receipt, a record stored without facts.
    rec(A, T0 + HOUR, digital(5 * HOUR)),
    rec(A, T0 + HOUR + 5, papir(undefined, true)),
    rec(A, T0 + HOUR + 6, undefined),
    // Bucket 2: B digital read after 3 days, B paper with a receipt without code.
    rec(B, T0 + 2 * HOUR, digital(72 * HOUR)),
    rec(B, T0 + 3 * HOUR - 1, papir({ sider: 1, ark: 1, konvolutter: 1, portoOre: 2000, produksjonOre: 100 })),
    // Outside: just before and exactly at the end (half-open).
    rec(A, T0 - 1, digital(1)),
    rec(A, T0 + 3 * HOUR, digital(1)),
  ];
  return {
    A,
    B,
    records,
    grenser: [T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR],
    lesetidGrenser: [HOUR, 24 * HOUR, 48 * HOUR],
  };
}

/** The groups keyed `avsender#bucket`, for comparisons in any order. */
function groupsByKey(agg: StatisticsAggregate): Map<string, Omit<StatisticsGroup, 'avsender' | 'bucket'>> {
  return new Map(agg.grupper.map(({ avsender, bucket, ...sums }) => [`${avsender}#${bucket}`, { ...sums }]));
}

const ZERO_GROUP = {
  antall: 0,
  digitalt: 0,
  papir: 0,
  annet: 0,
  varslet: 0,
  lest: 0,
  kvitteringer: 0,
  sider: 0,
  ark: 0,
  konvolutter: 0,
  portoOre: 0,
  produksjonOre: 0,
  manuelle: 0,
  utenKvittering: 0,
};

/** Registers the ReadModel contract tests for one adapter. */
export function readModelContract(name: string, factory: () => Promise<ReadModelFixture>): void {
  void describe(`ReadModel contract: ${name}`, () => {
    void it('returns an upserted record exactly, leaving absent optional fields absent', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = dataset();
        await readModel.upsert(d.r1);
        await readModel.upsert(d.r6);
        assert.deepEqual(await readModel.get(d.r1.id), d.r1);
        const r6 = await readModel.get(d.r6.id);
        assert.deepEqual(r6, d.r6);
        for (const field of ['eksternref', 'mottakerNavn', 'mottakerId', 'kanal']) {
          assert.ok(r6 !== undefined && !(field in r6), `${field} must be absent, not null/undefined`);
        }
        assert.equal(await readModel.get(`${d.r1.id}-missing`), undefined);
      }));

    void it('upserts only a higher seq than stored, and re-indexes the replaced record', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = dataset();
        const v2 = { ...d.r2, seq: 2 };
        await readModel.upsert(v2);
        await readModel.upsert({ ...d.r2, seq: 1, status: 'MOTTATT', tittel: 'eldre', view: { eldre: true } });
        assert.deepEqual(await readModel.get(d.r2.id), v2, 'a lower seq is ignored');
        await readModel.upsert({ ...d.r2, seq: 2, status: 'LEST', tittel: 'samme seq', view: { samme: true } });
        assert.deepEqual(await readModel.get(d.r2.id), v2, 'an equal seq is ignored');
        const { eksternref: _e, mottakerId: _m, ...rest } = d.r2;
        const v3: ForsendelseRecord = { ...rest, seq: 3, status: 'LEST', tittel: 'Ny tittel', view: { ny: true } };
        await readModel.upsert(v3);
        assert.deepEqual(await readModel.get(d.r2.id), v3, 'a higher seq replaces, dropping fields it no longer has');
        assert.deepEqual(await readModel.idsByEksternref(d.A, 'sak-2'), []);
        const q = { avsendere: [d.A], limit: 10, offset: 0 };
        assert.equal((await readModel.search({ ...q, status: ['VARSLET'] })).total, 0);
        assert.deepEqual(
          (await readModel.search({ ...q, status: ['LEST'] })).items.map((r) => r.id),
          [d.r2.id],
        );
        assert.equal((await readModel.search({ ...q, tittel: 'faktura' })).total, 0);
        assert.equal((await readModel.search({ ...q, tittel: 'ny tittel' })).total, 1);
        assert.deepEqual(await readModel.projectedSeq([d.r2.id]), new Map([[d.r2.id, 3]]));
      }));

    void it('gets many, leaving out unknown ids', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = dataset();
        for (const r of d.all) await readModel.upsert(r);
        const found = await readModel.getMany([d.r3.id, 'ukjent', d.r1.id]);
        assert.deepEqual(found.map((r) => r.id).sort(), [d.r1.id, d.r3.id].sort());
        assert.deepEqual(
          found.find((r) => r.id === d.r3.id),
          d.r3,
        );
        assert.deepEqual(await readModel.getMany([]), []);
      }));

    void it('reads statuses from the columns, in the order asked, leaving out unknown ids', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = dataset();
        for (const r of d.all) await readModel.upsert(r);
        const of = (r: typeof d.r1) => ({
          id: r.id,
          avsender: r.avsender,
          status: r.status,
          sisteStatusEndring: r.sisteStatusEndring,
        });
        assert.deepEqual(await readModel.statusesOf([d.r3.id, 'ukjent', d.r1.id, d.r3.id]), [of(d.r3), of(d.r1)]);
        assert.deepEqual(await readModel.statusesOf([]), []);
      }));

    void it('reports the projected seq per id, 0 for unknown ids', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = dataset();
        await readModel.upsert(d.r4);
        await readModel.upsert(d.r5);
        const seqs = await readModel.projectedSeq([d.r4.id, d.r5.id, 'ukjent']);
        assert.deepEqual(
          seqs,
          new Map([
            [d.r4.id, 4],
            [d.r5.id, 5],
            ['ukjent', 0],
          ]),
        );
      }));

    void it('finds ids by eksternref within one avsender only, oldest first', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = dataset();
        for (const r of [d.r5, d.r4, d.r1, d.r2]) await readModel.upsert(r);
        assert.deepEqual(await readModel.idsByEksternref(d.A, 'sak-1'), [d.r1.id, d.r5.id]);
        assert.deepEqual(await readModel.idsByEksternref(d.B, 'sak-1'), [d.r4.id]);
        assert.deepEqual(await readModel.idsByEksternref(d.A, 'sak-'), [], 'exact match only');
        assert.deepEqual(await readModel.idsByEksternref(`${d.A}-annen`, 'sak-1'), []);
      }));

    void it('lists ids by status, oldest first, up to the limit', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = dataset();
        for (const r of [...d.all].reverse()) await readModel.upsert(r);
        assert.deepEqual(await readModel.idsByStatus(['VARSLET'], 10), [d.r2.id, d.r4.id, d.r5.id]);
        assert.deepEqual(await readModel.idsByStatus(['VARSLET', 'MOTTATT'], 2), [d.r1.id, d.r2.id]);
        assert.deepEqual(await readModel.idsByStatus(['IKKE_LEVERT'], 10), []);
        assert.deepEqual(await readModel.idsByStatus([], 10), []);
      }));

    void it('pages through every id in id order, after a cursor', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = dataset();
        for (const r of [...d.all].reverse()) await readModel.upsert(r);
        const sorted = d.all.map((r) => r.id).sort();
        const seen: string[] = [];
        for (let after: string | undefined, page: string[]; ; after = page.at(-1)) {
          page = await readModel.idsAfter(after, 2);
          assert.ok(page.length <= 2);
          seen.push(...page);
          if (page.length < 2) break;
        }
        assert.deepEqual(seen, sorted);
        assert.deepEqual(await readModel.idsAfter(sorted.at(-1), 10), []);
        assert.deepEqual(await readModel.idsAfter(undefined, 0), []);
      }));

    void it('searches by each filter, newest first, with the total', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = dataset();
        for (const r of d.all) await readModel.upsert(r);
        const ids = async (q: Omit<ForsendelseQuery, 'limit' | 'offset'>): Promise<string[]> => {
          const page = await readModel.search({ limit: 50, offset: 0, ...q });
          assert.equal(page.total, page.items.length, `total of ${JSON.stringify(q)}`);
          return page.items.map((r) => r.id);
        };
        const { r1, r2, r3, r4, r5, r6, A, B } = d;
        assert.deepEqual(
          await ids({}),
          [r6, r5, r4, r3, r2, r1].map((r) => r.id),
        );
        assert.deepEqual(await ids({ id: r3.id }), [r3.id]);
        assert.deepEqual(
          await ids({ avsendere: [A] }),
          [r5, r3, r2, r1].map((r) => r.id),
        );
        assert.deepEqual(
          await ids({ avsendere: [A, B] }),
          [r6, r5, r4, r3, r2, r1].map((r) => r.id),
        );
        assert.deepEqual(await ids({ avsendere: [] }), [], 'an empty avsender list sees nothing');
        assert.deepEqual(await ids({ avsendere: ['ukjent'] }), []);
        assert.deepEqual(
          await ids({ status: ['VARSLET'] }),
          [r5, r4, r2].map((r) => r.id),
        );
        assert.deepEqual(
          await ids({ status: ['VARSLET', 'LEST'] }),
          [r5, r4, r3, r2].map((r) => r.id),
        );
        assert.deepEqual(
          await ids({ fra: r2.mottattAt, til: r5.mottattAt }),
          [r4, r3, r2].map((r) => r.id),
          'fra inclusive, til exclusive',
        );
        assert.deepEqual(
          await ids({ fra: r5.mottattAt }),
          [r6, r5].map((r) => r.id),
        );
        assert.deepEqual(await ids({ til: r2.mottattAt }), [r1.id]);
        assert.deepEqual(
          await ids({ mottakerNavn: 'nordMANN' }),
          [r3, r1].map((r) => r.id),
        );
        assert.deepEqual(await ids({ mottakerNavn: 'øst' }), [r5.id], 'case-insensitive beyond ASCII');
        assert.deepEqual(await ids({ mottakerNavn: 'ærlig' }), [r2.id]);
        assert.deepEqual(await ids({ mottakerId: '01010112345' }), [r1.id]);
        assert.deepEqual(await ids({ mottakerId: '0101' }), [], 'mottakerId is exact');
        assert.deepEqual(
          await ids({ tittel: 'VEDTAK' }),
          [r4, r1].map((r) => r.id),
        );
        assert.deepEqual(await ids({ tittel: '100%' }), [r2.id], '% is a literal character');
        assert.deepEqual(await ids({ tittel: 'g_m' }), [r3.id], '_ is a literal character');
        assert.deepEqual(await ids({ tittel: 'SØKNAD' }), [r5.id]);
        assert.deepEqual(
          await ids({ eksternref: 'sak-1' }),
          [r5, r4, r1].map((r) => r.id),
        );
        assert.deepEqual(
          await ids({ avsendere: [A], status: ['VARSLET', 'MOTTATT'], eksternref: 'sak-1' }),
          [r5, r1].map((r) => r.id),
        );
        assert.deepEqual(
          await ids({ avsendere: [A], status: ['VARSLET'], tittel: 'søknad', fra: r5.mottattAt, til: r6.mottattAt }),
          [r5.id],
        );
        assert.deepEqual(
          await ids({ oldestFirst: true }),
          [r1, r2, r3, r4, r5, r6].map((r) => r.id),
        );
        assert.deepEqual(
          (await readModel.search({ status: ['VARSLET'], oldestFirst: true, limit: 2, offset: 1 })).items.map(
            (r) => r.id,
          ),
          [r4, r5].map((r) => r.id),
          'oldest first, paged',
        );
        // From a cursor (the last row of the page before), both ways; total counts every match.
        const fromCursor = await readModel.search({
          etter: { mottattAt: r4.mottattAt, id: r4.id },
          limit: 2,
          offset: 0,
        });
        assert.deepEqual(
          fromCursor.items.map((r) => r.id),
          [r3, r2].map((r) => r.id),
        );
        assert.equal(fromCursor.total, 6);
        assert.deepEqual(
          (
            await readModel.search({
              etter: { mottattAt: r4.mottattAt, id: r4.id },
              oldestFirst: true,
              limit: 5,
              offset: 0,
            })
          ).items.map((r) => r.id),
          [r5, r6].map((r) => r.id),
        );
        // Same time, then by id: the cursor's own row is never listed again.
        assert.deepEqual(
          (
            await readModel.search({ etter: { mottattAt: r4.mottattAt, id: `${r4.id}0` }, limit: 1, offset: 0 })
          ).items.map((r) => r.id),
          [r4.id],
        );
      }));

    void it('finds the letters waiting for a receiving system by it, oldest first, and no longer once a newer record has none', () =>
      withFixture(factory, async ({ readModel }) => {
        const uid = randomUUID().slice(0, 8);
        const waiting = (n: number, system: string | undefined): ForsendelseRecord => ({
          id: `${uid}-s${n}`,
          avsender: 'kommune',
          status: 'KLAR_FOR_MOTTAK',
          mottattAt: T0 + n * 1000,
          sisteStatusEndring: T0 + n * 1000,
          tittel: `Brev ${n}`,
          mottakerId: '920123456',
          kanal: 'svarinn',
          ...(system === undefined ? {} : { svarinnSystem: system }),
          seq: n,
          view: { n },
        });
        const [a1, b2, a3, none4] = [
          waiting(1, `${uid}-a`),
          waiting(2, `${uid}-b`),
          waiting(3, `${uid}-a`),
          waiting(4, undefined),
        ];
        for (const r of [a3, none4, b2, a1]) await readModel.upsert(r);
        assert.deepEqual(await readModel.get(a1.id), a1, 'the field round-trips');
        assert.ok(!('svarinnSystem' in ((await readModel.get(none4.id)) ?? {})), 'absent stays absent');
        const ids = async (system: string): Promise<string[]> =>
          (await readModel.search({ svarinnSystem: system, oldestFirst: true, limit: 10, offset: 0 })).items.map(
            (r) => r.id,
          );
        assert.deepEqual(await ids(`${uid}-a`), [a1.id, a3.id]);
        assert.deepEqual(await ids(`${uid}-b`), [b2.id]);
        // Acknowledged: the newer record waits for nobody, and the system's search no longer finds it.
        const { svarinnSystem: _gone, ...rest } = a1;
        await readModel.upsert({ ...rest, status: 'LEST', seq: a1.seq + 10 });
        assert.deepEqual(await ids(`${uid}-a`), [a3.id]);
      }));

    void it('finds the letters sent to manual print by their facts, and those that were not', () =>
      withFixture(factory, async ({ readModel }) => {
        const uid = randomUUID().slice(0, 8);
        const printed = (n: number, manuellPrint: boolean | undefined): ForsendelseRecord => ({
          id: `${uid}-p${n}`,
          avsender: `${uid}-kommune`,
          status: 'SENDT_PRINT',
          mottattAt: T0 + n * 1000,
          sisteStatusEndring: T0 + n * 1000,
          tittel: `Brev ${n}`,
          kanal: 'print',
          seq: n,
          view: { n },
          ...(manuellPrint === undefined
            ? {}
            : { fakta: { levering: 'papir', varslet: false, lest: false, manuellPrint } }),
        });
        for (const r of [printed(1, true), printed(2, false), printed(3, true), printed(4, undefined)])
          await readModel.upsert(r);
        const ids = async (manuellPrint: boolean): Promise<string[]> =>
          (
            await readModel.search({
              avsendere: [`${uid}-kommune`],
              status: ['SENDT_PRINT'],
              manuellPrint,
              oldestFirst: true,
              limit: 10,
              offset: 0,
            })
          ).items.map((r) => r.id);
        assert.deepEqual(await ids(true), [`${uid}-p1`, `${uid}-p3`]);
        assert.deepEqual(await ids(false), [`${uid}-p2`, `${uid}-p4`], 'a record without facts was not');
      }));

    void it('returns search items with the record fields', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = dataset();
        for (const r of d.all) await readModel.upsert(r);
        const page = await readModel.search({ avsendere: [d.A], limit: 50, offset: 0 });
        assert.deepEqual(page.items.map(withoutView), [d.r5, d.r3, d.r2, d.r1].map(withoutView));
      }));

    void it('pages with limit and offset, keeping the total', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = dataset();
        for (const r of d.all) await readModel.upsert(r);
        const page = (offset: number) => readModel.search({ avsendere: [d.A, d.B], limit: 2, offset });
        const pages = await Promise.all([0, 2, 4, 6].map(page));
        assert.deepEqual(
          pages.map((p) => p.total),
          [6, 6, 6, 6],
        );
        assert.deepEqual(
          pages.map((p) => p.items.map((r) => r.id)),
          [[d.r6.id, d.r5.id], [d.r4.id, d.r3.id], [d.r2.id, d.r1.id], []],
        );
      }));

    void it('returns the statistics facts a record was stored with, and none when it had none', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = statisticsDataset();
        for (const r of d.records) await readModel.upsert(r);
        for (const r of d.records) assert.deepEqual(await readModel.get(r.id), r);
        const [first] = d.records;
        assert.ok(first !== undefined);
        const replaced: ForsendelseRecord = {
          ...first,
          seq: 2,
          fakta: { levering: 'papir', varslet: true, lest: false, manuellPrint: true },
        };
        await readModel.upsert(replaced);
        assert.deepEqual(await readModel.get(first.id), replaced, 'a higher seq replaces the facts');
      }));

    void it('aggregates statistics per avsender and bucket, half-open, with receipts, codes and read times', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = statisticsDataset();
        for (const r of d.records) await readModel.upsert(r);
        const agg = await readModel.aggregateStatistics({ grenser: d.grenser, lesetidGrenser: d.lesetidGrenser });
        const groups = groupsByKey(agg);
        assert.deepEqual(groups.get(`${d.A}#0`), {
          ...ZERO_GROUP,
          antall: 2,
          digitalt: 1,
          papir: 1,
          varslet: 1,
          lest: 1,
          kvitteringer: 1,
          sider: 3,
          ark: 2,
          konvolutter: 1,
          portoOre: 2300,
          produksjonOre: 300,
        });
        assert.deepEqual(groups.get(`${d.B}#0`), { ...ZERO_GROUP, antall: 1, digitalt: 1, varslet: 1 });
        assert.deepEqual(
          groups.get(`${d.A}#1`),
          {
            ...ZERO_GROUP,
            antall: 3,
            digitalt: 1,
            papir: 1,
            annet: 1,
            varslet: 1,
            lest: 1,
            manuelle: 1,
            utenKvittering: 1,
          },
          'a record without facts counts as annet',
        );
        assert.deepEqual(groups.get(`${d.B}#2`), {
          ...ZERO_GROUP,
          antall: 2,
          digitalt: 1,
          papir: 1,
          varslet: 1,
          lest: 1,
          kvitteringer: 1,
          sider: 1,
          ark: 1,
          konvolutter: 1,
          portoOre: 2000,
          produksjonOre: 100,
        });
        assert.equal(groups.size, 4, 'no group for an (avsender, bucket) without letters, none outside the period');
        const koder = [...agg.konteringskoder].sort((a, b) => (a.kode ?? '').localeCompare(b.kode ?? ''));
        assert.deepEqual(koder, [
          { antall: 1, kostnadOre: 2100 },
          { kode: 'BYGG', antall: 1, kostnadOre: 2600 },
        ]);
        assert.deepEqual(agg.lesetider, {
          antall: 3,
          sumMs: 30 * 60_000 + 5 * HOUR + 72 * HOUR,
          medianMs: 5 * HOUR,
          fordeling: [1, 1, 0, 1],
        });
      }));

    void it('aggregates only the chosen avsendere; an empty list matches nothing; an even count has the mean median', () =>
      withFixture(factory, async ({ readModel }) => {
        const d = statisticsDataset();
        for (const r of d.records) await readModel.upsert(r);
        const q = { grenser: d.grenser, lesetidGrenser: d.lesetidGrenser };
        const onlyB = await readModel.aggregateStatistics({ ...q, avsendere: [d.B] });
        assert.deepEqual([...groupsByKey(onlyB).keys()].sort(), [`${d.B}#0`, `${d.B}#2`]);
        assert.deepEqual(onlyB.lesetider, {
          antall: 1,
          sumMs: 72 * HOUR,
          medianMs: 72 * HOUR,
          fordeling: [0, 0, 0, 1],
        });
        const onlyA = await readModel.aggregateStatistics({ ...q, avsendere: [d.A] });
        assert.equal(onlyA.lesetider.medianMs, (30 * 60_000 + 5 * HOUR) / 2);
        const none = await readModel.aggregateStatistics({ ...q, avsendere: [] });
        assert.deepEqual(none, {
          grupper: [],
          konteringskoder: [],
          lesetider: { antall: 0, sumMs: 0, fordeling: [0, 0, 0, 0] },
        });
        const empty = await readModel.aggregateStatistics({
          grenser: [T0 - 10 * HOUR, T0 - 5 * HOUR],
          lesetidGrenser: d.lesetidGrenser,
        });
        assert.deepEqual(
          empty,
          { grupper: [], konteringskoder: [], lesetider: { antall: 0, sumMs: 0, fordeling: [0, 0, 0, 0] } },
          'no median without read times',
        );
      }));

    void it('pages records received at the same instant without losing or repeating any', () =>
      withFixture(factory, async ({ readModel }) => {
        const avsender = `samtidig-${randomUUID()}`;
        const ids = Array.from({ length: 7 }, (_, i) => `${randomUUID()}-${i}`);
        for (const id of ids) {
          await readModel.upsert({
            id,
            avsender,
            status: 'MOTTATT',
            sisteStatusEndring: T0,
            mottattAt: T0,
            tittel: 't',
            seq: 1,
            view: {},
          });
        }
        const seen: string[] = [];
        for (let offset = 0; offset < 8; offset += 3) {
          const p = await readModel.search({ avsendere: [avsender], limit: 3, offset });
          assert.equal(p.total, 7);
          seen.push(...p.items.map((r) => r.id));
        }
        assert.deepEqual([...seen].sort(), [...ids].sort());
      }));
  });
}

/** What the versioned-view suite needs: a read model and the journal it is projected from. */
export interface VersionedViewFixture {
  readonly readModel: ReadModel;
  readonly journal: Journal;
  cleanup(): Promise<void>;
}

/** A letter's events journaled under a fresh id; the state they fold to and its stored record. */
async function journaledLetter(
  journal: Journal,
  events: readonly ForsendelseEvent[],
): Promise<{ id: string; state: ForsendelseState; record: ForsendelseRecord }> {
  const id = randomUUID();
  const withId = events.map((e) => (e.type === 'Mottatt' ? { ...e, id } : e));
  await journal.append(
    withId.map((e, i) => ({
      key: `forsendelse:${id}`,
      seq: i + 1,
      data: e as unknown as Json,
      tags: [],
      createdAt: e.at,
    })),
  );
  const state = existing(withId);
  // As JSON carries it: keys whose value is undefined are not stored.
  return { id, state: JSON.parse(JSON.stringify(state)) as ForsendelseState, record: toRecord(state, withId.length) };
}

/**
 * Read-model views carry a version and are decoded with a check (src/domain/record-view.ts,
 * src/app/view-checked-read-model.ts) on every adapter: a view of an older version is read
 * migrated, a corrupt one is rebuilt from the journal and reported, never handed out cast.
 */
export function versionedViewContract(name: string, factory: () => Promise<VersionedViewFixture>): void {
  void describe(`${name}: versioned views`, () => {
    const opened = async (f: VersionedViewFixture) => {
      const problems: ViewProblem[] = [];
      return { problems, views: viewCheckedReadModel(f.readModel, f.journal, (p) => problems.push(p)) };
    };

    void it('stores the current version and reads it back unchanged', () =>
      withFixture(factory, async (f) => {
        const { problems, views } = await opened(f);
        const { id, state, record } = await journaledLetter(f.journal, upTo.varslet());
        await views.upsert(record);
        const stored = await f.readModel.get(id);
        assert.equal((stored?.view as { viewVersion?: unknown }).viewVersion, VIEW_VERSION);
        const read = await views.get(id);
        assert.ok(read !== undefined);
        assert.deepEqual(fromRecord(read), state);
        assert.deepEqual(problems, []);
      }));

    void it('reads a view written before views had a version, migrated to the current one', () =>
      withFixture(factory, async (f) => {
        const { problems, views } = await opened(f);
        const { id, state, record } = await journaledLetter(f.journal, upTo.printet());
        // Version 1: the bare state, as toRecord wrote it before views were stamped.
        await f.readModel.upsert({ ...record, view: JSON.parse(JSON.stringify(state)) as Json });
        for (const read of [
          await views.get(id),
          (await views.getMany([id]))[0],
          (await views.search({ id, limit: 10, offset: 0 })).items[0],
        ]) {
          assert.ok(read !== undefined);
          assert.equal((read.view as { viewVersion?: unknown }).viewVersion, VIEW_VERSION);
          assert.deepEqual(fromRecord(read), state);
        }
        assert.deepEqual(problems, []);
      }));

    void it('rebuilds a corrupt view from the journal and reports it', () =>
      withFixture(factory, async (f) => {
        const { problems, views } = await opened(f);
        const { id, state, record } = await journaledLetter(f.journal, upTo.varslet());
        const damaged = { ...(record.view as Record<string, Json>), status: 'BORTE', dokumenter: 'ingen' };
        await f.readModel.upsert({ ...record, view: damaged });
        assert.throws(() => fromRecord({ ...record, view: damaged }), CorruptViewError, 'a corrupt view is never cast');
        const read = await views.get(id);
        assert.ok(read !== undefined);
        assert.deepEqual(JSON.parse(JSON.stringify(fromRecord(read))), state);
        assert.equal(read.seq, record.seq);
        assert.deepEqual(
          problems.map((p) => [p.forsendelseId, p.rebuilt]),
          [[id, true]],
        );
        assert.match(problems[0]?.problem ?? '', /status|dokumenter/);
      }));

    void it('reports a corrupt view it cannot rebuild, and reading it fails instead of guessing', () =>
      withFixture(factory, async (f) => {
        const { problems, views } = await opened(f);
        const { record } = await journaledLetter(f.journal, upTo.akseptert());
        const orphan = { ...record, id: randomUUID() }; // no events under this id
        const corruptViews: Json[] = [
          { ...(orphan.view as Record<string, Json>), viewVersion: VIEW_VERSION + 1 },
          'not an object',
          { id: orphan.id },
        ];
        for (const view of corruptViews) {
          await f.readModel.upsert({ ...orphan, seq: orphan.seq + problems.length + 1, view });
          const read = await views.get(orphan.id);
          assert.ok(read !== undefined);
          assert.throws(() => fromRecord(read), CorruptViewError);
        }
        assert.deepEqual(
          problems.map((p) => p.rebuilt),
          [false, false, false],
        );
        assert.match(problems[0]?.problem ?? '', /version/);
      }));
  });
}
