/**
 * The WebhookStore contract against SQLite (embedded) and MongoDB (cluster). The MongoDB run
 * needs a replica set named by MONGODB_URI (see docs/cluster.md); without it that part is
 * skipped, loudly (mongo-fixtures.ts). Each MongoDB fixture gets its own database, dropped afterwards.
 */
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { MongoWebhookStore } from '../../src/storage/mongo/index.js';
import { SqliteWebhookStore } from '../../src/storage/sqlite/index.js';
import { webhookStoreContract } from './webhook-store.js';
import { connectTest, mongoLabel, mongoSkip } from './mongo-fixtures.js';
import { sqliteFile } from './sqlite-fixtures.js';

// Asked before any test is registered: the runner (--test-force-exit) ends the file once the
// tests registered so far are done, so a suite registered after an await here could be dropped
// unreported.
const mongoName = await mongoLabel();

webhookStoreContract('SqliteWebhookStore', async () => {
  const file = await sqliteFile();
  return {
    store: new SqliteWebhookStore(file.connect()),
    // A second connection to the file, as the CLI or a second process would have.
    openSecond: async () => new SqliteWebhookStore(file.connect()),
    cleanup: () => file.cleanup(),
  };
});

// A skipped suite would count as no test at all; one skipped test shows in the summary.
if (mongoSkip !== false) void it('MongoWebhookStore: WebhookStore contract', { skip: mongoSkip }, () => {});
else
  webhookStoreContract(`MongoWebhookStore on ${mongoName}`, async () => {
    const name = `budbringer_test_${randomUUID().replaceAll('-', '')}`;
    const first = await connectTest(name);
    return {
      store: await MongoWebhookStore.open(first.db),
      // A separate client, as another node would have.
      openSecond: async () => MongoWebhookStore.open((await connectTest(name)).db),
      cleanup: async () => void (await first.db.dropDatabase()),
    };
  });
