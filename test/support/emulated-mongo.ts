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
 *   Commands that touch no data (`hello`, `ping`, `buildInfo`) are answered at once, as a
 *   server answers them whatever else it is doing: a new connection's handshake must not
 *   wait behind an open transaction, or a transaction that needs that connection would
 *   wait for itself until its lifetime limit.
 * - Transactions: the commands of one transaction run alone (others wait), their writes are
 *   undone on abort, on a failed write inside it, or after 60 s without commit (MongoDB's
 *   transactionLifetimeLimitSeconds). That is stricter isolation than snapshot isolation:
 *   there are no write conflicts to retry. Since every other client waits for it, a
 *   transaction is also undone once every connection that carried its commands has closed:
 *   its client died (a node killed with SIGKILL mid-write), and MongoDB, which would keep it
 *   until the lifetime limit, holds only the documents it wrote meanwhile, not the server.
 * - Reply batches are cut at 16 MiB, as a server's are.
 * - MongoDB's `failCommand` fail point (`configureFailPoint`, `waitForFailPoint`; a real
 *   server offers them with `enableTestCommands`), so a test can make one write fail,
 *   carry a write concern error, or wait, as a crash or a failover would: `failCommands`,
 *   `namespace`, `errorCode`, `writeConcernError`, `blockConnection` + `blockTimeMS`; modes
 *   `alwaysOn`, `off`, `{ times }`, `{ skip }`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AddressInfo, Server, Socket } from 'node:net';
import { CongoServer } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';
import { cutBatch, type CursorTable } from './emulated-mongo-batches.js';
import {
  DuplicateKeyError,
  EmulatedStorage,
  fieldOf,
  valueKey,
  type Collection,
  type Doc,
  type IndexSpec,
  type ParsedCommand,
  type Route,
  type Undo,
} from './emulated-mongo-storage.js';

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
const TRANSACTION_LIFETIME_MS = 60_000;
/** How long one command may hold the others back before the server says so (stderr). */
const LONG_HOLD_MS = 15_000;
/** Commands that read no data: answered outside the command order. */
const ANSWERED_AT_ONCE = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'buildInfo', 'buildinfo']);

interface OpenTransaction {
  readonly session: string;
  readonly txnNumber: string;
  readonly undo: Undo[];
  /** The connections that carried its commands and are still open. */
  readonly connections: Set<number>;
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
  /** The command (or the transaction it began) now running alone, and since when. */
  private holder: { readonly what: string; readonly since: number } | undefined;

  constructor(
    private readonly storage: EmulatedStorage,
    private readonly inner: Route,
    private readonly hostPort: () => string,
    private readonly cursors: CursorTable,
  ) {}

  /** The server's router: every command passes here, with the id of the connection it came on. */
  async route(parsed: ParsedCommand, connection: number | undefined): Promise<Doc> {
    if (parsed.commandName === 'configureFailPoint') return this.configureFailPoint(parsed.command);
    if (parsed.commandName === 'waitForFailPoint') return this.waitForFailPoint(parsed.command);
    if (ANSWERED_AT_ONCE.has(parsed.commandName)) return this.run(parsed);
    if (!this.triggers(parsed)) return this.routeInOrder(parsed, connection);
    const { data } = this.failPoint;
    // Blocked outside the command order, as a slow connection would be: others go on.
    if (data.blockConnection === true) await new Promise((resolve) => setTimeout(resolve, data.blockTimeMS ?? 0));
    if (data.errorCode !== undefined) {
      return {
        ok: 0,
        errmsg: "Failing command via 'failCommand' failpoint",
        code: data.errorCode,
        codeName: 'FailPoint',
      };
    }
    const answer = await this.routeInOrder(parsed, connection);
    return data.writeConcernError === undefined ? answer : { ...answer, writeConcernError: data.writeConcernError };
  }

  /** Whether the fail point takes this command (and counts it). */
  private triggers({ commandName, command, database }: ParsedCommand): boolean {
    const point = this.failPoint;
    if (point.mode === 'off' || !(point.data.failCommands ?? []).includes(commandName)) return false;
    if (point.data.namespace !== undefined && point.data.namespace !== `${database}.${String(command[commandName])}`)
      return false;
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
      return {
        ok: 0,
        errmsg: `unknown fail point ${String(command['configureFailPoint'])}`,
        code: 2,
        codeName: 'BadValue',
      };
    }
    const count = this.failPoint.entered;
    const mode = command['mode'] as FailPoint['mode'];
    this.failPoint = {
      mode: typeof mode === 'object' ? { ...mode } : mode,
      data: (command['data'] ?? {}) as FailPoint['data'],
      entered: count,
    };
    return { ok: 1, count };
  }

  private async waitForFailPoint(command: Doc): Promise<Doc> {
    const deadline = Date.now() + Number(command['maxTimeMS'] ?? 10_000);
    while (this.failPoint.entered < Number(command['timesEntered'])) {
      if (Date.now() > deadline)
        return { ok: 0, errmsg: 'operation exceeded time limit', code: 50, codeName: 'MaxTimeMSExpired' };
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { ok: 1 };
  }

  /** A connection closed: a transaction none of whose connections is open any more is undone. */
  connectionClosed(connection: number): void {
    const open = this.open;
    if (open === undefined || !open.connections.delete(connection)) return;
    if (open.connections.size === 0) this.finish(open, false);
  }

  private async routeInOrder(parsed: ParsedCommand, connection: number | undefined): Promise<Doc> {
    const { command } = parsed;
    const session = command['lsid'] === undefined ? undefined : valueKey((command['lsid'] as Doc)['id']);
    const txnNumber = command['txnNumber'] === undefined ? undefined : valueKey(command['txnNumber']);
    const open = this.open;
    if (open !== undefined && session === open.session && txnNumber === open.txnNumber) {
      if (connection !== undefined) open.connections.add(connection);
      return this.inTransaction(open, parsed);
    }
    const begins = command['startTransaction'] === true ? ', which began a transaction,' : '';
    const release = await this.lock(`${parsed.commandName} on ${parsed.database}${begins}`);
    if (command['startTransaction'] === true && session !== undefined && txnNumber !== undefined) {
      const undo: Undo[] = [];
      const begun: OpenTransaction = {
        session,
        txnNumber,
        undo,
        connections: new Set(connection === undefined ? [] : [connection]),
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
  private async lock(what: string): Promise<() => void> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise((resolve) => (release = resolve));
    await before;
    const holder = { what, since: Date.now() };
    this.holder = holder;
    return () => {
      if (this.holder === holder) this.holder = undefined;
      release();
    };
  }

  /** Says on stderr when one command (or transaction) has held every other back for long. */
  reportLongHolds(): NodeJS.Timeout {
    let reported: object | undefined;
    const timer = setInterval(() => {
      const holder = this.holder;
      if (holder === undefined || holder === reported || Date.now() - holder.since < LONG_HOLD_MS) return;
      reported = holder;
      console.error(
        `${new Date().toISOString()} ${holder.what} has held the command order for ${Date.now() - holder.since} ms`,
      );
    }, LONG_HOLD_MS / 3);
    timer.unref();
    return timer;
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
    const collection = (
      this.storage as unknown as { ensureCollection(d: string, c: string): Collection }
    ).ensureCollection(database, coll);
    for (const spec of (command['indexes'] ?? []) as IndexSpec[]) {
      const existing = (await this.storage.getIndexes(database, coll)).find((i) => i.name === spec.name);
      if (existing !== undefined) continue;
      if (spec.unique === true) {
        const seen = new Set<string>();
        for (const doc of collection.values()) {
          const key = Object.keys(spec.key)
            .map((f) => valueKey(fieldOf(doc, f)))
            .join('|');
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
        firstBatch: indexes.map((i) => ({
          v: 2,
          key: i.key,
          name: i.name,
          ...(i.unique === true ? { unique: true } : {}),
        })),
      },
    };
  }
}

/** Starts an emulated MongoDB on 127.0.0.1 (`port` 0: any free port). */
export async function startEmulatedMongo(port = 0): Promise<EmulatedMongo> {
  const server = new CongoServer({ host: '127.0.0.1', port });
  const internals = server as unknown as {
    storage: EmulatedStorage;
    commandRouter: { storage: EmulatedStorage; route: Route };
    server: Server | null;
  };
  const storage = new EmulatedStorage();
  internals.storage = storage;
  internals.commandRouter.storage = storage;
  const router = internals.commandRouter;
  const inner: Route = router.route.bind(router);
  let hostPort = '';
  const completion = new Completion(storage, inner, () => hostPort, router as unknown as CursorTable);
  // Which connection each command came on, and when each connection closes (CongoDB's
  // router is not told): its messages are processed in a context naming the connection.
  const connectionOf = new AsyncLocalStorage<number>();
  const wire = server as unknown as {
    connectionIdCounter: number;
    handleConnection(socket: Socket): void;
    processMessages(state: { readonly id: number }): Promise<void>;
  };
  const processMessages = wire.processMessages.bind(server);
  wire.processMessages = (state) => connectionOf.run(state.id, () => processMessages(state));
  const handleConnection = wire.handleConnection.bind(server);
  wire.handleConnection = (socket) => {
    handleConnection(socket);
    const id = wire.connectionIdCounter;
    socket.once('close', () => completion.connectionClosed(id));
  };
  router.route = (parsed) => completion.route(parsed, connectionOf.getStore());
  const watch = completion.reportLongHolds();
  await server.start();
  const address = internals.server?.address() as AddressInfo;
  hostPort = `127.0.0.1:${address.port}`;
  return {
    uri: `mongodb://${hostPort}/?replicaSet=${SET_NAME}`,
    stop: () => {
      clearInterval(watch);
      return server.stop();
    },
  };
}
