/**
 * Webhook subscriptions and their outbox on MongoDB (cluster mode): `webhookAbonnementer`
 * keyed by id, `webhookLeveranser` keyed by (subscription, letter, seq). A claim is a
 * conditional update on the delivery's nextAttemptAt, so of two nodes that saw the same
 * due delivery only one takes it; only the lowest pending seq of a letter is taken.
 */
import type { Collection, Db, Filter } from 'mongodb';
import { ConflictError } from '../../domain/errors.js';
import type {
  NewWebhookDelivery,
  WebhookDelivery,
  WebhookDeliveryKey,
  WebhookDeliveryQuery,
  WebhookStore,
  WebhookSubscription,
} from '../ports.js';
import { candidatesFor, fullSubscriptions, pickFairly, type FairClaim } from '../webhook-claims.js';
import { isDuplicateKeyError } from './mongo-errors.js';

type StoredSubscription = Omit<WebhookSubscription, 'id'> & { _id: string };
type StoredDelivery = WebhookDelivery & { _id: string };

/** Settings for MongoWebhookStore.open. */
export interface MongoWebhookStoreOptions {
  /** Collection name prefix, default none. */
  readonly collectionPrefix?: string;
}

function deliveryId(key: WebhookDeliveryKey): string {
  return `${key.subscriptionId}|${key.forsendelseId}|${key.seq}`;
}

/** WebhookStore over the `webhookAbonnementer` and `webhookLeveranser` collections. */
export class MongoWebhookStore implements WebhookStore {
  private constructor(
    private readonly subscriptions: Collection<StoredSubscription>,
    private readonly deliveries: Collection<StoredDelivery>,
  ) {}

  /** Opens the collections and creates their indexes (idempotent). */
  static async open(db: Db, options: MongoWebhookStoreOptions = {}): Promise<MongoWebhookStore> {
    const prefix = options.collectionPrefix ?? '';
    const subscriptions = db.collection<StoredSubscription>(`${prefix}webhookAbonnementer`);
    const deliveries = db.collection<StoredDelivery>(`${prefix}webhookLeveranser`);
    await subscriptions.createIndexes([{ key: { avsender: 1, createdAt: 1 }, name: 'avsender_created' }]);
    await deliveries.createIndexes([
      { key: { state: 1, nextAttemptAt: 1 }, name: 'state_due' },
      { key: { subscriptionId: 1, forsendelseId: 1, state: 1, seq: 1 }, name: 'letter_head' },
      { key: { subscriptionId: 1, createdAt: -1, forsendelseId: -1, seq: -1 }, name: 'log' },
      { key: { state: 1, deliveredAt: 1 }, name: 'state_delivered' },
    ]);
    return new MongoWebhookStore(subscriptions, deliveries);
  }

  async createSubscription(s: WebhookSubscription, limit = Number.MAX_SAFE_INTEGER): Promise<boolean> {
    const { id, ...rest } = s;
    try {
      await this.subscriptions.insertOne({ _id: id, ...rest });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictError(`Abonnementet ${id} finnes allerede`);
      throw error;
    }
    // Inserted first, counted after: a subscription that sees more than `limit` (its own
    // included) takes itself out. One that stays saw every other that stays, so no more than
    // `limit` stay; two racing for the last place may both go (the caller may try again).
    if ((await this.subscriptions.countDocuments({ avsender: s.avsender })) <= limit) return true;
    await this.subscriptions.deleteOne({ _id: id });
    return false;
  }

  async getSubscription(id: string): Promise<WebhookSubscription | undefined> {
    const doc = await this.subscriptions.findOne({ _id: id });
    return doc === null ? undefined : toSubscription(doc);
  }

  async listSubscriptions(avsender?: string): Promise<WebhookSubscription[]> {
    const filter: Filter<StoredSubscription> = avsender === undefined ? {} : { avsender };
    const docs = await this.subscriptions.find(filter).sort({ createdAt: 1, _id: 1 }).toArray();
    return docs.map(toSubscription);
  }

  async deleteSubscription(id: string): Promise<boolean> {
    const { deletedCount } = await this.subscriptions.deleteOne({ _id: id });
    await this.deliveries.deleteMany({ subscriptionId: id });
    return deletedCount > 0;
  }

  async advanceCursor(id: string, scannedUntil: number): Promise<void> {
    await this.subscriptions.updateOne({ _id: id, scannedUntil: { $lt: scannedUntil } }, { $set: { scannedUntil } });
  }

  async lastEnqueuedSeq(subscriptionId: string, forsendelseId: string): Promise<number> {
    const doc = await this.deliveries.findOne(
      { subscriptionId, forsendelseId },
      { sort: { seq: -1 }, projection: { seq: 1 } },
    );
    return doc?.seq ?? 0;
  }

  async enqueue(deliveries: readonly NewWebhookDelivery[]): Promise<number> {
    if (deliveries.length === 0) return 0;
    const result = await this.deliveries.bulkWrite(
      deliveries.map((d) => {
        const doc: StoredDelivery = { _id: deliveryId(d), ...d, state: 'pending', attempts: 0 };
        return { updateOne: { filter: { _id: doc._id }, update: { $setOnInsert: doc }, upsert: true } };
      }),
      { ordered: true },
    );
    return result.upsertedCount;
  }

  async claimDue(now: number, leaseMs: number, limit: number, fair?: FairClaim): Promise<WebhookDelivery[]> {
    const want = Math.max(0, Math.trunc(limit));
    if (want === 0) return [];
    // The head (lowest pending seq) of every letter, in the query: reading the oldest due
    // entries and skipping those behind their head once found no head at all when more than a
    // window of later events waited behind heads in backoff, and delivery stopped for every
    // avsender (webhook review of 7 December 2026).
    const heads = await this.deliveries
      .aggregate<{ _id: { s: string; f: string }; docId: string; subscriptionId: string; nextAttemptAt: number }>([
        { $match: { state: 'pending', subscriptionId: { $nin: fullSubscriptions(fair) } } },
        { $sort: { subscriptionId: 1, forsendelseId: 1, seq: 1 } },
        {
          $group: {
            _id: { s: '$subscriptionId', f: '$forsendelseId' },
            docId: { $first: '$_id' },
            subscriptionId: { $first: '$subscriptionId' },
            nextAttemptAt: { $first: '$nextAttemptAt' },
          },
        },
        { $match: { nextAttemptAt: { $lte: now } } },
        { $sort: { nextAttemptAt: 1 } },
        { $limit: candidatesFor(want, fair) },
      ])
      .toArray();
    const claimed: WebhookDelivery[] = [];
    for (const head of pickFairly(heads, want, fair)) {
      const taken = await this.deliveries.findOneAndUpdate(
        { _id: head.docId, state: 'pending', nextAttemptAt: head.nextAttemptAt },
        { $set: { nextAttemptAt: now + leaseMs } },
        { returnDocument: 'after' },
      );
      if (taken !== null) claimed.push(toDelivery(taken));
    }
    return claimed;
  }

  async markDelivered(key: WebhookDeliveryKey, at: number, result: string): Promise<void> {
    await this.deliveries.updateOne(
      { _id: deliveryId(key), state: { $ne: 'delivered' } },
      { $set: { state: 'delivered', lastAttemptAt: at, lastResult: result, deliveredAt: at }, $inc: { attempts: 1 } },
    );
  }

  async markAttemptFailed(key: WebhookDeliveryKey, at: number, result: string, nextAttemptAt?: number): Promise<void> {
    await this.deliveries.updateOne(
      { _id: deliveryId(key), state: 'pending' },
      {
        $set: {
          state: nextAttemptAt === undefined ? 'failed' : 'pending',
          lastAttemptAt: at,
          lastResult: result,
          nextAttemptAt: nextAttemptAt ?? at,
        },
        $inc: { attempts: 1 },
      },
    );
  }

  async retryFailed(
    key: WebhookDeliveryKey | { readonly subscriptionId: string },
    now: number,
    giveUpAt: number,
  ): Promise<number> {
    const filter: Filter<StoredDelivery> =
      'seq' in key
        ? { _id: deliveryId(key), state: 'failed' }
        : { subscriptionId: key.subscriptionId, state: 'failed' };
    const { modifiedCount } = await this.deliveries.updateMany(filter, {
      $set: { state: 'pending', nextAttemptAt: now, giveUpAt },
    });
    return modifiedCount;
  }

  async listDeliveries(query: WebhookDeliveryQuery): Promise<{ items: WebhookDelivery[]; total: number }> {
    const filter: Filter<StoredDelivery> =
      query.state === undefined
        ? { subscriptionId: query.subscriptionId }
        : { subscriptionId: query.subscriptionId, state: query.state };
    const limit = Math.max(0, Math.trunc(query.limit));
    const total = await this.deliveries.countDocuments(filter);
    // limit(0) means "no limit" to MongoDB; the port means none.
    const docs =
      limit === 0
        ? []
        : await this.deliveries
            .find(filter)
            .sort({ createdAt: -1, forsendelseId: -1, seq: -1 })
            .skip(Math.max(0, Math.trunc(query.offset)))
            .limit(limit)
            .toArray();
    return { items: docs.map(toDelivery), total };
  }

  async pruneDelivered(before: number): Promise<number> {
    const { deletedCount } = await this.deliveries.deleteMany({ state: 'delivered', deliveredAt: { $lt: before } });
    return deletedCount;
  }

  /** Nothing to release: the client belongs to the MongoConnection. */
  async close(): Promise<void> {}
}

function toSubscription(doc: StoredSubscription): WebhookSubscription {
  return {
    id: doc._id,
    avsender: doc.avsender,
    url: doc.url,
    secret: doc.secret,
    createdAt: doc.createdAt,
    scannedUntil: doc.scannedUntil,
  };
}

function toDelivery(doc: StoredDelivery): WebhookDelivery {
  return {
    subscriptionId: doc.subscriptionId,
    forsendelseId: doc.forsendelseId,
    seq: doc.seq,
    eventId: doc.eventId,
    eventType: doc.eventType,
    body: doc.body,
    state: doc.state,
    attempts: doc.attempts,
    createdAt: doc.createdAt,
    nextAttemptAt: doc.nextAttemptAt,
    giveUpAt: doc.giveUpAt,
    lastAttemptAt: doc.lastAttemptAt,
    lastResult: doc.lastResult,
    deliveredAt: doc.deliveredAt,
  };
}
