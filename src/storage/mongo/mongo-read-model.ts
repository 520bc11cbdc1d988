/**
 * The forsendelse read model on MongoDB: one document per forsendelse (`_id` = its id),
 * a field per ForsendelseRecord field, case-folded copies of the searchable texts, and the
 * view as JSON text. Indexes follow the
 * admin searches (avsender + status + period, newest first) and the lookups the service
 * does (eksternref, mottakerId, status sweeps).
 */
import type { Collection, Db } from 'mongodb';
import type { ForsendelseStatus, Kanal } from '../../domain/model.js';
import type {
  ForsendelsePage,
  ForsendelseQuery,
  ForsendelseRecord,
  Json,
  ReadModel,
  StatisticsAggregate,
  StatisticsQuery,
  StatusRow,
} from '../ports.js';
import { backfillStatisticsFacts, backfillSvarInnSystem, backfillUndeliveredFacts } from './facts-backfill.js';
import { replaceUnlessNewer } from './replace-unless-newer.js';
import { buildSearchFilter, foldCase, type ForsendelseDoc } from './mongo-search.js';
import { aggregateStatistics } from './mongo-statistics.js';

/** Settings for MongoReadModel.open. */
export interface MongoReadModelOptions {
  /** Collection name, default `forsendelser`. */
  readonly collection?: string;
}

/** ReadModel over the `forsendelser` collection. */
export class MongoReadModel implements ReadModel {
  private constructor(private readonly docs: Collection<ForsendelseDoc>) {}

  /** Opens the collection and creates its indexes (idempotent). */
  static async open(db: Db, options: MongoReadModelOptions = {}): Promise<MongoReadModel> {
    const docs = db.collection<ForsendelseDoc>(options.collection ?? 'forsendelser');
    await docs.createIndexes([
      // Admin list: an avsender's (or organisation's) forsendelser by status, newest first.
      { key: { avsender: 1, status: 1, mottattAt: -1 }, name: 'avsender_status_mottattAt' },
      // Admin list without an avsender filter (the central admin), newest first.
      { key: { mottattAt: -1, _id: -1 }, name: 'mottattAt' },
      // idsByStatus: recovery sweeps and the print queue, oldest first.
      { key: { status: 1, mottattAt: 1, _id: 1 }, name: 'status_mottattAt' },
      // Search by fødselsnummer / orgnr.
      { key: { mottakerId: 1, mottattAt: -1 }, name: 'mottakerId' },
      // idsByEksternref (the REST API's eksternref lookup) and the search filter.
      { key: { avsender: 1, eksternref: 1, mottattAt: 1 }, name: 'avsender_eksternref' },
      // A receiving system's poll (SvarInn): the letters waiting for it, oldest first.
      { key: { svarinnSystem: 1, mottattAt: 1, _id: 1 }, name: 'svarinnSystem', sparse: true },
    ]);
    // Documents projected before statistics facts, or the waiting letter's system, existed
    // get them once (a marker records each).
    await backfillStatisticsFacts(db, docs.collectionName);
    await backfillUndeliveredFacts(db, docs.collectionName);
    await backfillSvarInnSystem(db, docs.collectionName);
    return new MongoReadModel(docs);
  }

  /**
   * Inserts the record, or replaces the stored one if `record.seq` is higher: projections
   * may arrive out of order (a retried actor, a repair at start-up, two nodes).
   */
  async upsert(record: ForsendelseRecord): Promise<void> {
    const doc = toDoc(record);
    await replaceUnlessNewer(this.docs, doc, { replaceEqual: false });
  }

  /** The record of `id`, if any. */
  async get(id: string): Promise<ForsendelseRecord | undefined> {
    const doc = await this.docs.findOne({ _id: id });
    return doc === null ? undefined : fromDoc(doc);
  }

  /** The records found among `ids`, in the order of `ids`. */
  async getMany(ids: readonly string[]): Promise<ForsendelseRecord[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const docs = await this.docs.find({ _id: { $in: unique } }).toArray();
    const byId = new Map(docs.map((d) => [d._id, d]));
    return unique.flatMap((id) => {
      const doc = byId.get(id);
      return doc === undefined ? [] : [fromDoc(doc)];
    });
  }

  /** The status fields of the letters found among `ids`, in the order of `ids`. */
  async statusesOf(ids: readonly string[]): Promise<StatusRow[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const docs = await this.docs
      .find({ _id: { $in: unique } }, { projection: { _id: 1, avsender: 1, status: 1, sisteStatusEndring: 1 } })
      .toArray();
    const byId = new Map(docs.map((d) => [d._id, d]));
    return unique.flatMap((id) => {
      const doc = byId.get(id);
      if (doc === undefined) return [];
      const status = doc.status as ForsendelseStatus;
      return [{ id, avsender: doc.avsender, status, sisteStatusEndring: doc.sisteStatusEndring }];
    });
  }

  /** Ids of the avsender's forsendelser with this eksternref, oldest first. */
  async idsByEksternref(avsender: string, eksternref: string): Promise<string[]> {
    const docs = await this.docs
      .find({ avsender, eksternref }, { projection: { _id: 1 }, sort: { mottattAt: 1, _id: 1 } })
      .toArray();
    return docs.map((d) => d._id);
  }

  /** One page of matches, newest first (or oldest), and the total number of matches. */
  async search(query: ForsendelseQuery): Promise<ForsendelsePage> {
    const filter = buildSearchFilter(query);
    if (filter === undefined) return { items: [], total: 0 };
    const limit = Math.max(0, Math.trunc(query.limit));
    const offset = Math.max(0, Math.trunc(query.offset));
    const total = await this.docs.countDocuments(filter);
    // limit(0) would mean "no limit" to MongoDB; a page of 0 is empty here.
    if (limit === 0) return { items: [], total };
    const order = query.oldestFirst === true ? 1 : -1;
    // After the cursor in the list's order: older (newest first) or newer (oldest first).
    const cursor = query.etter;
    const beyond = order === 1 ? '$gt' : '$lt';
    const page =
      cursor === undefined
        ? filter
        : {
            $and: [
              filter,
              {
                $or: [
                  { mottattAt: { [beyond]: cursor.mottattAt } },
                  { mottattAt: cursor.mottattAt, _id: { [beyond]: cursor.id } },
                ],
              },
            ],
          };
    const docs = await this.docs.find(page, { sort: { mottattAt: order, _id: order }, skip: offset, limit }).toArray();
    return { items: docs.map(fromDoc), total };
  }

  /** Ids in one of `statuses`, oldest first. */
  async idsByStatus(statuses: readonly ForsendelseStatus[], limit: number): Promise<string[]> {
    if (statuses.length === 0 || limit <= 0) return [];
    const docs = await this.docs
      .find(
        { status: { $in: [...statuses] } },
        { projection: { _id: 1 }, sort: { mottattAt: 1, _id: 1 }, limit: Math.trunc(limit) },
      )
      .toArray();
    return docs.map((d) => d._id);
  }

  /** Ids after `after` in id order (the _id index). */
  async idsAfter(after: string | undefined, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const docs = await this.docs
      .find(after === undefined ? {} : { _id: { $gt: after } }, {
        projection: { _id: 1 },
        sort: { _id: 1 },
        limit: Math.trunc(limit),
      })
      .toArray();
    return docs.map((d) => d._id);
  }

  /** Projected seq per id, 0 for ids without a record. */
  async projectedSeq(ids: readonly string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>(ids.map((id) => [id, 0]));
    if (ids.length === 0) return result;
    const docs = await this.docs.find({ _id: { $in: [...new Set(ids)] } }, { projection: { seq: 1 } }).toArray();
    for (const d of docs) result.set(d._id, d.seq);
    return result;
  }

  /** Sums the statistics facts of a period with one aggregation pipeline on the server. */
  async aggregateStatistics(query: StatisticsQuery): Promise<StatisticsAggregate> {
    return aggregateStatistics(this.docs, query);
  }

  /** Nothing to release: the client belongs to the MongoConnection. */
  async close(): Promise<void> {}
}

function toDoc(r: ForsendelseRecord): ForsendelseDoc {
  // Absent optional fields stay absent (not null), so fromDoc gives back exactly the
  // record that was stored.
  return {
    _id: r.id,
    avsender: r.avsender,
    status: r.status,
    sisteStatusEndring: r.sisteStatusEndring,
    mottattAt: r.mottattAt,
    tittel: r.tittel,
    tittelLc: foldCase(r.tittel),
    ...(r.eksternref === undefined ? {} : { eksternref: r.eksternref }),
    ...(r.mottakerNavn === undefined ? {} : { mottakerNavn: r.mottakerNavn, mottakerNavnLc: foldCase(r.mottakerNavn) }),
    ...(r.mottakerId === undefined ? {} : { mottakerId: r.mottakerId }),
    ...(r.kanal === undefined ? {} : { kanal: r.kanal }),
    ...(r.svarinnSystem === undefined ? {} : { svarinnSystem: r.svarinnSystem }),
    seq: r.seq,
    view: JSON.stringify(r.view),
    ...(r.fakta === undefined ? {} : { fakta: r.fakta }),
  };
}

function fromDoc(d: ForsendelseDoc): ForsendelseRecord {
  return {
    id: d._id,
    avsender: d.avsender,
    status: d.status as ForsendelseStatus,
    sisteStatusEndring: d.sisteStatusEndring,
    mottattAt: d.mottattAt,
    tittel: d.tittel,
    ...(d.eksternref == null ? {} : { eksternref: d.eksternref }),
    ...(d.mottakerNavn == null ? {} : { mottakerNavn: d.mottakerNavn }),
    ...(d.mottakerId == null ? {} : { mottakerId: d.mottakerId }),
    ...(d.kanal == null ? {} : { kanal: d.kanal as Kanal }),
    ...(d.svarinnSystem == null ? {} : { svarinnSystem: d.svarinnSystem }),
    seq: d.seq,
    view: viewOf(d.view),
    ...(d.fakta == null ? {} : { fakta: d.fakta }),
  };
}

/**
 * The stored view; text that is no JSON (a damaged document) reads as null, which the view
 * check takes for a corrupt view and rebuilds from the journal, as the SQLite adapter does.
 */
function viewOf(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return null;
  }
}
