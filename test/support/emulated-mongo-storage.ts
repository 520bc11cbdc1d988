/**
 * The storage of the emulated MongoDB (emulated-mongo.ts): CongoDB's in-memory storage with
 * `_id`s of any BSON type (CongoDB turns every `_id` into an ObjectId), unique indexes
 * enforced on every insert and update (CongoDB checks them only when an index is built),
 * and an undo log for transactions.
 */
import { MemoryStorageAdapter } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';

/** A stored document or a command. */
export type Doc = Record<string, unknown>;
/** A collection: documents by the key of their `_id`. */
export type Collection = Map<string, Doc>;
/** An index as createIndexes gives it. */
export interface IndexSpec {
  readonly name: string;
  readonly key: Record<string, unknown>;
  readonly unique?: boolean;
  readonly sparse?: boolean;
}
/** How to undo one write of a transaction. */
export interface Undo {
  readonly collection: Collection;
  readonly key: string;
  readonly before: Doc | undefined;
}

/** A command as CongoDB's wire layer parsed it. */
export interface ParsedCommand {
  readonly commandName: string;
  readonly command: Doc;
  readonly database: string;
}
/** CongoDB's command router. */
export type Route = (parsed: ParsedCommand) => Promise<Doc>;

/** The key a value has in a unique index or as an `_id`: equal BSON values, equal keys. */
export function valueKey(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'object') {
    const v = value as { _bsontype?: string; toHexString?: () => string; toString(): string };
    if (v._bsontype === 'ObjectId' && v.toHexString) return `oid:${v.toHexString()}`;
    if (v._bsontype !== undefined) return `${v._bsontype}:${v.toString()}`;
    if (value instanceof Date) return `date:${value.getTime()}`;
    if (Array.isArray(value)) return `[${value.map(valueKey).join(',')}]`;
    return `{${Object.entries(value as Doc)
      .map(([k, x]) => `${JSON.stringify(k)}:${valueKey(x)}`)
      .join(',')}}`;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return `num:${value}`;
  return `${typeof value}:${String(value)}`;
}

/** The value at a dotted path, undefined when absent. */
export function fieldOf(doc: Doc, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Doc)[part];
  }
  return current;
}

/** E11000, with MongoDB's message. */
export class DuplicateKeyError extends Error {
  readonly code = 11000;
  readonly codeName = 'DuplicateKey';
  constructor(ns: string, index: IndexSpec, doc: Doc) {
    const dup = Object.keys(index.key)
      .map((f) => `${f}: ${JSON.stringify(fieldOf(doc, f) ?? null)}`)
      .join(', ');
    super(`E11000 duplicate key error collection: ${ns} index: ${index.name} dup key: { ${dup} }`);
  }
}

/** CongoDB's memory storage with `_id`s of any type, unique indexes, and an undo log for transactions. */
export class EmulatedStorage extends MemoryStorageAdapter {
  /** Set while a transaction runs: every write records how to undo it. */
  undo: Undo[] | undefined;

  private collectionMap(db: string, coll: string): Collection {
    // CongoDB keeps this helper private; the map it returns is the collection itself.
    return (this as unknown as { ensureCollection(d: string, c: string): Collection }).ensureCollection(db, coll);
  }

  private async checkUnique(
    db: string,
    coll: string,
    collection: Collection,
    doc: Doc,
    self: string | undefined,
  ): Promise<void> {
    const indexes = (await this.getIndexes(db, coll)) as IndexSpec[];
    for (const index of indexes) {
      if (index.unique !== true || index.name === '_id_') continue;
      const fields = Object.keys(index.key);
      if (index.sparse === true && fields.every((f) => fieldOf(doc, f) === undefined)) continue;
      const key = fields.map((f) => valueKey(fieldOf(doc, f))).join('|');
      for (const [other, existing] of collection) {
        if (other !== self && fields.map((f) => valueKey(fieldOf(existing, f))).join('|') === key) {
          throw new DuplicateKeyError(`${db}.${coll}`, index, doc);
        }
      }
    }
  }

  private record(collection: Collection, key: string): void {
    this.undo?.push({ collection, key, before: collection.get(key) });
  }

  override async insertOne(db: string, coll: string, doc: Doc): Promise<never> {
    const collection = this.collectionMap(db, coll);
    const key = valueKey(doc['_id']);
    if (collection.has(key)) throw new DuplicateKeyError(`${db}.${coll}`, { name: '_id_', key: { _id: 1 } }, doc);
    await this.checkUnique(db, coll, collection, doc, undefined);
    this.record(collection, key);
    collection.set(key, doc);
    return doc as never;
  }

  override async findById(db: string, coll: string, id: unknown): Promise<never> {
    return (this.collectionMap(db, coll).get(valueKey(id)) ?? null) as never;
  }

  override async updateById(db: string, coll: string, id: unknown, doc: Doc): Promise<boolean> {
    const collection = this.collectionMap(db, coll);
    const key = valueKey(id);
    if (!collection.has(key)) return false;
    await this.checkUnique(db, coll, collection, doc, key);
    this.record(collection, key);
    collection.set(key, doc);
    return true;
  }

  override async deleteById(db: string, coll: string, id: unknown): Promise<boolean> {
    const collection = this.collectionMap(db, coll);
    const key = valueKey(id);
    if (!collection.has(key)) return false;
    this.record(collection, key);
    return collection.delete(key);
  }

  /** Puts back what the undo log's writes changed, newest first. */
  rollBack(log: readonly Undo[]): void {
    for (const { collection, key, before } of [...log].reverse()) {
      if (before === undefined) collection.delete(key);
      else collection.set(key, before);
    }
  }
}
