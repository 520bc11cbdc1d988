/**
 * The SendAttempts contract against SQLite (embedded) and MongoDB (cluster). The MongoDB run
 * needs a replica set named by MONGODB_URI (see docs/cluster.md); without it that part is
 * skipped, loudly. Each MongoDB fixture gets its own database, dropped afterwards.
 */
import { randomUUID } from 'node:crypto';
import { after, it } from 'node:test';
import { connectMongo, MongoSendAttempts, type MongoConnection } from '../../src/storage/mongo/index.js';
import { SqliteSendAttempts } from '../../src/storage/sqlite/index.js';
import { mongoLabel } from './mongo-fixtures.js';
import { sendAttemptsContract } from './send-attempts.js';
import { sqliteFile } from './sqlite-fixtures.js';

sendAttemptsContract('SqliteSendAttempts', async () => {
  const file = await sqliteFile();
  return {
    attempts: new SqliteSendAttempts(file.connect()),
    // A second connection to the file, as a second process would have.
    openSecond: async () => new SqliteSendAttempts(file.connect()),
    cleanup: () => file.cleanup(),
  };
});

const uri = process.env['MONGODB_URI'];
const skip =
  uri === undefined || uri === ''
    ? 'MONGODB_URI er ikke satt: MongoSendAttempts-kontrakten hoppes over. Sett MONGODB_URI til et replikasett ' +
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
if (skip !== false) void it('MongoSendAttempts: SendAttempts contract', { skip }, () => {});
else
  sendAttemptsContract(`MongoSendAttempts on ${await mongoLabel()}`, async () => {
    const name = `budbringer_test_${randomUUID().replaceAll('-', '')}`;
    const first = await connect(name);
    return {
      attempts: await MongoSendAttempts.open(first.db),
      // A separate client, as another node would have.
      openSecond: async () => MongoSendAttempts.open((await connect(name)).db),
      cleanup: async () => void (await first.db.dropDatabase()),
    };
  });
