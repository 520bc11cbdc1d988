/**
 * The MongoDB adapters when a write fails part-way, as a process death, a failover or a
 * lost race leaves it: each case makes one command fail (or wait) through MongoDB's
 * `failCommand` fail point, which the emulated server offers and a real one offers with
 * `--setParameter enableTestCommands=1` (docs/cluster.md). Against a server without it the
 * file is skipped, loudly.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { MongoClient, type CommandStartedEvent, type Db } from 'mongodb';
import { GridFsBlobStore, MongoJournal } from '../../src/storage/mongo/index.js';
import { backfillBlobReferences } from '../../src/storage/mongo/blob-refs-backfill.js';
import { MongoBlobHolds } from '../../src/storage/mongo/mongo-blob-holds.js';
import { freshDb, mongoLabel, mongoSkip, mongoUri } from './mongo-fixtures.js';
import { withFixture } from './support.js';

/** A `failCommand` configuration (MongoDB's test fail point). */
interface FailCommand {
  readonly mode: 'alwaysOn' | 'off' | { readonly times: number } | { readonly skip: number };
  readonly data?: {
    readonly failCommands: readonly string[];
    readonly namespace?: string;
    readonly errorCode?: number;
    readonly writeConcernError?: { readonly code: number; readonly errmsg: string };
    readonly blockConnection?: boolean;
    readonly blockTimeMS?: number;
  };
}

/** Configures the fail point; returns how often it was entered before. */
async function failCommand(db: Db, config: FailCommand): Promise<number> {
  const answer = await db.admin().command({ configureFailPoint: 'failCommand', ...config });
  return Number(answer['count'] ?? 0);
}

/** Whether the server has the fail point (a real one only with enableTestCommands). */
async function hasFailPoint(): Promise<boolean> {
  const { connection, drop } = await freshDb();
  try {
    await failCommand(connection.db, { mode: 'off' });
    return true;
  } catch {
    return false;
  } finally {
    await drop();
  }
}

const label = await mongoLabel();
const skip =
  mongoSkip !== false
    ? mongoSkip
    : (await hasFailPoint())
      ? false
      : `MongoDB på ${mongoUri} har ikke fail point «failCommand»: feiltilfellene hoppes over. Start mongod med --setParameter enableTestCommands=1.`;
if (skip !== false && mongoSkip === false) console.warn(`\n⚠ ${skip}\n`);

/** A fresh database with a blob store; the fail point is switched off afterwards. */
async function blobFixture() {
  const { connection, name, drop } = await freshDb();
  const db = connection.client.db(name);
  return {
    db,
    name,
    blobs: await GridFsBlobStore.open(db),
    cleanup: async () => {
      await failCommand(db, { mode: 'off' });
      await drop();
    },
  };
}

/** A fresh database alone (opening a blob store would run the backfill on no letters). */
async function dbFixture() {
  const { connection, name, drop } = await freshDb();
  const db = connection.client.db(name);
  return {
    db,
    name,
    cleanup: async () => {
      await failCommand(db, { mode: 'off' });
      await drop();
    },
  };
}

/** `count` stored letters as an earlier version left them: each uses one document, none has references. */
async function seedOldLetters(db: Db, count: number): Promise<void> {
  const docs = Array.from({ length: count }, (_, i) => ({
    _id: `brev-${String(i).padStart(6, '0')}`,
    view: JSON.stringify({ dokumenter: [{ blob: { sha256: `${String(i % 7).repeat(64)}` } }] }),
  }));
  await db.collection<{ _id: string; view: string }>('forsendelser').insertMany(docs);
}

if (skip !== false) void it('MongoDB adapters under failed writes', { skip }, () => {});
else
  void describe(`MongoDB adapters under failed writes, on ${label}`, () => {
    void it('GridFS: a deletion cut off after its first step leaves a file that collectGarbage finds, never headless chunks', () =>
      withFixture(blobFixture, async ({ db, name, blobs }) => {
        const bytes = randomBytes(1000);
        const blob = await blobs.put(bytes, { lease: 'inntak' });
        await blobs.claim('brev-1', [blob.sha256]);
        await blobs.releaseLease('inntak');
        // A sweep has passed this upload already: its chunks are behind the chunk sweep's mark.
        assert.equal(await blobs.collectGarbage(0, Date.now() + 2000), 0);
        // The second step of deleting the file fails, as a process death in between would leave it.
        await failCommand(db, {
          mode: { times: 1 },
          data: { failCommands: ['delete'], namespace: `${name}.blobs.chunks`, errorCode: 91 },
        });
        await assert.rejects(blobs.release('brev-1'));
        await failCommand(db, { mode: 'off' });
        await blobs.collectGarbage(0, Date.now() + 4000);
        assert.equal(await db.collection('blobs.chunks').countDocuments({}), 0, 'no chunks are left behind');
        assert.equal(await db.collection('blobs.files').countDocuments({}), 0, 'no file is left behind');
      }));

    void it('GridFS: a put of the same bytes while a collector is deleting them keeps them (the gen guard)', () =>
      withFixture(blobFixture, async ({ db, name, blobs }) => {
        const bytes = randomBytes(1000);
        const blob = await blobs.put(bytes, { lease: 'avvist' });
        // The collector has read the mapping and found nothing holding it; its next write (the
        // rename before the deletion) waits while another intake puts the same bytes.
        const entered = await failCommand(db, {
          mode: { times: 1 },
          data: {
            failCommands: ['update'],
            namespace: `${name}.blobs.files`,
            blockConnection: true,
            blockTimeMS: 1500,
          },
        });
        const collecting = blobs.releaseLease('avvist');
        await db.admin().command({ waitForFailPoint: 'failCommand', timesEntered: entered + 1, maxTimeMS: 10_000 });
        assert.deepEqual(await blobs.put(bytes, { lease: 'nytt-inntak' }), blob);
        assert.equal(await collecting, 0, 'the collector leaves the bytes the new put holds');
        assert.deepEqual(Buffer.from(await blobs.get(blob.sha256)), bytes);
      }));

    void it('MongoJournal: a first snapshot that lost the insert race to an older one replaces it', () =>
      withFixture(dbFixture, async ({ db, name }) => {
        const journal = await MongoJournal.open(db);
        // The other node's first snapshot of the key (seq 5) won the insert; ours (seq 9) lost
        // the race on _id, which the server reports as E11000.
        await journal.saveSnapshot({ key: 'k', seq: 5, data: { seq: 5 }, createdAt: 1 });
        await failCommand(db, {
          mode: { times: 1 },
          data: { failCommands: ['update'], namespace: `${name}.snapshots`, errorCode: 11000 },
        });
        await journal.saveSnapshot({ key: 'k', seq: 9, data: { seq: 9 }, createdAt: 2 });
        assert.equal((await journal.latestSnapshot('k'))?.seq, 9);
        // And a stale one still does not roll it back.
        await journal.saveSnapshot({ key: 'k', seq: 7, data: { seq: 7 }, createdAt: 3 });
        assert.equal((await journal.latestSnapshot('k'))?.seq, 9);
      }));

    void it('blob holds: a claim whose write failed as a whole fails, even when the error says E11000', () =>
      withFixture(dbFixture, async ({ db, name }) => {
        const holds = await MongoBlobHolds.open(db, 'holds');
        await failCommand(db, {
          mode: { times: 1 },
          data: { failCommands: ['update'], namespace: `${name}.holds.refs`, errorCode: 11000 },
        });
        await assert.rejects(holds.claim('brev-1', ['a'.repeat(64), 'b'.repeat(64)]));
        assert.equal(
          await db.collection('holds.refs').countDocuments({}),
          0,
          'nothing was recorded, and the caller knows',
        );
      }));

    void it('blob holds: a claim whose write concern failed fails', () =>
      withFixture(dbFixture, async ({ db, name }) => {
        const holds = await MongoBlobHolds.open(db, 'holds');
        await failCommand(db, {
          mode: { times: 1 },
          data: {
            failCommands: ['update'],
            namespace: `${name}.holds.refs`,
            writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' },
          },
        });
        await assert.rejects(
          holds.claim('brev-1', ['a'.repeat(64)]),
          (error: Error & { code?: number }) => error.code === 64,
        );
      }));

    void it('reference backfill: one write per batch of letters, not one per letter', () =>
      withFixture(dbFixture, async ({ db, name }) => {
        await seedOldLetters(db, 1200);
        const client = new MongoClient(mongoUri, {
          monitorCommands: true,
          serverSelectionTimeoutMS: 5000,
          ignoreUndefined: true,
          writeConcern: { w: 'majority' },
        });
        try {
          const writes: CommandStartedEvent[] = [];
          client.on('commandStarted', (event) => {
            if (event.commandName === 'update' && event.command['update'] === 'backfill.refs') writes.push(event);
          });
          const monitored = client.db(name);
          const holds = await MongoBlobHolds.open(monitored, 'backfill');
          assert.equal(await backfillBlobReferences(monitored, holds), 1200);
          assert.ok(writes.length <= 3, `${writes.length} writes of references for 1200 letters`);
          assert.equal(await db.collection('backfill.refs').countDocuments({}), 1200);
        } finally {
          await client.close();
        }
      }));

    void it('reference backfill: a run cut off part-way is resumed where it stopped, not started over', () =>
      withFixture(dbFixture, async ({ db, name }) => {
        await seedOldLetters(db, 1200);
        const holds = await MongoBlobHolds.open(db, 'backfill');
        // The first write of references goes through, then the node dies (every later write fails).
        await failCommand(db, {
          mode: { skip: 1 },
          data: { failCommands: ['update'], namespace: `${name}.backfill.refs`, errorCode: 91 },
        });
        await assert.rejects(backfillBlobReferences(db, holds));
        await failCommand(db, { mode: 'off' });
        const written = await db.collection('backfill.refs').countDocuments({});
        assert.ok(written > 0 && written < 1200, `${written} references written before the cut`);
        const readAfterRestart = await backfillBlobReferences(db, holds);
        assert.ok(readAfterRestart <= 1200 - written, `the restarted run read ${readAfterRestart} letters`);
        assert.equal(await db.collection('backfill.refs').countDocuments({}), 1200);
        assert.equal(await backfillBlobReferences(db, holds), 0, 'and once done it is not run again');
      }));

    void it('reference backfill: nodes starting together run it once for the cluster, and each waits for it', () =>
      withFixture(dbFixture, async ({ db }) => {
        await seedOldLetters(db, 1200);
        const holds = await MongoBlobHolds.open(db, 'backfill');
        const reads = await Promise.all([0, 1, 2].map(() => backfillBlobReferences(db, holds)));
        assert.equal(
          reads.reduce((a, b) => a + b, 0),
          1200,
          `letters read by the three nodes: ${reads.join(', ')}`,
        );
        assert.equal(await db.collection('backfill.refs').countDocuments({}), 1200);
      }));
  });
