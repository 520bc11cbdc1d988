/**
 * The AuditLog contract against SQLite (embedded) and MongoDB (cluster). The MongoDB run
 * needs a replica set named by MONGODB_URI (see docs/cluster.md); without it that part is
 * skipped, loudly. Each MongoDB fixture gets its own database, dropped afterwards.
 */
import { randomUUID } from 'node:crypto';
import { after, it } from 'node:test';
import { connectMongo, MongoAuditLog, type MongoConnection } from '../../src/storage/mongo/index.js';
import { SqliteAuditLog } from '../../src/storage/sqlite/index.js';
import { auditLogContract } from './audit-log.js';
import { mongoLabel } from './mongo-fixtures.js';
import { sqliteFile } from './sqlite-fixtures.js';

auditLogContract('SqliteAuditLog', async () => {
  const file = await sqliteFile();
  return {
    audit: new SqliteAuditLog(file.connect()),
    // A second connection to the file, as the CLI or a second process would have.
    openSecond: async () => new SqliteAuditLog(file.connect()),
    cleanup: () => file.cleanup(),
  };
});

const uri = process.env['MONGODB_URI'];
const skip =
  uri === undefined || uri === ''
    ? 'MONGODB_URI er ikke satt: MongoAuditLog-kontrakten hoppes over. Sett MONGODB_URI til et replikasett ' +
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
if (skip !== false) void it('MongoAuditLog: AuditLog contract', { skip }, () => {});
else
  auditLogContract(`MongoAuditLog on ${await mongoLabel()}`, async () => {
    const name = `budbringer_test_${randomUUID().replaceAll('-', '')}`;
    const first = await connect(name);
    return {
      audit: await MongoAuditLog.open(first.db),
      // A separate client, as another node would have.
      openSecond: async () => MongoAuditLog.open((await connect(name)).db),
      cleanup: async () => void (await first.db.dropDatabase()),
    };
  });
