/**
 * The MongoDB connection for cluster mode (MONGODB_URI). All Mongo adapters share one
 * client; they do not own it, so `MongoConnection.close()` is the one place that ends it
 * (main.ts closes it after the adapters, in reverse order of start-up).
 */
import { MongoClient, type Db } from 'mongodb';

/** An open MongoDB client and the database the adapters use. */
export interface MongoConnection {
  readonly client: MongoClient;
  readonly db: Db;
  /** Closes the client (after the adapters using it are done). */
  close(): Promise<void>;
}

/** Settings for connectMongo. */
export interface ConnectMongoOptions {
  /**
   * Refuse a server that is not a replica set member or mongos (default true): the journal
   * needs transactions for multi-event appends, and `w: majority` means nothing on a
   * standalone server. A single-node replica set (`mongod --replSet rs0`) is enough.
   */
  readonly requireReplicaSet?: boolean;
  /** How long to look for a usable server before failing; default 10 000 ms. */
  readonly serverSelectionTimeoutMS?: number;
}

/** Connects to MongoDB and checks that it can give the guarantees cluster mode relies on. */
export async function connectMongo(
  uri: string,
  dbName: string,
  options: ConnectMongoOptions = {},
): Promise<MongoConnection> {
  const client = new MongoClient(uri, {
    // Optional fields absent in our objects must stay absent in the stored documents
    // (the driver would otherwise store `undefined` as null).
    ignoreUndefined: true,
    // Everything the cluster writes is acknowledged by a majority of the replica set, so
    // no node reads back a write that a failover could roll back. The journal and the
    // blob store also wait for the on-disk journal (journal: true) before a forsendelse
    // is acknowledged to its sender (docs/architecture.md, flow step 3).
    writeConcern: { w: 'majority' },
    readConcernLevel: 'majority',
    retryWrites: true,
    retryReads: true,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
  });
  await client.connect();
  try {
    const db = client.db(dbName);
    if (options.requireReplicaSet ?? true) await assertReplicaSet(db);
    return { client, db, close: () => client.close() };
  } catch (error) {
    await client.close();
    throw error;
  }
}

/** Throws unless the server is a replica set member or a mongos router. */
async function assertReplicaSet(db: Db): Promise<void> {
  const hello = await db.admin().command({ hello: 1 });
  const isReplicaSet = typeof hello['setName'] === 'string';
  const isMongos = hello['msg'] === 'isdbgrid';
  if (!isReplicaSet && !isMongos) {
    throw new Error(
      'MongoDB-serveren er ikke medlem av et replikasett: cluster-modus trenger transaksjoner og ' +
        'write concern «majority". Start mongod med --replSet og kjør rs.initiate() (se docs/cluster.md).',
    );
  }
}
