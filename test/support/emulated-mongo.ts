/**
 * An emulated MongoDB for the tests: the wire-compatible in-memory server of
 * @push.rocks/smartmongo (CongoDB), completed to MongoDB's documented behaviour where the
 * MongoDB adapters rely on it, so the contract suites run every query, index and write
 * through the real driver when no MongoDB can be installed (docs/cluster.md says what it
 * does not check).
 *
 * What is completed here, and why:
 * - `hello` answers as the primary of a one-member replica set (`setName`, `hosts`, `me`),
 *   so `connectMongo` accepts it and the driver allows sessions and transactions.
 * - `_id`s of any BSON type (the adapters use strings: sha256, letter ids); CongoDB's
 *   storage turns every `_id` into an ObjectId.
 * - Unique indexes are enforced on every insert and update (E11000 with MongoDB's message),
 *   including `_id`; CongoDB only checks them when an index is built.
 * - Each command runs whole before the next starts (MongoDB's single-document atomicity,
 *   and `findAndModify`'s read-modify-write, which CongoDB interleaves at its awaits).
 * - Transactions: the commands of one transaction run alone (others wait), their writes are
 *   undone on abort, on a failed write inside it, or after 60 s without commit (MongoDB's
 *   transactionLifetimeLimitSeconds). That is stricter isolation than snapshot isolation:
 *   there are no write conflicts to retry.
 * - Reply batches are cut at 16 MiB, as a server's are.
 * - MongoDB's `failCommand` fail point (`configureFailPoint`, `waitForFailPoint`; a real
 *   server offers them with `enableTestCommands`), so a test can make one write fail,
 *   carry a write concern error, or wait, as a crash or a failover would: `failCommands`,
 *   `namespace`, `errorCode`, `writeConcernError`, `blockConnection` + `blockTimeMS`; modes
 *   `alwaysOn`, `off`, `{ times }`, `{ skip }`.
 */
import type { AddressInfo, Server } from 'node:net';
import { CongoServer, Long, MemoryStorageAdapter } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';

type Doc = Record<string, unknown>;
type Collection = Map<string, Doc>;
interface IndexSpec {
  readonly name: string;
  readonly key: Record<string, unknown>;
  readonly unique?: boolean;
  readonly sparse?: boolean;
}
interface Undo {
  readonly collection: Collection;
  readonly key: string;
  readonly before: Doc | undefined;
}

/** A running emulated server. */
export interface EmulatedMongo {
  /** A connection string naming the replica set, e.g. `mongodb://127.0.0.1:41234/?replicaSet=rs0`. */
  readonly uri: string;
  /** Stops the server (its data is gone). */
  stop(): Promise<void>;
}

const SET_NAME = 'rs0';
/** The `hello` field by which the emulated server tells itself apart from a MongoDB. */
export const EMULATED_FIELD = 'emulatedMongo';
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
const TRANSACTION_LIFETIME_MS = 60_000;

/** The key a value has in a unique index or as an `_id`: equal BSON values, equal keys. */
function valueKey(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'object') {
    const v = value as { _bsontype?: string; toHexString?: () => string; toString(): string };
    if (v._bsontype === 'ObjectId' && v.toHexString) return `oid:${v.toHexString()}`;
    if (v._bsontype !== undefined) return `${v._bsontype}:${v.toString()}`;
    if (value instanceof Date) return `date:${value.getTime()}`;
    if (Array.isArray(value)) return `[${value.map(valueKey).join(',')}]`;
    return `{${Object.entries(value as Doc).map(([k, x]) => `${JSON.stringify(k)}:${valueKey(x)}`).join(',')}}`;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return `num:${value}`;
  return `${typeof value}:${String(value)}`;
}

function fieldOf(doc: Doc, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Doc)[part];
  }
  return current;
}

class DuplicateKeyError extends Error {
  readonly code = 11000;
  readonly codeName = 'DuplicateKey';
  constructor(ns: string, index: IndexSpec, doc: Doc) {
    const dup = Object.keys(index.key).map((f) => `${f}: ${JSON.stringify(fieldOf(doc, f) ?? null)}`).join(', ');
    super(`E11000 duplicate key error collection: ${ns} index: ${index.name} dup key: { ${dup} }`);
  }
}

/** CongoDB's memory storage with `_id`s of any type, unique indexes, and an undo log for transactions. */
class EmulatedStorage extends MemoryStorageAdapter {
  /** Set while a transaction runs: every write records how to undo it. */
  undo: Undo[] | undefined;

  private collectionMap(db: string, coll: string): Collection {
    // CongoDB keeps this helper private; the map it returns is the collection itself.
    return (this as unknown as { ensureCollection(d: string, c: string): Collection }).ensureCollection(db, coll);
  }

  private async checkUnique(db: string, coll: string, collection: Collection, doc: Doc, self: string | undefined): Promise<void> {
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

interface ParsedCommand {
  readonly commandName: string;
  readonly command: Doc;
  readonly database: string;
}
type Route = (parsed: ParsedCommand) => Promise<Doc>;

interface OpenTransaction {
  readonly session: string;
  readonly txnNumber: string;
  readonly undo: Undo[];
  failed: boolean;
  readonly release: () => void;
  readonly timer: NodeJS.Timeout;
}

/** The `failCommand` fail point as configured (see the header). */
interface FailPoint {
  mode: 'alwaysOn' | 'off' | { times: number } | { skip: number };
  data: {
    readonly failCommands?: readonly string[];
    readonly namespace?: string;
    readonly errorCode?: number;
    readonly writeConcernError?: Doc;
    readonly blockConnection?: boolean;
    readonly blockTimeMS?: number;
  };
  entered: number;
}

/** Serialises commands, runs transactions alone, and answers what CongoDB lacks. */
class Completion {
  private tail: Promise<void> = Promise.resolve();
  private open: OpenTransaction | undefined;
  private failPoint: FailPoint = { mode: 'off', data: {}, entered: 0 };

  constructor(
    private readonly storage: EmulatedStorage,
    private readonly inner: Route,
    private readonly hostPort: () => string,
    private readonly cursors: CursorTable,
  ) {}

  /** The server's router: every command passes here. */
  async route(parsed: ParsedCommand): Promise<Doc> {
    if (parsed.commandName === 'configureFailPoint') return this.configureFailPoint(parsed.command);
    if (parsed.commandName === 'waitForFailPoint') return this.waitForFailPoint(parsed.command);
    if (!this.triggers(parsed)) return this.routeInOrder(parsed);
    const { data } = this.failPoint;
    // Blocked outside the command order, as a slow connection would be: others go on.
    if (data.blockConnection === true) await new Promise((resolve) => setTimeout(resolve, data.blockTimeMS ?? 0));
    if (data.errorCode !== undefined) {
      return { ok: 0, errmsg: "Failing command via 'failCommand' failpoint", code: data.errorCode, codeName: 'FailPoint' };
    }
    const answer = await this.routeInOrder(parsed);
    return data.writeConcernError === undefined ? answer : { ...answer, writeConcernError: data.writeConcernError };
  }

  /** Whether the fail point takes this command (and counts it). */
  private triggers({ commandName, command, database }: ParsedCommand): boolean {
    const point = this.failPoint;
    if (point.mode === 'off' || !(point.data.failCommands ?? []).includes(commandName)) return false;
    if (point.data.namespace !== undefined && point.data.namespace !== `${database}.${String(command[commandName])}`) return false;
    const { mode } = point;
    if (typeof mode === 'object' && 'skip' in mode && mode.skip > 0) {
      mode.skip -= 1;
      return false;
    }
    point.entered += 1;
    if (typeof mode === 'object' && 'times' in mode) {
      mode.times -= 1;
      if (mode.times <= 0) point.mode = 'off';
    }
    return true;
  }

  private configureFailPoint(command: Doc): Doc {
    if (command['configureFailPoint'] !== 'failCommand') {
      return { ok: 0, errmsg: `unknown fail point ${String(command['configureFailPoint'])}`, code: 2, codeName: 'BadValue' };
    }
    const count = this.failPoint.entered;
    const mode = command['mode'] as FailPoint['mode'];
    this.failPoint = { mode: typeof mode === 'object' ? { ...mode } : mode, data: (command['data'] ?? {}) as FailPoint['data'], entered: count };
    return { ok: 1, count };
  }

  private async waitForFailPoint(command: Doc): Promise<Doc> {
    const deadline = Date.now() + Number(command['maxTimeMS'] ?? 10_000);
    while (this.failPoint.entered < Number(command['timesEntered'])) {
      if (Date.now() > deadline) return { ok: 0, errmsg: 'operation exceeded time limit', code: 50, codeName: 'MaxTimeMSExpired' };
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { ok: 1 };
  }

  private async routeInOrder(parsed: ParsedCommand): Promise<Doc> {
    const { command } = parsed;
    const session = command['lsid'] === undefined ? undefined : valueKey((command['lsid'] as Doc)['id']);
    const txnNumber = command['txnNumber'] === undefined ? undefined : valueKey(command['txnNumber']);
    const open = this.open;
    if (open !== undefined && session === open.session && txnNumber === open.txnNumber) return this.inTransaction(open, parsed);
    const release = await this.lock();
    if (command['startTransaction'] === true && session !== undefined && txnNumber !== undefined) {
      const undo: Undo[] = [];
      const begun: OpenTransaction = {
        session,
        txnNumber,
        undo,
        failed: false,
        release,
        timer: setTimeout(() => this.finish(begun, false), TRANSACTION_LIFETIME_MS),
      };
      this.open = begun;
      return this.inTransaction(begun, parsed);
    }
    try {
      if (parsed.commandName === 'commitTransaction') return { ok: 1 };
      if (parsed.commandName === 'abortTransaction') {
        return { ok: 0, errmsg: 'Transaction was aborted', code: 251, codeName: 'NoSuchTransaction' };
      }
      return await this.run(parsed);
    } finally {
      release();
    }
  }

  private async inTransaction(open: OpenTransaction, parsed: ParsedCommand): Promise<Doc> {
    if (parsed.commandName === 'commitTransaction' || parsed.commandName === 'abortTransaction') {
      const commit = parsed.commandName === 'commitTransaction' && !open.failed;
      this.finish(open, commit);
      if (parsed.commandName === 'commitTransaction' && !commit) {
        return { ok: 0, errmsg: 'Transaction was aborted', code: 251, codeName: 'NoSuchTransaction' };
      }
      return { ok: 1 };
    }
    this.storage.undo = open.undo;
    try {
      const answer = await this.run(parsed);
      // A failed write aborts the transaction (its earlier writes are undone at abort).
      if (answer['ok'] !== 1 || answer['writeErrors'] !== undefined) open.failed = true;
      return answer;
    } finally {
      this.storage.undo = undefined;
    }
  }

  private finish(open: OpenTransaction, commit: boolean): void {
    if (this.open !== open) return;
    clearTimeout(open.timer);
    if (!commit) this.storage.rollBack(open.undo);
    this.open = undefined;
    open.release();
  }

  /** Waits for the commands before this one (and any open transaction) to end. */
  private async lock(): Promise<() => void> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise((resolve) => (release = resolve));
    await before;
    return release;
  }

  private async run(parsed: ParsedCommand): Promise<Doc> {
    switch (parsed.commandName) {
      case 'hello':
      case 'isMaster':
      case 'ismaster':
        return this.hello(await this.inner(parsed));
      case 'createIndexes':
        return this.createIndexes(parsed);
      case 'listIndexes':
        return this.listIndexes(parsed);
      default:
        return cutBatch(await this.inner(parsed), this.cursors, parsed);
    }
  }

  private hello(answer: Doc): Doc {
    const me = this.hostPort();
    // Without topologyVersion the driver polls `hello`; with it, it would stream it
    // (exhaust replies flagged moreToCome), which CongoDB's wire layer does not speak.
    const { topologyVersion: _streaming, ...polled } = answer;
    return {
      ...polled,
      setName: SET_NAME,
      setVersion: 1,
      hosts: [me],
      primary: me,
      me,
      isWritablePrimary: true,
      ismaster: true,
      secondary: false,
      maxWireVersion: 21,
      logicalSessionTimeoutMinutes: 30,
      // Not a MongoDB field (drivers ignore it): lets a test say what it ran against.
      [EMULATED_FIELD]: true,
    };
  }

  private async createIndexes({ command, database }: ParsedCommand): Promise<Doc> {
    const coll = String(command['createIndexes']);
    await this.storage.createCollection(database, coll);
    const before = (await this.storage.getIndexes(database, coll)).length;
    const collection = (this.storage as unknown as { ensureCollection(d: string, c: string): Collection }).ensureCollection(database, coll);
    for (const spec of (command['indexes'] ?? []) as IndexSpec[]) {
      const existing = (await this.storage.getIndexes(database, coll)).find((i) => i.name === spec.name);
      if (existing !== undefined) continue;
      if (spec.unique === true) {
        const seen = new Set<string>();
        for (const doc of collection.values()) {
          const key = Object.keys(spec.key).map((f) => valueKey(fieldOf(doc, f))).join('|');
          if (seen.has(key)) {
            const error = new DuplicateKeyError(`${database}.${coll}`, spec, doc);
            return { ok: 0, errmsg: error.message, code: 11000, codeName: 'DuplicateKey' };
          }
          seen.add(key);
        }
      }
      await this.storage.saveIndex(database, coll, spec.name, {
        key: spec.key,
        ...(spec.unique === true ? { unique: true } : {}),
        ...(spec.sparse === true ? { sparse: true } : {}),
      });
    }
    const after = (await this.storage.getIndexes(database, coll)).length;
    return { ok: 1, numIndexesBefore: before, numIndexesAfter: after, createdCollectionAutomatically: false };
  }

  private async listIndexes({ command, database }: ParsedCommand): Promise<Doc> {
    const coll = String(command['listIndexes']);
    if (!(await this.storage.collectionExists(database, coll))) {
      return { ok: 0, errmsg: `ns does not exist: ${database}.${coll}`, code: 26, codeName: 'NamespaceNotFound' };
    }
    const indexes = (await this.storage.getIndexes(database, coll)) as IndexSpec[];
    return {
      ok: 1,
      cursor: {
        id: 0n,
        ns: `${database}.${coll}`,
        firstBatch: indexes.map((i) => ({ v: 2, key: i.key, name: i.name, ...(i.unique === true ? { unique: true } : {}) })),
      },
    };
  }
}

/** CongoDB's cursor table (private in its router), where a cut batch leaves the rest. */
interface CursorTable {
  readonly cursors: Map<bigint, { id: bigint; database: string; collection: string; documents: unknown[]; position: number; batchSize: number; createdAt: Date }>;
  cursorIdCounter: bigint;
}

/**
 * Cuts a reply's batch at 16 MiB, as a server does (a batch is bounded by the BSON document
 * size), leaving the rest on the cursor for getMore: CongoDB answers 101 documents whatever
 * their size, and 101 GridFS chunks overrun what a reply may carry.
 */
function cutBatch(answer: Doc, table: CursorTable, { command, database }: ParsedCommand): Doc {
  const cursor = answer['cursor'] as { id: Long; ns: string; firstBatch?: unknown[]; nextBatch?: unknown[] } | undefined;
  if (cursor === undefined) return answer;
  const batch = cursor.firstBatch ?? cursor.nextBatch ?? [];
  let bytes = 0;
  let cut = batch.length;
  for (let i = 0; i < batch.length; i++) {
    bytes += approximateSize(batch[i]);
    if (bytes > MAX_BATCH_BYTES && i > 0) {
      cut = i;
      break;
    }
  }
  if (cut === batch.length) return answer;
  const rest = batch.slice(cut);
  const kept = batch.slice(0, cut);
  let id = cursor.id.toBigInt();
  const state = table.cursors.get(id);
  if (state !== undefined) {
    state.documents = [...rest, ...state.documents.slice(state.position)];
    state.position = 0;
  } else {
    id = table.cursorIdCounter++;
    const collection = cursor.ns.slice(database.length + 1);
    const batchSize = Number((command['batchSize'] as number | undefined) ?? ((command['cursor'] as Doc | undefined)?.['batchSize'] as number | undefined) ?? 101);
    table.cursors.set(id, { id, database, collection, documents: rest, position: 0, batchSize, createdAt: new Date() });
  }
  const cutCursor = { ...cursor, id: Long.fromBigInt(id), ...(cursor.firstBatch !== undefined ? { firstBatch: kept } : { nextBatch: kept }) };
  return { ...answer, cursor: cutCursor };
}

function approximateSize(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return value.length + 5;
  if (typeof value !== 'object') return 8;
  const v = value as { _bsontype?: string; buffer?: Uint8Array; position?: number };
  if (v._bsontype === 'Binary') return (v.position ?? v.buffer?.byteLength ?? 0) + 5;
  if (value instanceof Uint8Array) return value.byteLength + 5;
  let size = 5;
  for (const [k, x] of Object.entries(value as Doc)) size += k.length + 2 + approximateSize(x);
  return size;
}

/** Starts an emulated MongoDB on 127.0.0.1 (`port` 0: any free port). */
export async function startEmulatedMongo(port = 0): Promise<EmulatedMongo> {
  const server = new CongoServer({ host: '127.0.0.1', port });
  const internals = server as unknown as { storage: EmulatedStorage; commandRouter: { storage: EmulatedStorage; route: Route }; server: Server | null };
  const storage = new EmulatedStorage();
  internals.storage = storage;
  internals.commandRouter.storage = storage;
  const router = internals.commandRouter;
  const inner: Route = router.route.bind(router);
  let hostPort = '';
  const completion = new Completion(storage, inner, () => hostPort, router as unknown as CursorTable);
  router.route = (parsed) => completion.route(parsed);
  await server.start();
  const address = internals.server?.address() as AddressInfo;
  hostPort = `127.0.0.1:${address.port}`;
  return {
    uri: `mongodb://${hostPort}/?replicaSet=${SET_NAME}`,
    stop: () => server.stop(),
  };
}
