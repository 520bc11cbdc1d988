/**
 * The ChangeWriters over the embedded adapters: SqliteChangeWriter writes a forsendelse's
 * claims, events, jobs and record in one transaction (all or nothing), and the ordered
 * writer (cluster mode, BullMQ jobs) writes nothing but the claims when the journal refuses.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { changeOf } from '../../../src/actors/forsendelse-actor.js';
import { ForsendelseActors } from '../../../src/actors/forsendelse-registry.js';
import { journalPersistenceEngine } from '../../../src/actors/journal-persistence.js';
import { startActorSystem, stopActorSystem, type ActorSystem } from '../../../src/actors/runtime.js';
import { ConflictError } from '../../../src/domain/errors.js';
import type { WorkPolicy } from '../../../src/domain/pending-work.js';
import { FileBlobStore } from '../../../src/storage/files/index.js';
import { orderedChangeWriter } from '../../../src/storage/ordered-change-writer.js';
import { ChangeIncompleteError, SequenceConflictError, type ChangeWriter } from '../../../src/storage/ports.js';
import { BullmqJobQueue } from '../../../src/storage/bullmq/index.js';
import {
  openSqlite,
  SqliteChangeWriter,
  SqliteJobQueue,
  SqliteJournal,
  SqliteReadModel,
  type SqliteDatabase,
} from '../../../src/storage/sqlite/index.js';
import { input, motta, stored, AVSENDER, FIL } from '../domain/given.js';
import { freePort, PrivateRedis } from '../../support/private-redis.js';

const policy: WorkPolicy = { purgeAt: (sentAt) => sentAt + 90 * 86_400_000 };

/** The change of a new letter `id` holding the blob `sha256`. */
function newLetter(id: string, sha256: string): ReturnType<typeof changeOf>['change'] {
  const dokument = stored();
  const { change } = changeOf(
    undefined,
    0,
    [
      {
        type: 'Mottatt',
        at: Date.now(),
        id,
        avsender: AVSENDER,
        input: input(),
        dokumenter: [{ ...dokument, blob: { ...dokument.blob, sha256 } }],
      },
    ],
    policy,
    Date.now(),
  );
  return { ...change, claims: [sha256] };
}

describe('ChangeWriter over the embedded adapters', () => {
  let dir: string;
  let db: SqliteDatabase;
  let journal: SqliteJournal;
  let readModel: SqliteReadModel;
  let jobs: SqliteJobQueue;
  let blobs: FileBlobStore;
  let sqlite: ChangeWriter;
  let ordered: ChangeWriter;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-changes-'));
    db = openSqlite(join(dir, 'budbringer.sqlite'));
    journal = new SqliteJournal(db);
    readModel = new SqliteReadModel(db);
    jobs = new SqliteJobQueue(db);
    blobs = new FileBlobStore(join(dir, 'blobs'), db);
    sqlite = new SqliteChangeWriter(db, { journal, jobs, readModel, claims: blobs });
    ordered = orderedChangeWriter({ journal, jobs, readModel, blobs });
  });
  after(async () => {
    await jobs.close();
    await blobs.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** What the store holds of letter `id`. */
  async function rowsOf(id: string): Promise<{ events: number; compose?: string; record?: number; refs: number }> {
    const refs = db.prepare('SELECT COUNT(*) AS n FROM blob_refs WHERE owner = ?').get(id) as { n: number };
    return {
      events: (await journal.read(`forsendelse:${id}`, 0)).length,
      compose: await jobs.state(`compose:${id}`),
      record: (await readModel.get(id))?.seq,
      refs: refs.n,
    };
  }

  for (const [name, writer] of [
    ['SqliteChangeWriter', () => sqlite],
    ['orderedChangeWriter', () => ordered],
  ] as const) {
    it(`${name}: a new letter's claims, event, compose job and record`, async () => {
      const { sha256 } = await blobs.put(new TextEncoder().encode(`brev ${randomUUID()}`));
      const id = randomUUID();
      await writer().write(newLetter(id, sha256));
      assert.deepEqual(await rowsOf(id), { events: 1, compose: 'waiting', record: 1, refs: 1 });
    });

    it(`${name}: a taken (key, seq) is a SequenceConflictError and writes no event, job or record`, async () => {
      const { sha256 } = await blobs.put(new TextEncoder().encode(`brev ${randomUUID()}`));
      const id = randomUUID();
      await journal.append([{ key: `forsendelse:${id}`, seq: 1, data: { type: 'X' }, tags: [], createdAt: 1 }]);
      await assert.rejects(writer().write(newLetter(id, sha256)), SequenceConflictError);
      const rows = await rowsOf(id);
      assert.equal(rows.events, 1, 'only the event that was there');
      assert.equal(rows.compose, undefined);
      assert.equal(rows.record, undefined);
    });
  }

  it('SqliteChangeWriter: the conflict also takes back the claims (one transaction)', async () => {
    const { sha256 } = await blobs.put(new TextEncoder().encode(`brev ${randomUUID()}`));
    const id = randomUUID();
    await journal.append([{ key: `forsendelse:${id}`, seq: 1, data: { type: 'X' }, tags: [], createdAt: 1 }]);
    await assert.rejects(sqlite.write(newLetter(id, sha256)), SequenceConflictError);
    assert.equal((await rowsOf(id)).refs, 0);
  });

  it('SqliteChangeWriter: a blob no longer stored refuses the whole change', async () => {
    const id = randomUUID();
    await assert.rejects(sqlite.write(newLetter(id, 'a'.repeat(64))), /slettet/);
    assert.deepEqual(await rowsOf(id), { events: 0, compose: undefined, record: undefined, refs: 0 });
  });
});

describe('orderedChangeWriter with the job queue away', () => {
  let dir: string;
  let db: SqliteDatabase;
  let redis: PrivateRedis;
  let queue: BullmqJobQueue;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-changes-redis-'));
    db = openSqlite(join(dir, 'budbringer.sqlite'));
    // A Redis of its own, so stopping it touches no other test.
    redis = new PrivateRedis(await freePort());
    await redis.start();
    queue = new BullmqJobQueue({ connection: redis.url, prefix: 'cw-test', onError: () => undefined });
  });
  after(async () => {
    await redis.stop();
    await queue.close().catch(() => undefined);
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the events, answers ChangeIncompleteError within its wait, and leaves the record for repair', async () => {
    const journal = new SqliteJournal(db);
    const readModel = new SqliteReadModel(db);
    const blobs = new FileBlobStore(join(dir, 'blobs'), db);
    const incomplete: ChangeIncompleteError[] = [];
    const writer = orderedChangeWriter(
      { journal, jobs: queue, readModel, blobs },
      { settleMs: 1_000, onIncomplete: (e) => incomplete.push(e) },
    );
    const { sha256 } = await blobs.put(new TextEncoder().encode(`brev ${randomUUID()}`));
    const before = randomUUID();
    await writer.write(newLetter(before, sha256));
    assert.equal((await readModel.get(before))?.seq, 1, 'with Redis up, the whole change');

    await redis.stop();
    const id = randomUUID();
    const started = Date.now();
    await assert.rejects(writer.write(newLetter(id, sha256)), ChangeIncompleteError);
    assert.ok(Date.now() - started < 5_000, `answered after ${Date.now() - started} ms, not ioredis' ~100 s`);
    assert.equal((await journal.read(`forsendelse:${id}`, 0)).length, 1, 'the letter exists');
    assert.equal(await readModel.get(id), undefined, 'its record is left behind the journal, for repair');
    assert.equal(incomplete.length, 1);
    assert.equal(incomplete[0]?.forsendelseId, id);
    await blobs.close();
  });
});

describe('forsendelse actors with the job queue away (cluster mode, Redis stopped)', () => {
  let dir: string;
  let db: SqliteDatabase;
  let redis: PrivateRedis;
  let queue: BullmqJobQueue;
  let system: ActorSystem;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-actors-redis-'));
    db = openSqlite(join(dir, 'budbringer.sqlite'));
    redis = new PrivateRedis(await freePort());
    await redis.start();
    queue = new BullmqJobQueue({ connection: redis.url, prefix: 'actors-away', onError: () => undefined });
  });
  after(async () => {
    stopActorSystem(system);
    await redis.stop();
    await queue.close().catch(() => undefined);
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a retry of a stored letter and a command on it answer within the wait, the command as done (its events stored), not after ioredis gives up', async () => {
    const journal = new SqliteJournal(db);
    const readModel = new SqliteReadModel(db);
    system = startActorSystem(`away-${randomUUID()}`, journalPersistenceEngine(journal));
    const changes = orderedChangeWriter(
      { journal, jobs: queue, readModel, blobs: new FileBlobStore(join(dir, 'b'), db) },
      { settleMs: 1_000 },
    );
    const actors = new ForsendelseActors(
      system,
      { journal, readModel, jobs: queue, changes, policy, repairWithinMs: 1_000 },
      { idleMs: 100, askTimeoutMs: 60_000 },
    );
    const id = randomUUID();
    const mottatt = motta(id);
    assert.equal((await actors.execute(id, mottatt)).events.length, 1, 'stored with Redis up');
    while (actors.liveCount > 0) await sleep(20); // passivated: the next message wakes it and repairs

    await redis.stop();
    // The intake sends a retry (sendForsendelseMedId) as a new letter, is told the id is
    // taken, and compares the content with the stored state: both answers come within the wait.
    let started = Date.now();
    await assert.rejects(actors.execute(id, motta(id)), ConflictError);
    assert.equal((await actors.state(id))?.id, id);
    assert.ok(Date.now() - started < 5_000, `the retry answered after ${Date.now() - started} ms`);

    started = Date.now();
    const fil = await actors.execute(id, { type: 'RegistrerForsendelsesfil', at: Date.now(), forsendelsesfil: FIL });
    assert.deepEqual(
      fil.events.map((e) => e.type),
      ['Akseptert'],
      'answered as done: its events are stored',
    );
    assert.ok(Date.now() - started < 5_000, `the command answered after ${Date.now() - started} ms`);
    assert.equal((await journal.read(`forsendelse:${id}`, 0)).length, 2, 'both events in the journal');
  });
});
