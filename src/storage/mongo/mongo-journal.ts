/**
 * Journal on MongoDB (docs/architecture.md "Cluster"): the unique index {key, seq} is the cluster's
 * concurrency guard. A stale actor on another node that writes an event with a taken
 * sequence number gets E11000, surfaced as SequenceConflictError; it reloads and retries.
 *
 * Event and snapshot data are stored as JSON text, not as BSON documents: JSON is what the
 * port promises to give back, and text keeps it exact (key order, keys that start with '$'
 * or contain '.', integers above 2^31) without MongoDB's field-name rules getting a say.
 */
import { WriteConcern, type ClientSession, type Collection, type Db, type MongoClient } from 'mongodb';
import { SequenceConflictError, type Journal, type JournalEvent, type JournalSnapshot, type Json } from '../ports.js';
import { isDuplicateKeyError } from './mongo-errors.js';
import { replaceUnlessNewer } from './replace-unless-newer.js';

interface EventDoc {
  key: string;
  seq: number;
  json: string;
  tags: string[];
  createdAt: number;
}

interface SnapshotDoc {
  _id: string;
  seq: number;
  json: string;
  createdAt: number;
}

/** A forsendelse is acknowledged only once its events survive a failover and a crash. */
const DURABLE = { w: 'majority', journal: true } as const;

/** Settings for MongoJournal.open. */
export interface MongoJournalOptions {
  /** Collection name prefix, default none (`events`, `snapshots`). */
  readonly collectionPrefix?: string;
}

/** Journal over the `events` and `snapshots` collections. */
export class MongoJournal implements Journal {
  private constructor(
    private readonly client: MongoClient,
    private readonly events: Collection<EventDoc>,
    private readonly snapshots: Collection<SnapshotDoc>,
  ) {}

  /** Opens the collections and creates their indexes (idempotent). Needs a replica set. */
  static async open(db: Db, options: MongoJournalOptions = {}): Promise<MongoJournal> {
    const prefix = options.collectionPrefix ?? '';
    const collectionOptions = { writeConcern: DURABLE, readConcern: { level: 'majority' as const } };
    const events = db.collection<EventDoc>(`${prefix}events`, collectionOptions);
    const snapshots = db.collection<SnapshotDoc>(`${prefix}snapshots`, collectionOptions);
    await events.createIndexes([
      // The concurrency guard, and the index read() and highestSeq() walk.
      { key: { key: 1, seq: 1 }, name: 'key_seq_unique', unique: true },
      // keysAppendedSince at start-up (repair of projections a crash interrupted).
      { key: { createdAt: 1 }, name: 'createdAt' },
    ]);
    return new MongoJournal(db.client, events, snapshots);
  }

  /**
   * Appends all events or none. One event is one durable insert; several are one
   * transaction (a replica set is required), since an ordered insertMany would leave
   * the first events behind when a later one conflicts.
   */
  async append(events: readonly JournalEvent[]): Promise<void> {
    for (const e of events) {
      if (!Number.isSafeInteger(e.seq) || e.seq < 1) throw new RangeError(`Ugyldig seq ${e.seq} for ${e.key}`);
    }
    const first = events[0];
    if (first === undefined) return;
    let current: JournalEvent = first;
    try {
      if (events.length === 1) {
        await this.events.insertOne(toEventDoc(first));
        return;
      }
      await this.withSession(async (session) => {
        await session.withTransaction(
          async () => {
            // Sequential on purpose: operations of one transaction must not run in
            // parallel, and the failing insert tells which (key, seq) was taken.
            for (const e of events) {
              current = e;
              await this.events.insertOne(toEventDoc(e), { session });
            }
          },
          {
            writeConcern: new WriteConcern(DURABLE.w, undefined, DURABLE.journal),
            readConcern: { level: 'majority' },
          },
        );
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new SequenceConflictError(current.key, current.seq);
      throw error;
    }
  }

  /** Events of `key` after `afterSeq`, in seq order. */
  async read(key: string, afterSeq: number): Promise<JournalEvent[]> {
    const docs = await this.events.find({ key, seq: { $gt: afterSeq } }, { sort: { seq: 1 } }).toArray();
    return docs.map(fromEventDoc);
  }

  /** Highest stored seq of `key`, 0 when none. */
  async highestSeq(key: string): Promise<number> {
    const doc = await this.events.findOne({ key }, { sort: { seq: -1 }, projection: { seq: 1 } });
    return doc?.seq ?? 0;
  }

  /** The snapshot of `key`, if any (only the latest is kept). */
  async latestSnapshot(key: string): Promise<JournalSnapshot | undefined> {
    const doc = await this.snapshots.findOne({ _id: key });
    if (doc === null) return undefined;
    return { key: doc._id, seq: doc.seq, data: JSON.parse(doc.json) as Json, createdAt: doc.createdAt };
  }

  /** Stores the snapshot unless a newer one of the same key is stored (a stale writer never rolls one back). */
  async saveSnapshot(snapshot: JournalSnapshot): Promise<void> {
    const doc: SnapshotDoc = {
      _id: snapshot.key,
      seq: snapshot.seq,
      json: JSON.stringify(snapshot.data),
      createdAt: snapshot.createdAt,
    };
    await replaceUnlessNewer(this.snapshots, doc, { replaceEqual: true });
  }

  /** Distinct keys with an event created at or after `sinceMs`. */
  async keysAppendedSince(sinceMs: number): Promise<string[]> {
    // An aggregation rather than distinct(): its result is a cursor, not one document
    // bounded by 16 MB, so a long window after an outage still works.
    const cursor = this.events.aggregate<{ _id: string }>([
      { $match: { createdAt: { $gte: sinceMs } } },
      { $group: { _id: '$key' } },
    ]);
    const keys: string[] = [];
    for await (const doc of cursor) keys.push(doc._id);
    return keys;
  }

  /** Nothing to release: the client belongs to the MongoConnection. */
  async close(): Promise<void> {}

  private async withSession<T>(run: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.client.startSession();
    try {
      return await run(session);
    } finally {
      await session.endSession();
    }
  }
}

function toEventDoc(e: JournalEvent): EventDoc {
  return { key: e.key, seq: e.seq, json: JSON.stringify(e.data), tags: [...e.tags], createdAt: e.createdAt };
}

function fromEventDoc(doc: EventDoc): JournalEvent {
  return { key: doc.key, seq: doc.seq, data: JSON.parse(doc.json) as Json, tags: doc.tags, createdAt: doc.createdAt };
}
