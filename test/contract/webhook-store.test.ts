/**
 * The WebhookStore contract against SQLite (embedded) and MongoDB (cluster). The MongoDB run
 * needs a replica set named by MONGODB_URI (see docs/cluster.md); without it that part is
 * skipped, loudly. Each MongoDB fixture gets its own database, dropped afterwards.
 */
import { randomUUID } from 'node:crypto';
import { after, it } from 'node:test';
import { connectMongo, MongoWebhookStore, type MongoConnection } from '../../src/storage/mongo/index.js';
import { SqliteWebhookStore } from '../../src/storage/sqlite/index.js';
import { webhookStoreContract } from './webhook-store.js';
import { mongoLabel } from './mongo-fixtures.js';
import { sqliteFile } from './sqlite-fixtures.js';

webhookStoreContract('SqliteWebhookStore', async () => {
  const file = await sqliteFile();
  return {
    store: new SqliteWebhookStore(file.connect()),
    // A second connection to the file, as the CLI or a second process would have.
    openSecond: async () => new SqliteWebhookStore(file.connect()),
    cleanup: () => file.cleanup(),
  };
});

const uri = process.env['MONGODB_URI'];
const skip =
  uri === undefined || uri === ''
    ? 'MONGODB_URI er ikke satt: MongoWebhookStore-kontrakten hoppes over. Sett MONGODB_URI til et replikasett ' +
      '(f.eks. mongodb://127.0.0.1:27017/?replicaSet=rs0) for å kjøre den; se docs/cluster.md.'
    : false;
if (skip !== false) console.warn(`\n⚠ ${skip}\n`);

const connections: MongoConnection[] = [];
after(async () => {
  for (const connection of connections) await connection.close();
});

async function connect(dbName: string): Promise<MongoConnection> {
  const connection = await connectMongo(uri ?? '', dbName, { serverSelectionTimeoutMS: 5000 });
  connections.push(connection);
  return connection;
}

// A skipped suite would count as no test at all; one skipped test shows in the summary.
if (skip !== false) void it('MongoWebhookStore: WebhookStore contract', { skip }, () => {});
else
  webhookStoreContract(`MongoWebhookStore on ${await mongoLabel()}`, async () => {
    const name = `budbringer_test_${randomUUID().replaceAll('-', '')}`;
    const first = await connect(name);
    return {
      store: await MongoWebhookStore.open(first.db),
      // A separate client, as another node would have.
      openSecond: async () => MongoWebhookStore.open((await connect(name)).db),
      cleanup: async () => void (await first.db.dropDatabase()),
    };
  });
