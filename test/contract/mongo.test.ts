/**
 * The storage contract suites against the MongoDB adapters (cluster mode). They need a
 * MongoDB replica set (transactions, w: majority) named by MONGODB_URI, e.g.
 *   MONGODB_URI=mongodb://127.0.0.1:27017/?replicaSet=rs0 npm test -- test/contract/mongo.test.ts
 * `.ci/run` points it at the emulated MongoDB (test/support/emulated-mongo.ts); the suites are
 * then labelled "emulated MongoDB". Without MONGODB_URI every test here is skipped, loudly.
 * See docs/cluster.md.
 * Each fixture gets its own database (`budbringer_test_<uuid>`), dropped afterwards.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { PayloadTooLargeError } from '../../src/domain/errors.js';
import {
  GridFsBlobStore,
  MongoConfigStore,
  MongoMottakersystemRegister,
  MongoJournal,
  MongoReadModel,
  connectMongo,
  type MongoConnection,
} from '../../src/storage/mongo/index.js';
import { toRecord } from '../../src/domain/record.js';
import { DAY, ID, T0, ev, existing, stored, upTo } from '../unit/domain/given.js';
import type { ForsendelseEvent } from '../../src/domain/events.js';
import { blobStoreContract } from './blob-store.js';
import { blobReferencesContract } from './blob-references.js';
import { configStoreContract } from './config-store.js';
import { mottakersystemRegisterContract } from './mottakersystem-register.js';
import { journalContract } from './journal.js';
import { readModelContract, versionedViewContract } from './read-model.js';
import { withFixture } from './support.js';
import { freshDb, mongoLabel, mongoSkip, mongoUri } from './mongo-fixtures.js';

const uri = mongoUri;
const skip = mongoSkip;
const label = await mongoLabel();
if (label !== '') console.log(`MongoDB-kontraktene kjører mot ${label} (${uri})`);

// A skipped suite would count as no test at all; one skipped test shows in the summary.
if (skip !== false) void it('MongoDB adapters: contract suites', { skip }, () => {});
else
  void describe(`MongoDB adapters on ${label}`, () => {
    journalContract('MongoJournal', async () => {
      const { connection, name, drop } = await freshDb();
      const opened: MongoConnection[] = [];
      return {
        journal: await MongoJournal.open(connection.client.db(name)),
        // A separate client, as another node would have.
        openSecond: async () => {
          const second = await connectMongo(uri ?? '', name, { serverSelectionTimeoutMS: 5000 });
          opened.push(second);
          return MongoJournal.open(second.db);
        },
        cleanup: async () => {
          for (const c of opened) await c.close();
          await drop();
        },
      };
    });

    readModelContract('MongoReadModel', async () => {
      const { connection, name, drop } = await freshDb();
      return { readModel: await MongoReadModel.open(connection.client.db(name)), cleanup: drop };
    });

    versionedViewContract('MongoReadModel', async () => {
      const { connection, name, drop } = await freshDb();
      const db = connection.client.db(name);
      return { readModel: await MongoReadModel.open(db), journal: await MongoJournal.open(db), cleanup: drop };
    });

    blobStoreContract('GridFsBlobStore', async () => {
      const { connection, name, drop } = await freshDb();
      return { blobs: await GridFsBlobStore.open(connection.client.db(name)), cleanup: drop };
    });

    blobReferencesContract('GridFsBlobStore', async () => {
      const { connection, name, drop } = await freshDb();
      const opened: MongoConnection[] = [];
      return {
        blobs: await GridFsBlobStore.open(connection.client.db(name)),
        // A separate client, as another node would have.
        openSecond: async () => {
          const second = await connectMongo(uri ?? '', name, { serverSelectionTimeoutMS: 5000 });
          opened.push(second);
          return GridFsBlobStore.open(second.db);
        },
        cleanup: async () => {
          for (const c of opened) await c.close();
          await drop();
        },
      };
    });

    configStoreContract('MongoConfigStore', async () => {
      const { connection, name, drop } = await freshDb();
      return { config: await MongoConfigStore.open(connection.client.db(name)), cleanup: drop };
    });

    mottakersystemRegisterContract('MongoMottakersystemRegister', async () => {
      const { connection, name, drop } = await freshDb();
      const opened: MongoConnection[] = [];
      return {
        register: await MongoMottakersystemRegister.open(connection.client.db(name)),
        openSecond: async () => {
          const second = await connectMongo(uri ?? '', name, { serverSelectionTimeoutMS: 5000 });
          opened.push(second);
          return MongoMottakersystemRegister.open(second.db);
        },
        cleanup: async () => {
          for (const c of opened) await c.close();
          await drop();
        },
      };
    });

    void describe('GridFsBlobStore specifics', () => {
      const fixture = async () => {
        const { connection, name, drop } = await freshDb();
        const db = connection.client.db(name);
        return { db, blobs: await GridFsBlobStore.open(db), cleanup: drop };
      };

      void it('keeps one GridFS file per distinct content, and none for a refused upload', () =>
        withFixture(fixture, async ({ db, blobs }) => {
          const bytes = randomBytes(300_000); // more than one 255 KB chunk
          async function* pieces(): AsyncIterable<Uint8Array> {
            for (let i = 0; i < bytes.length; i += 7000) yield bytes.subarray(i, i + 7000);
          }
          await Promise.all([blobs.put(pieces()), blobs.put(pieces()), blobs.put(bytes)]);
          await assert.rejects(blobs.put(randomBytes(50_000), { maxBytes: 1000 }), PayloadTooLargeError);
          await assert.rejects(blobs.put(pieces(), { maxBytes: 100_000 }), PayloadTooLargeError);
          const sha = createHash('sha256').update(bytes).digest('hex');
          const files = await db.collection('blobs.files').find({}).toArray();
          assert.deepEqual(
            files.map((f) => [f['filename'], f['length']]),
            [[sha, bytes.length]],
          );
          assert.equal(await db.collection('blobs.chunks').countDocuments({}), 2);
          assert.equal(await db.collection('blobs.map').countDocuments({}), 1);
        }));

      void it('gives a letter stored before reference tracking its references once: a refused send of the same bytes keeps them, its purge deletes them', () =>
        withFixture(fixture, async ({ db, blobs }) => {
          const bytes = randomBytes(1000);
          // Bytes and a letter as an earlier version left them: no lease, no reference.
          const blob = await blobs.put(bytes, { lease: 'tidligere' });
          await db.collection('blobs.leases').deleteMany({});
          await db.collection('migreringer').deleteMany({});
          const readModel = await MongoReadModel.open(db);
          await readModel.upsert(toRecord(existing([ev.mottatt({ dokumenter: [{ ...stored('a.pdf'), blob }] })]), 1));
          const upgraded = await GridFsBlobStore.open(db);
          await upgraded.put(bytes, { lease: 'avvist' });
          assert.equal(await upgraded.releaseLease('avvist'), 0, 'the old letter holds its document');
          assert.deepEqual(Buffer.from(await upgraded.get(blob.sha256)), bytes);
          assert.equal(await upgraded.release(ID), 1, 'and its purge deletes it');
          assert.equal(await upgraded.size(blob.sha256), undefined);
        }));

      void it('gives a letter projected before statistics facts its facts from its view, once', () =>
        withFixture(fixture, async ({ db }) => {
          const record = toRecord(existing(upTo.printet()), 7);
          const { fakta, ...withoutFacts } = record;
          assert.ok(fakta?.kvittering !== undefined);
          // Stored as an earlier version stored it: no facts, and the backfill not yet run.
          await (await MongoReadModel.open(db)).upsert(withoutFacts);
          await db.collection('migreringer').deleteMany({});
          const upgraded = await MongoReadModel.open(db);
          assert.deepEqual((await upgraded.get(record.id))?.fakta, fakta);
          // The domain fixtures' letters are received in 2027 (test/unit/domain/given.ts T0).
          const agg = await upgraded.aggregateStatistics({ grenser: [0, Date.UTC(2100, 0, 1)], lesetidGrenser: [] });
          assert.equal(agg.grupper[0]?.papir, 1, JSON.stringify(agg));
          assert.equal(agg.grupper[0]?.kvitteringer, 1);
        }));

      void it('counts a letter that ended IKKE_LEVERT, projected as delivered digitally by earlier code, as not delivered, once', () =>
        withFixture(fixture, async ({ db }) => {
          const record = toRecord(existing([...upTo.varslet(), { type: 'UtskriftAvbrutt', at: T0 + 100 * DAY }]), 6);
          assert.equal(record.status, 'IKKE_LEVERT');
          assert.equal(record.fakta?.levering, 'annet');
          // As the code of 4–6 December 2026 projected it, the correction not yet run.
          await (await MongoReadModel.open(db)).upsert({ ...record, fakta: { ...record.fakta, levering: 'digitalt' } });
          await db.collection('migreringer').deleteMany({});
          const upgraded = await MongoReadModel.open(db);
          assert.deepEqual((await upgraded.get(record.id))?.fakta, record.fakta);
          const agg = await upgraded.aggregateStatistics({ grenser: [0, Date.UTC(2100, 0, 1)], lesetidGrenser: [] });
          assert.equal(agg.grupper[0]?.digitalt, 0, JSON.stringify(agg));
          assert.equal(agg.grupper[0]?.annet, 1);
        }));

      void it('gives a letter waiting in SvarInn before the field existed its receiving system, once, so its poll finds it', () =>
        withFixture(fixture, async ({ db }) => {
          const kanal = { ...ev.kanalValgt('svarinn'), mottakersystem: 'arkiv-a' } as ForsendelseEvent;
          const record = toRecord(existing([...upTo.akseptert(), kanal]), 3);
          assert.equal(record.status, 'KLAR_FOR_MOTTAK');
          const { svarinnSystem, ...without } = record;
          assert.equal(svarinnSystem, 'arkiv-a');
          // Stored as an earlier version stored it: no system, and the backfill not yet run.
          await (await MongoReadModel.open(db)).upsert(without);
          // And one whose view is damaged: its system comes from its events in the journal.
          const damaged = { ...without, id: `${record.id.slice(0, -1)}0`, view: { viewVersion: 2 } };
          const events = [...upTo.akseptert(), kanal].map((e, i) => ({
            key: `forsendelse:${damaged.id}`,
            seq: i + 1,
            json: JSON.stringify(e),
            tags: [],
            createdAt: new Date(0),
          }));
          await db.collection('events').insertMany(events);
          await (await MongoReadModel.open(db)).upsert(damaged);
          await db.collection('migreringer').deleteMany({});
          const upgraded = await MongoReadModel.open(db);
          assert.equal((await upgraded.get(record.id))?.svarinnSystem, 'arkiv-a');
          assert.equal((await upgraded.get(damaged.id))?.svarinnSystem, 'arkiv-a', 'from the journal');
          const found = await upgraded.search({ svarinnSystem: 'arkiv-a', oldestFirst: true, limit: 10, offset: 0 });
          assert.deepEqual(found.items.map((r) => r.id).sort(), [record.id, damaged.id].sort());
        }));

      void it('collectGarbage removes the chunks of an upload killed before its files document was written', () =>
        withFixture(fixture, async ({ db, blobs }) => {
          const kept = await blobs.put(randomBytes(1000));
          const { ObjectId } = await import('mongodb');
          // What a killed upload opened two days ago left: chunks, no file.
          const killed = ObjectId.createFromTime(Math.floor(Date.now() / 1000) - 2 * 86_400);
          await db
            .collection('blobs.chunks')
            .insertMany([0, 1].map((n) => ({ files_id: killed, n, data: randomBytes(100) })));
          assert.equal(await blobs.collectGarbage(86_400_000), 1);
          assert.equal(await db.collection('blobs.chunks').countDocuments({ files_id: killed }), 0);
          assert.equal((await blobs.get(kept.sha256)).length, 1000, 'a stored blob keeps its chunks');
        }));

      void it('deletes GridFS files that no mapping points to', () =>
        withFixture(fixture, async ({ db, blobs }) => {
          const kept = await blobs.put(randomBytes(1000));
          // An upload whose mapping a crash prevented.
          const { GridFSBucket } = await import('mongodb');
          const bucket = new GridFSBucket(db, { bucketName: 'blobs' });
          const orphan = bucket.openUploadStream('pending-crashed');
          orphan.end(randomBytes(500));
          await new Promise((resolve, reject) => orphan.on('finish', resolve).on('error', reject));
          assert.equal(await blobs.deleteOrphans(Date.now() + 1000), 1);
          assert.equal(await db.collection('blobs.files').countDocuments({}), 1);
          assert.equal(await blobs.size(kept.sha256), 1000);
          assert.equal((await blobs.get(kept.sha256)).length, 1000);
        }));
    });

    void describe('MongoJournal specifics', () => {
      void it('stores events with a unique (key, seq) index and JSON text that keeps odd keys', () =>
        withFixture(
          async () => {
            const { connection, name, drop } = await freshDb();
            const db = connection.client.db(name);
            return { db, journal: await MongoJournal.open(db), cleanup: drop };
          },
          async ({ db, journal }) => {
            const data = { $set: 1, 'a.b': { $ne: [2 ** 53 - 1] } };
            await journal.append([{ key: 'k', seq: 1, data, tags: [], createdAt: 1 }]);
            assert.deepEqual((await journal.read('k', 0))[0]?.data, data);
            const indexes = await db.collection('events').indexes();
            const guard = indexes.find((i) => i.name === 'key_seq_unique');
            assert.deepEqual(guard?.key, { key: 1, seq: 1 });
            assert.equal(guard?.unique, true);
          },
        ));
    });
  });
