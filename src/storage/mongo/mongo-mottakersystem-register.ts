/**
 * The receiving systems (SvarInn) on MongoDB: `mottakersystemer` keyed by id (the `_id`),
 * the system as a JSON document under `system`, the warnings beside it with a version the
 * claim compares and sets, so two nodes never both record the same warning.
 */
import type { Collection, Db } from 'mongodb';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { Mottakersystem, MottakersystemChange, MottakersystemRegister } from '../ports.js';
import { isDuplicateKeyError } from './mongo-errors.js';

interface StoredSystem {
  _id: string;
  orgnr: string;
  navn: string;
  createdAt: number;
  system: Mottakersystem;
  varsler: number[];
  varselVersjon: number;
}

/** Settings for MongoMottakersystemRegister.open. */
export interface MongoMottakersystemRegisterOptions {
  /** Collection name prefix, default none. */
  readonly collectionPrefix?: string;
}

/** Attempts of a warning claim that lost a race before it gives up (another node warned). */
const MAX_CLAIM_ROUNDS = 5;

/** MottakersystemRegister over the `mottakersystemer` collection. */
export class MongoMottakersystemRegister implements MottakersystemRegister {
  private constructor(private readonly systems: Collection<StoredSystem>) {}

  /** Opens the collection and its orgnr index. */
  static async open(db: Db, options: MongoMottakersystemRegisterOptions = {}): Promise<MongoMottakersystemRegister> {
    const systems = db.collection<StoredSystem>(`${options.collectionPrefix ?? ''}mottakersystemer`);
    await systems.createIndex({ orgnr: 1, navn: 1 }, { name: 'orgnr_navn' });
    return new MongoMottakersystemRegister(systems);
  }

  async create(system: Mottakersystem): Promise<void> {
    try {
      await this.systems.insertOne({ ...columns(system), varsler: [], varselVersjon: 0 });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictError(`Mottakersystem med id ${system.id} finnes allerede`);
      throw error;
    }
  }

  async get(id: string): Promise<Mottakersystem | undefined> {
    return (await this.systems.findOne({ _id: id }))?.system;
  }

  async list(): Promise<Mottakersystem[]> {
    const docs = await this.systems.find({}, { sort: { orgnr: 1, navn: 1, createdAt: 1 } }).toArray();
    return docs.map((d) => d.system);
  }

  async listForOrgnr(orgnr: string): Promise<Mottakersystem[]> {
    const docs = await this.systems.find({ orgnr }, { sort: { navn: 1, createdAt: 1 } }).toArray();
    return docs.map((d) => d.system);
  }

  async update(id: string, change: MottakersystemChange): Promise<Mottakersystem> {
    // Only the fields named, in one document update: a concurrent change of another field stays.
    const set: Record<string, unknown> = {};
    const unset: Record<string, ''> = {};
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) continue;
      if (value === null) unset[`system.${key}`] = '';
      else set[`system.${key}`] = value;
    }
    if (change.navn !== undefined) set['navn'] = change.navn;
    const after = await this.systems.findOneAndUpdate(
      { _id: id },
      {
        ...(Object.keys(set).length > 0 ? { $set: set } : {}),
        ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
      },
      { returnDocument: 'after' },
    );
    if (after === null) throw new NotFoundError('Mottakersystem');
    return after.system;
  }

  async claimWarning(
    id: string,
    now: number,
    rule: { windowMs: number; max: number; minGapMs: number },
  ): Promise<boolean> {
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      const doc = await this.systems.findOne({ _id: id }, { projection: { varsler: 1, varselVersjon: 1 } });
      if (doc === null) return false;
      const recent = doc.varsler.filter((t) => t > now - rule.windowMs);
      const last = recent.length === 0 ? undefined : Math.max(...recent);
      if (recent.length >= rule.max || (last !== undefined && now - last < rule.minGapMs)) return false;
      const result = await this.systems.updateOne(
        { _id: id, varselVersjon: doc.varselVersjon },
        { $set: { varsler: [...recent, now], varselVersjon: doc.varselVersjon + 1 } },
      );
      if (result.modifiedCount === 1) return true;
    }
    return false;
  }

  /** Nothing to release: the client belongs to the MongoConnection. */
  async close(): Promise<void> {}
}

/** The stored columns of a system (a JSON round trip drops `undefined` at every depth). */
function columns(system: Mottakersystem): Omit<StoredSystem, 'varsler' | 'varselVersjon'> {
  return {
    _id: system.id,
    orgnr: system.orgnr,
    navn: system.navn,
    createdAt: system.createdAt,
    system: JSON.parse(JSON.stringify(system)) as Mottakersystem,
  };
}
