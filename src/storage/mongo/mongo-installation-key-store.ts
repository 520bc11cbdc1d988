/**
 * The installation's CMS keys on MongoDB (cluster mode): collection `installasjonsnokler`,
 * `_id` = the key's number, so when several nodes create the first key at once one insert
 * wins and the others get a duplicate-key error, read as "already there".
 */
import type { Collection, Db } from 'mongodb';
import type { InstallationKey, InstallationKeyStore } from '../ports.js';
import { isDuplicateKeyError } from './mongo-errors.js';

interface StoredKey {
  _id: number;
  sertifikatPem: string;
  privatnokkelPem: string;
  createdAt: number;
}

/** Settings for MongoInstallationKeyStore.open. */
export interface MongoInstallationKeyStoreOptions {
  /** Collection name prefix, default none. */
  readonly collectionPrefix?: string;
}

/** InstallationKeyStore over the `installasjonsnokler` collection. */
export class MongoInstallationKeyStore implements InstallationKeyStore {
  private constructor(private readonly keys: Collection<StoredKey>) {}

  /** Opens the collection (no index beyond `_id` is needed). */
  static async open(db: Db, options: MongoInstallationKeyStoreOptions = {}): Promise<MongoInstallationKeyStore> {
    return new MongoInstallationKeyStore(
      db.collection<StoredKey>(`${options.collectionPrefix ?? ''}installasjonsnokler`),
    );
  }

  /** Every key, oldest first. */
  async list(): Promise<InstallationKey[]> {
    const docs = await this.keys.find({}).sort({ _id: 1 }).toArray();
    return docs.map((d) => ({
      nummer: d._id,
      certificatePem: d.sertifikatPem,
      privateKeyPem: d.privatnokkelPem,
      createdAt: d.createdAt,
    }));
  }

  /** Adds the key unless its number is taken (acknowledged by a majority, the client's write concern). */
  async add(key: InstallationKey): Promise<boolean> {
    try {
      await this.keys.insertOne({
        _id: key.nummer,
        sertifikatPem: key.certificatePem,
        privatnokkelPem: key.privateKeyPem,
        createdAt: key.createdAt,
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** The connection belongs to whoever opened it. */
  async close(): Promise<void> {}
}
