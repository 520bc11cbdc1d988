/**
 * Statistics facts on MongoDB: the `fakta` subdocument of a read-model document and the
 * aggregate the admin statistics read, the same sums as the SQLite adapter's GROUP BY
 * (src/storage/sqlite/sqlite-statistics.ts) as one `$facet` pipeline run by the server,
 * plus a sorted `$skip`/`$limit` for the median. No view is parsed.
 */
import type { Collection, Document, Filter } from 'mongodb';
import type { StatisticsAggregate, StatisticsGroup, StatisticsQuery } from '../ports.js';
import type { ForsendelseDoc } from './mongo-search.js';

/** Checks the query's boundaries: at least two, ascending, finite (a programming error otherwise). */
function checkQuery(query: StatisticsQuery): void {
  const ascending = (xs: readonly number[]): boolean =>
    xs.every((t, i) => Number.isSafeInteger(t) && (i === 0 || t > (xs[i - 1] ?? t)));
  if (query.grenser.length < 2 || !ascending(query.grenser))
    throw new RangeError('grenser must be at least two ascending safe integers');
  if (!ascending(query.lesetidGrenser)) throw new RangeError('lesetidGrenser must ascend');
}

/** 1 for each document where `condition` holds, summed. */
const countIf = (condition: Document): Document => ({ $sum: { $cond: [condition, 1, 0] } });
/** True when the field is present. */
const present = (field: string): Document => ({ $ne: [{ $type: field }, 'missing'] });

/** Sums the facts of the letters received in the query's period (see ReadModel.aggregateStatistics). */
export async function aggregateStatistics(
  docs: Collection<ForsendelseDoc>,
  query: StatisticsQuery,
): Promise<StatisticsAggregate> {
  checkQuery(query);
  const l = query.lesetidGrenser;
  const klasser = l.length + 1;
  if (query.avsendere?.length === 0)
    return {
      grupper: [],
      konteringskoder: [],
      lesetider: { antall: 0, sumMs: 0, fordeling: Array.from({ length: klasser }, () => 0) },
    };
  const g = [...query.grenser];
  const match: Filter<ForsendelseDoc> = {
    mottattAt: { $gte: g[0] ?? 0, $lt: g[g.length - 1] ?? 0 },
    ...(query.avsendere === undefined ? {} : { avsender: { $in: [...query.avsendere] } }),
  };
  const levering = { $ifNull: ['$fakta.levering', 'annet'] };
  // The bucket of a letter: how many boundaries lie at or before its time, less one.
  const bucket = {
    $subtract: [{ $size: { $filter: { input: g, as: 'g', cond: { $lte: ['$$g', '$mottattAt'] } } } }, 1],
  };
  const lesetid = '$fakta.lesetidMs';
  // Class i: [l[i - 1], l[i]); the first has no lower bound, the last no upper one.
  const klasse = (i: number): Document => {
    const over = i === 0 ? [] : [{ $gte: [lesetid, l[i - 1]] }];
    const under = i === l.length ? [] : [{ $lt: [lesetid, l[i]] }];
    return { $and: [true, ...over, ...under] };
  };

  const [facets] = await docs
    .aggregate<{ grupper: Document[]; koder: Document[]; lesetider: Document[] }>(
      [
        { $match: match },
        { $project: { _id: 0, avsender: 1, mottattAt: 1, fakta: 1 } },
        {
          $facet: {
            grupper: [
              {
                $group: {
                  _id: { avsender: '$avsender', bucket },
                  antall: { $sum: 1 },
                  digitalt: countIf({ $eq: [levering, 'digitalt'] }),
                  papir: countIf({ $eq: [levering, 'papir'] }),
                  annet: countIf({ $eq: [levering, 'annet'] }),
                  varslet: countIf({ $eq: ['$fakta.varslet', true] }),
                  lest: countIf({ $eq: ['$fakta.lest', true] }),
                  kvitteringer: countIf(present('$fakta.kvittering')),
                  // $sum skips missing fields: letters without a receipt add nothing.
                  sider: { $sum: '$fakta.kvittering.sider' },
                  ark: { $sum: '$fakta.kvittering.ark' },
                  konvolutter: { $sum: '$fakta.kvittering.konvolutter' },
                  portoOre: { $sum: '$fakta.kvittering.portoOre' },
                  produksjonOre: { $sum: '$fakta.kvittering.produksjonOre' },
                  manuelle: countIf({ $eq: ['$fakta.manuellPrint', true] }),
                  utenKvittering: countIf({
                    $and: [{ $eq: [levering, 'papir'] }, { $not: [present('$fakta.kvittering')] }],
                  }),
                },
              },
            ],
            koder: [
              { $match: { 'fakta.kvittering': { $exists: true } } },
              {
                $group: {
                  _id: { $ifNull: ['$fakta.kvittering.konteringskode', null] },
                  antall: { $sum: 1 },
                  kostnadOre: { $sum: { $add: ['$fakta.kvittering.portoOre', '$fakta.kvittering.produksjonOre'] } },
                },
              },
            ],
            lesetider: [
              { $match: { 'fakta.lesetidMs': { $exists: true } } },
              {
                $group: {
                  _id: null,
                  antall: { $sum: 1 },
                  sumMs: { $sum: lesetid },
                  ...Object.fromEntries(Array.from({ length: klasser }, (_, i) => [`k${i}`, countIf(klasse(i))])),
                },
              },
            ],
          },
        },
      ],
      { allowDiskUse: true },
    )
    .toArray();

  const grupper: StatisticsGroup[] = (facets?.grupper ?? []).map((d) => {
    const { _id, ...sums } = d as { _id: { avsender: string; bucket: number } } & Record<string, number>;
    return {
      ...(sums as unknown as Omit<StatisticsGroup, 'avsender' | 'bucket'>),
      avsender: _id.avsender,
      bucket: _id.bucket,
    };
  });
  const koder = (facets?.koder ?? []).map((d) => ({
    ...(typeof d._id === 'string' ? { kode: d._id } : {}),
    antall: Number(d.antall),
    kostnadOre: Number(d.kostnadOre),
  }));
  const les = facets?.lesetider[0];
  const antall = Number(les?.antall ?? 0);
  let medianMs: number | undefined;
  if (antall > 0) {
    // The middle one (odd) or two (even) of the sorted read times; $sort + $limit keeps only those in memory.
    const middle = await docs
      .aggregate<{ v: number }>(
        [
          { $match: { ...match, 'fakta.lesetidMs': { $exists: true } } },
          { $sort: { 'fakta.lesetidMs': 1 } },
          { $skip: antall % 2 === 1 ? (antall - 1) / 2 : antall / 2 - 1 },
          { $limit: antall % 2 === 1 ? 1 : 2 },
          { $project: { _id: 0, v: '$fakta.lesetidMs' } },
        ],
        { allowDiskUse: true },
      )
      .toArray();
    medianMs = middle.reduce((a, b) => a + b.v, 0) / middle.length;
  }
  return {
    grupper,
    konteringskoder: koder,
    lesetider: {
      antall,
      sumMs: Number(les?.sumMs ?? 0),
      ...(medianMs === undefined ? {} : { medianMs }),
      fordeling: Array.from({ length: klasser }, (_, i) => Number(les?.[`k${i}`] ?? 0)),
    },
  };
}
