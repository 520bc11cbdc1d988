/** The port contracts against the embedded SQLite adapters. */
import { configStoreContract } from './config-store.js';
import { jobQueueContract } from './job-queue.js';
import { journalContract } from './journal.js';
import { readModelContract } from './read-model.js';
import {
  sqliteConfigStoreFixture,
  sqliteJobQueueFixture,
  sqliteJournalFixture,
  sqliteReadModelFixture,
} from './sqlite-fixtures.js';

journalContract('SqliteJournal', sqliteJournalFixture);
readModelContract('SqliteReadModel', sqliteReadModelFixture);
jobQueueContract('SqliteJobQueue', sqliteJobQueueFixture);
configStoreContract('SqliteConfigStore', sqliteConfigStoreFixture);
