/**
 * The audit log on MongoDB (cluster mode): collection `revisjonslogg`, one document per
 * entry, so every node records into and reads the same log. The port promises numeric,
 * increasing ids; they come from a counter document in `tellere` (`$inc` is atomic on the
 * primary, so two nodes never get the same id). An id drawn by an insert that then fails
 * is simply skipped.
 */
import type { Collection, Db, Filter } from 'mongodb';
import type { AuditEntry, AuditLog, AuditQuery, StoredAuditEntry } from '../ports.js';

/** Longest `detaljer` kept (AuditEntry). */
const MAX_DETALJER = 2000;
/** The counter document's id. */
const COUNTER = 'revisjonslogg';

interface StoredEntry {
  _id: number;
  at: number;
  bruker: string;
  handling: string;
  objekt?: string;
  detaljer?: string;
  adresse?: string;
}

/** Settings for MongoAuditLog.open. */
export interface MongoAuditLogOptions {
  /** Collection name prefix, default none (`revisjonslogg`, `tellere`). */
  readonly collectionPrefix?: string;
}

/** AuditLog over the `revisjonslogg` collection. */
export class MongoAuditLog implements AuditLog {
  private constructor(
    private readonly entries: Collection<StoredEntry>,
    private readonly counters: Collection<{ _id: string; seq: number }>,
  ) {}

  /** Opens the collections and creates the filter indexes (idempotent). */
  static async open(db: Db, options: MongoAuditLogOptions = {}): Promise<MongoAuditLog> {
    const prefix = options.collectionPrefix ?? '';
    const entries = db.collection<StoredEntry>(`${prefix}revisjonslogg`);
    await entries.createIndexes([
      { key: { bruker: 1, _id: -1 }, name: 'bruker_id' },
      { key: { objekt: 1, _id: -1 }, name: 'objekt_id' },
      { key: { handling: 1, _id: -1 }, name: 'handling_id' },
    ]);
    return new MongoAuditLog(entries, db.collection<{ _id: string; seq: number }>(`${prefix}tellere`));
  }

  /** Appends one entry, acknowledged by a majority (the client's write concern). */
  async record(entry: AuditEntry): Promise<void> {
    const counter = await this.counters.findOneAndUpdate(
      { _id: COUNTER },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    if (counter === null) throw new Error('Telleren for revisjonsloggen svarte ikke');
    const doc: StoredEntry = { _id: counter.seq, at: entry.at, bruker: entry.bruker, handling: entry.handling };
    if (entry.objekt !== undefined) doc.objekt = entry.objekt;
    if (entry.detaljer !== undefined) doc.detaljer = entry.detaljer.slice(0, MAX_DETALJER);
    if (entry.adresse !== undefined) doc.adresse = entry.adresse;
    await this.entries.insertOne(doc);
  }

  /** A page of entries, newest first, and the total matching. */
  async list(query: AuditQuery): Promise<{ items: StoredAuditEntry[]; total: number }> {
    const filter: Filter<StoredEntry> = {};
    for (const key of ['bruker', 'handling', 'objekt'] as const) {
      const value = query[key];
      if (value !== undefined && value !== '') filter[key] = value;
    }
    const limit = Math.max(0, Math.trunc(query.limit));
    const offset = Math.max(0, Math.trunc(query.offset));
    const total = await this.entries.countDocuments(filter);
    // limit(0) means "no limit" to MongoDB; the port means none.
    const docs =
      limit === 0 ? [] : await this.entries.find(filter).sort({ _id: -1 }).skip(offset).limit(limit).toArray();
    return {
      total,
      items: docs.map((d) => ({
        id: d._id,
        at: d.at,
        bruker: d.bruker,
        handling: d.handling,
        objekt: d.objekt,
        detaljer: d.detaljer,
        adresse: d.adresse,
      })),
    };
  }

  /** Nothing to release: the client belongs to the MongoConnection. */
  async close(): Promise<void> {}
}
