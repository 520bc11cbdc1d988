/**
 * The MongoDB the contract suites use (MONGODB_URI: a real replica set, or the emulated
 * server that `.ci/run` starts), what it is called in the output, and a fresh database
 * per fixture (`budbringer_test_<uuid>`), dropped afterwards.
 */
import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import { connectMongo, type MongoConnection } from '../../src/storage/mongo/index.js';
import { EMULATED_FIELD } from '../support/emulated-mongo.js';

/** The server the suites run against, if any. */
export const mongoUri = process.env['MONGODB_URI'] ?? '';

/** `false` when MONGODB_URI is set, else the skip message. */
export const mongoSkip: string | false =
  mongoUri === ''
    ? 'MONGODB_URI er ikke satt: MongoDB-kontraktene hoppes over. Sett MONGODB_URI til et replikasett ' +
      '(f.eks. mongodb://127.0.0.1:27017/?replicaSet=rs0) for å kjøre dem; se docs/cluster.md.'
    : false;
if (mongoSkip !== false) console.warn(`\n⚠ ${mongoSkip}\n`);

/** Opened connections, closed after the file's tests. */
const connections: MongoConnection[] = [];

after(async () => {
  for (const connection of connections) await connection.close();
});

/** A new connection to `dbName` (as another node would have), closed after the file's tests. */
export async function connectTest(dbName = 'budbringer_test'): Promise<MongoConnection> {
  const connection = await connectMongo(mongoUri, dbName, { serverSelectionTimeoutMS: 5000 });
  connections.push(connection);
  return connection;
}

let shared: Promise<MongoConnection> | undefined;

/** "emulated MongoDB" when the server says it is the emulated one, else "MongoDB"; '' when skipped. */
export async function mongoLabel(): Promise<string> {
  if (mongoSkip !== false) return '';
  shared ??= connectTest();
  const hello = await (await shared).db.admin().command({ hello: 1 });
  return hello[EMULATED_FIELD] === true ? 'emulated MongoDB' : 'MongoDB';
}

/** A fresh database on the shared connection, and a cleanup that drops it. */
export async function freshDb(): Promise<{ connection: MongoConnection; name: string; drop(): Promise<void> }> {
  shared ??= connectTest();
  const connection = await shared;
  const name = `budbringer_test_${randomUUID().replaceAll('-', '')}`;
  return { connection, name, drop: async () => void (await connection.client.db(name).dropDatabase()) };
}
