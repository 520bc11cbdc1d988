/**
 * Sender accounts, admin users and Fiks integrations on MongoDB: `avsendere` keyed by navn,
 * `brukere` keyed by brukernavn, `integrasjoner` keyed by id (the `_id`, so each is unique
 * by construction). An avsender stored before kontoId existed gets one on first read, set
 * only where none is (so every node ends up with the same one).
 */
import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { AdminUser, Avsender, ConfigStore, Integrasjon } from '../ports.js';
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
    private readonly integrasjoner: Collection<Stored<Integrasjon>>,
  ) {}

  /** Opens the collections (their `_id` index is all they need). */
  static async open(db: Db, options: MongoConfigStoreOptions = {}): Promise<MongoConfigStore> {
    const prefix = options.collectionPrefix ?? '';
    return new MongoConfigStore(
      db.collection<Stored<Avsender>>(`${prefix}avsendere`),
      db.collection<Stored<AdminUser>>(`${prefix}brukere`),
      db.collection<Stored<Integrasjon>>(`${prefix}integrasjoner`),
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
    return this.withKontoId(unstored(await this.avsendere.findOne({ _id: navn })));
  }

  /** The avsender, given a kontoId if it has none yet (the first write wins; every reader gets that one). */
  private async withKontoId(avsender: Avsender | undefined): Promise<Avsender | undefined> {
    if (avsender === undefined || avsender.kontoId !== undefined) return avsender;
    await this.avsendere.updateOne(
      { _id: avsender.navn, kontoId: { $exists: false } },
      { $set: { kontoId: randomUUID() } },
    );
    return unstored(await this.avsendere.findOne({ _id: avsender.navn }));
  }

  /** Every avsender, by name. */
  async listAvsendere(): Promise<Avsender[]> {
    const docs = await this.avsendere.find({}, { sort: { _id: 1 } }).toArray();
    const all: Avsender[] = [];
    for (const d of docs) all.push((await this.withKontoId(unstored(d))) as Avsender);
    return all;
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

  /** Creates the integration; ConflictError if the id is taken. */
  async createIntegrasjon(integrasjon: Integrasjon): Promise<void> {
    try {
      await this.integrasjoner.insertOne(stored(integrasjon.id, { ...integrasjon, kontoer: [...integrasjon.kontoer] }));
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictError(`Integrasjon «${integrasjon.id}» finnes allerede`);
      throw error;
    }
  }

  /** The integration with that id, if any. */
  async getIntegrasjon(id: string): Promise<Integrasjon | undefined> {
    return sortedKontoer(unstored(await this.integrasjoner.findOne({ _id: id })));
  }

  /** Every integration, by navn then id. */
  async listIntegrasjoner(): Promise<Integrasjon[]> {
    const docs = await this.integrasjoner.find({}, { sort: { navn: 1, _id: 1 } }).toArray();
    return docs.map((d) => sortedKontoer(unstored(d)) as Integrasjon);
  }

  /** Replaces the password hash; NotFoundError if absent. */
  async setIntegrasjonPassord(id: string, passordHash: string): Promise<void> {
    const result = await this.integrasjoner.updateOne({ _id: id }, { $set: { passordHash } });
    if (result.matchedCount === 0) throw new NotFoundError('Integrasjon');
  }

  /** Adds or removes one grant with $addToSet / $pull: concurrent grants never overwrite each other. */
  async setIntegrasjonTilgang(id: string, avsender: string, tilgang: boolean): Promise<void> {
    const update = tilgang ? { $addToSet: { kontoer: avsender } } : { $pull: { kontoer: avsender } };
    const result = await this.integrasjoner.updateOne({ _id: id }, update);
    if (result.matchedCount === 0) throw new NotFoundError('Integrasjon');
  }

  /** One atomic $addToSet / $pull (two admins authorising at once both stay). */
  async setIntegrasjonOrganisasjon(id: string, orgnr: string, autorisert: boolean): Promise<void> {
    const update = autorisert ? { $addToSet: { organisasjoner: orgnr } } : { $pull: { organisasjoner: orgnr } };
    const result = await this.integrasjoner.updateOne({ _id: id }, update);
    if (result.matchedCount === 0) throw new NotFoundError('Integrasjon');
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

/** The integration with its grants in name order. */
function sortedKontoer(integrasjon: Integrasjon | undefined): Integrasjon | undefined {
  if (integrasjon === undefined) return undefined;
  const { organisasjoner, ...rest } = integrasjon;
  return {
    ...rest,
    kontoer: [...integrasjon.kontoer].sort(),
    ...(organisasjoner === undefined ? {} : { organisasjoner: [...organisasjoner].sort() }),
  };
}
