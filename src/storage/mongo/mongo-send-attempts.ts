/**
 * SendAttempts on MongoDB (cluster mode): collection `sendforsok`, one document per
 * fingerprint holding its attempts within the window. A record is a read and a write
 * guarded by the document's version (or an insert guarded by its _id), retried when another
 * node wrote in between: the attempts of one fingerprint are thus counted in one order on
 * every node, with no transaction. A TTL index drops a fingerprint's document once its last
 * attempt has expired.
 */
import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { RecordedSendAttempt, SendAttempts } from '../ports.js';
import { isDuplicateKeyError } from './mongo-errors.js';

interface StoredAttempts {
  /** The fingerprint. */
  _id: string;
  forsok: { id: string; at: number }[];
  versjon: number;
  /** When the last attempt expires (TTL). */
  expiresAt: Date;
}

/** Most attempts kept per fingerprint: the rule needs 26; a flood is not stored whole. */
const MAX_KEPT = 1000;
/** Writes lost to other nodes before giving up (each retry re-reads). */
const MAX_TRIES = 50;

/** Settings for MongoSendAttempts.open. */
export interface MongoSendAttemptsOptions {
  /** Collection name prefix, default none. */
  readonly collectionPrefix?: string;
}

/** SendAttempts over the `sendforsok` collection. */
export class MongoSendAttempts implements SendAttempts {
  private constructor(private readonly attempts: Collection<StoredAttempts>) {}

  /** Opens the collection and creates its TTL index (idempotent). */
  static async open(db: Db, options: MongoSendAttemptsOptions = {}): Promise<MongoSendAttempts> {
    const attempts = db.collection<StoredAttempts>(`${options.collectionPrefix ?? ''}sendforsok`);
    await attempts.createIndexes([{ key: { expiresAt: 1 }, name: 'expiry', expireAfterSeconds: 0 }]);
    return new MongoSendAttempts(attempts);
  }

  async record(fingerprint: string, at: number, since: number, expiresAt: number): Promise<RecordedSendAttempt> {
    // The id names its fingerprint, so `remove` finds the document by _id.
    const id = `${fingerprint}/${randomUUID()}`;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const doc = await this.attempts.findOne({ _id: fingerprint });
      const kept = (doc?.forsok ?? []).filter((a) => a.at >= since);
      const forsok = [...kept, { id, at }].slice(-MAX_KEPT);
      const expiry = new Date(Math.max(expiresAt, doc?.expiresAt.getTime() ?? 0));
      if (doc === null) {
        try {
          await this.attempts.insertOne({ _id: fingerprint, forsok, versjon: 1, expiresAt: expiry });
          return { id, earlier: kept.length };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          continue; // another node recorded the first attempt: count again with it
        }
      }
      const written = await this.attempts.updateOne(
        { _id: fingerprint, versjon: doc.versjon },
        { $set: { forsok, versjon: doc.versjon + 1, expiresAt: expiry } },
      );
      if (written.matchedCount === 1) return { id, earlier: kept.length };
    }
    throw new Error(`Send attempts of ${fingerprint} kept changing under ${MAX_TRIES} tries`);
  }

  async remove(id: string): Promise<void> {
    const fingerprint = id.slice(0, Math.max(0, id.lastIndexOf('/')));
    await this.attempts.updateOne({ _id: fingerprint }, { $pull: { forsok: { id } }, $inc: { versjon: 1 } });
  }

  async close(): Promise<void> {
    // The client belongs to whoever connected it.
  }
}
