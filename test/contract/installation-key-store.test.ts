/**
 * The InstallationKeyStore contract against SQLite (embedded) and MongoDB (cluster). The MongoDB run
 * needs a replica set named by MONGODB_URI (see docs/cluster.md); without it that part is
 * skipped, loudly (mongo-fixtures.ts). Each MongoDB fixture gets its own database, dropped afterwards.
 */
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { MongoInstallationKeyStore } from '../../src/storage/mongo/index.js';
import { SqliteInstallationKeyStore } from '../../src/storage/sqlite/index.js';
import { installationKeyStoreContract } from './installation-key-store.js';
import { connectTest, mongoLabel, mongoSkip } from './mongo-fixtures.js';
import { sqliteFile } from './sqlite-fixtures.js';

// Asked before any test is registered: the runner (--test-force-exit) ends the file once the
// tests registered so far are done, so a suite registered after an await here could be dropped
// unreported.
const mongoName = await mongoLabel();

installationKeyStoreContract('SqliteInstallationKeyStore', async () => {
  const file = await sqliteFile();
  return {
    keys: new SqliteInstallationKeyStore(file.connect()),
    // A second connection to the file, as the CLI or a second process would have.
    openSecond: async () => new SqliteInstallationKeyStore(file.connect()),
    cleanup: () => file.cleanup(),
  };
});

// A skipped suite would count as no test at all; one skipped test shows in the summary.
if (mongoSkip !== false)
  void it('MongoInstallationKeyStore: InstallationKeyStore contract', { skip: mongoSkip }, () => {});
else
  installationKeyStoreContract(`MongoInstallationKeyStore on ${mongoName}`, async () => {
    const name = `budbringer_test_${randomUUID().replaceAll('-', '')}`;
    const first = await connectTest(name);
    return {
      keys: await MongoInstallationKeyStore.open(first.db),
      // A separate client, as another node would have.
      openSecond: async () => MongoInstallationKeyStore.open((await connectTest(name)).db),
      cleanup: async () => void (await first.db.dropDatabase()),
    };
  });
