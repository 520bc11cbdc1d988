/**
 * What the job tests run on: the real actors over real SQLite, a real file blob store, the
 * config store with the test avsender and the installation keys, in a temporary directory.
 * `close` stops them once no actor is live and removes the directory.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ForsendelseActors } from '../../../src/actors/forsendelse-registry.js';
import { journalPersistenceEngine } from '../../../src/actors/journal-persistence.js';
import { startActorSystem, stopActorSystem } from '../../../src/actors/runtime.js';
import { createAvsender } from '../../../src/app/accounts.js';
import { InstallationKeys } from '../../../src/app/installation-keys.js';
import { generateSelfSignedKey } from '../../../src/crypto/self-signed-key.js';
import { FileBlobStore } from '../../../src/storage/files/index.js';
import {
  openSqlite,
  SqliteChangeWriter,
  SqliteConfigStore,
  SqliteInstallationKeyStore,
  SqliteJobQueue,
  SqliteJournal,
  SqliteReadModel,
  type SqliteDatabase,
} from '../../../src/storage/sqlite/index.js';
import { AVSENDER } from '../domain/given.js';

export interface JobWorld<A extends ForsendelseActors> {
  readonly dir: string;
  readonly db: SqliteDatabase;
  readonly journal: SqliteJournal;
  readonly blobs: FileBlobStore;
  readonly actors: A;
  readonly config: SqliteConfigStore;
  readonly keys: InstallationKeys;
  close(): Promise<void>;
}

/** A world in a new temporary directory named after `name`, its registry made by `Actors`. */
export async function startJobWorld<A extends ForsendelseActors>(
  name: string,
  Actors: new (...args: ConstructorParameters<typeof ForsendelseActors>) => A,
): Promise<JobWorld<A>> {
  const dir = await mkdtemp(join(tmpdir(), `budbringer-${name}-`));
  const db = openSqlite(join(dir, 'budbringer.sqlite'));
  const journal = new SqliteJournal(db);
  const blobs = new FileBlobStore(join(dir, 'blobs'), db);
  const system = startActorSystem(`${name}-${randomUUID()}`, journalPersistenceEngine(journal));
  const readModel = new SqliteReadModel(db);
  const jobs = new SqliteJobQueue(db);
  const actors = new Actors(
    system,
    {
      journal,
      readModel,
      jobs,
      // As the node writes: events, jobs, record and the claims on blobs in one transaction.
      changes: new SqliteChangeWriter(db, { journal, jobs, readModel, claims: blobs }),
      policy: { purgeAt: (at) => at + 90 * 86_400_000 },
    },
    { idleMs: 200, askTimeoutMs: 10_000 },
  );
  const config = new SqliteConfigStore(db);
  await createAvsender(config, { navn: AVSENDER, now: Date.now() });
  const keys = new InstallationKeys({
    store: new SqliteInstallationKeyStore(db),
    generate: generateSelfSignedKey,
    commonName: 'Budbringer test',
    now: () => Date.now(),
  });
  return {
    dir,
    db,
    journal,
    blobs,
    actors,
    config,
    keys,
    async close() {
      while (actors.liveCount > 0) await sleep(20);
      stopActorSystem(system);
      await journal.close();
      await blobs.close();
      db.close();
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}
