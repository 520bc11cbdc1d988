/**
 * Sender accounts and admin users on MongoDB: `avsendere` keyed by navn, `brukere` keyed
 * by brukernavn (the `_id`, so the name is unique by construction).
 */
import type { Collection, Db } from 'mongodb';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { AdminUser, Avsender, ConfigStore } from '../ports.js';
import { isDuplicateKeyError } from './mongo-errors.js';

type Stored<T> = T & { _id: string };

/** Settings for MongoConfigStore.open. */
export interface MongoConfigStoreOptions {
  /** Collection name prefix, default none (`avsendere`, `brukere`). */
  readonly collectionPrefix?: string;
}

/** ConfigStore over the `avsendere` and `brukere` collections. */
export class MongoConfigStore implements ConfigStore {
  private constructor(
    private readonly avsendere: Collection<Stored<Avsender>>,
    private readonly users: Collection<Stored<AdminUser>>,
  ) {}

  /** Opens the collections (their `_id` index is all they need). */
  static async open(db: Db, options: MongoConfigStoreOptions = {}): Promise<MongoConfigStore> {
    const prefix = options.collectionPrefix ?? '';
    return new MongoConfigStore(
      db.collection<Stored<Avsender>>(`${prefix}avsendere`),
      db.collection<Stored<AdminUser>>(`${prefix}brukere`),
    );
  }

  /** Creates the avsender; ConflictError if the name is taken. */
  async createAvsender(avsender: Avsender): Promise<void> {
    try {
      await this.avsendere.insertOne(stored(avsender.navn, avsender));
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictError(`Avsender «${avsender.navn}» finnes allerede`);
      throw error;
    }
  }

  /** The avsender of that name, if any. */
  async getAvsender(navn: string): Promise<Avsender | undefined> {
    return unstored(await this.avsendere.findOne({ _id: navn }));
  }

  /** Every avsender, by name. */
  async listAvsendere(): Promise<Avsender[]> {
    const docs = await this.avsendere.find({}, { sort: { _id: 1 } }).toArray();
    return docs.map((d) => unstored(d) as Avsender);
  }

  /** Replaces the avsender of that name; NotFoundError if absent. */
  async updateAvsender(avsender: Avsender): Promise<void> {
    const result = await this.avsendere.replaceOne({ _id: avsender.navn }, stored(avsender.navn, avsender));
    if (result.matchedCount === 0) throw new NotFoundError('Avsender');
  }

  /** Creates or replaces the user of that name. */
  async putUser(user: AdminUser): Promise<void> {
    await this.users.replaceOne({ _id: user.brukernavn }, stored(user.brukernavn, user), { upsert: true });
  }

  /** The user of that name, if any. */
  async getUser(brukernavn: string): Promise<AdminUser | undefined> {
    return unstored(await this.users.findOne({ _id: brukernavn }));
  }

  /** Every user, by name. */
  async listUsers(): Promise<AdminUser[]> {
    const docs = await this.users.find({}, { sort: { _id: 1 } }).toArray();
    return docs.map((d) => unstored(d) as AdminUser);
  }

  /** Nothing to release: the client belongs to the MongoConnection. */
  async close(): Promise<void> {}
}

/**
 * The document for `value` under `_id`. A JSON round trip drops `undefined` at every
 * depth (the driver would store it as null unless the client sets ignoreUndefined) and
 * copies readonly arrays; these records are JSON by nature (numbers, strings, arrays).
 */
function stored<T extends object>(id: string, value: T): Stored<T> {
  return { ...(JSON.parse(JSON.stringify(value)) as T), _id: id };
}

/** The record without its `_id`, or undefined for no document. */
function unstored<T extends object>(doc: Stored<T> | null): T | undefined {
  if (doc === null) return undefined;
  const { _id: _ignored, ...rest } = doc;
  return rest as unknown as T;
}
