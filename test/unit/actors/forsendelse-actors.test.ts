/**
 * Forsendelse actors over the real embedded storage: passivation, and two nodes (two
 * actor systems, two registries) over ONE journal, read model and job queue — the
 * cluster case where correctness must not depend on which node a command reaches
 * (docs/architecture.md "Cluster").
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ForsendelseActors } from '../../../src/actors/forsendelse-registry.js';
import { journalPersistenceEngine } from '../../../src/actors/journal-persistence.js';
import { startActorSystem, stopActorSystem, type ActorSystem } from '../../../src/actors/runtime.js';
import { ConflictError } from '../../../src/domain/errors.js';
import type { ForsendelseCommand } from '../../../src/domain/commands.js';
import type { ForsendelseEvent } from '../../../src/domain/events.js';
import { fromRecord } from '../../../src/domain/record.js';
import type { WorkPolicy } from '../../../src/domain/pending-work.js';
import {
  openSqlite,
  SqliteJobQueue,
  SqliteJournal,
  SqliteReadModel,
  type SqliteDatabase,
} from '../../../src/storage/sqlite/index.js';
import { motta, AVSENDER, FIL, FNR } from '../domain/given.js';

const policy: WorkPolicy = { purgeAt: (sentAt) => sentAt + 90 * 86_400_000 };
const fil = (): ForsendelseCommand => ({ type: 'RegistrerForsendelsesfil', at: Date.now(), forsendelsesfil: FIL });
const lestEksternt = (): ForsendelseCommand => ({
  type: 'MarkerLestEksternt',
  at: Date.now(),
  datoLest: Date.now(),
  fnr: FNR,
  systemnavn: 'Arkiv',
});
const slett = (): ForsendelseCommand => ({ type: 'SlettDokumenter', at: Date.now(), grunn: 'avsender' });
const manuelt = (): ForsendelseCommand => ({
  type: 'MarkerManueltHandtert',
  at: Date.now(),
  av: 'ola',
  grunn: 'Avsluttet',
});
const digital = (): ForsendelseCommand => ({
  type: 'VelgKanal',
  at: Date.now(),
  kanal: 'digital',
  grunn: 'Digital levering',
});

/** Long enough to stay in memory (and go stale) for a test's few milliseconds; short enough not to slow the file's end. */
const STALE_IDLE_MS = 2_000;

async function until(what: string, condition: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('forsendelse actors over one embedded storage', () => {
  let dir: string;
  let db: SqliteDatabase;
  let journal: SqliteJournal;
  let readModel: SqliteReadModel;
  let jobs: SqliteJobQueue;
  const systems: ActorSystem[] = [];
  const registries: ForsendelseActors[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-actors-'));
    db = openSqlite(join(dir, 'budbringer.sqlite'));
    journal = new SqliteJournal(db);
    readModel = new SqliteReadModel(db);
    jobs = new SqliteJobQueue(db);
  });
  after(async () => {
    // Every registry here passivates quickly: stopActorSystem alone does not stop actors
    // (see runtime.test.ts), so waiting for passivation keeps storage open until they are gone.
    await until('all actors passivated', () => registries.every((r) => r.liveCount === 0), 30_000);
    for (const s of systems) stopActorSystem(s);
    await jobs.close();
    await readModel.close();
    await journal.close();
    db.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  /** A node: its own actor system and registry over the shared storage. */
  function node(idleMs: number, snapshotEvery?: number): ForsendelseActors {
    const system = startActorSystem(`node-${randomUUID()}`, journalPersistenceEngine(journal));
    systems.push(system);
    const registry = new ForsendelseActors(
      system,
      { journal, readModel, jobs, policy },
      { idleMs, askTimeoutMs: 10_000, snapshotEvery },
    );
    registries.push(registry);
    return registry;
  }

  const journaled = async (id: string): Promise<{ seq: number; type: string }[]> =>
    (await journal.read(`forsendelse:${id}`, 0)).map((e) => ({
      seq: e.seq,
      type: (e.data as unknown as ForsendelseEvent).type,
    }));

  it('passivates after idleMs (liveCount drops to 0) and the next command sees the full state', async () => {
    const actors = node(100);
    const id = randomUUID();
    await actors.execute(id, motta(id));
    await actors.execute(id, fil());
    assert.equal(actors.liveCount, 1);
    await until('passivation', () => actors.liveCount === 0);
    // A woken actor that knew only MOTTATT would leave the status alone; AKSEPTERT → LEST shows it replayed.
    const result = await actors.execute(id, lestEksternt());
    assert.equal(result.state?.status, 'LEST');
    assert.deepEqual(result.state?.historikk.map((h) => h.hendelse).slice(0, 5), [
      'Mottatt, og tildelt forsendelse-id',
      'Metadata er validert OK',
      'Orginaldokumenter er lagret (1 dokument)',
      'Forsendelsesfil generert',
      'Akseptert for ekspedering',
    ]);
    assert.equal(actors.liveCount, 1);
    assert.deepEqual(
      (await journaled(id)).map((e) => e.seq),
      [1, 2, 3],
    );
    assert.equal((await readModel.get(id))?.status, 'LEST');
  });

  it('a stale actor on another node fails its write on the sequence conflict, reloads and retries', async () => {
    const a = node(STALE_IDLE_MS);
    const b = node(STALE_IDLE_MS);
    const id = randomUUID();

    await a.execute(id, motta(id)); // A: seq 1, stays in memory at MOTTATT
    await b.execute(id, fil()); // B loads seq 1, writes seq 2 (AKSEPTERT)
    assert.equal(a.liveCount, 1, "A's actor is still in memory, and stale");

    // On A's stale state (MOTTATT) LestEksternt would keep the status; LEST proves A reloaded.
    const viaA = await a.execute(id, lestEksternt());
    assert.equal(viaA.state?.status, 'LEST');
    assert.equal(viaA.events.length, 1);

    // B is stale now (AKSEPTERT, not read): its stale state would take a manual close; after
    // reloading it sees the read, and a read letter is not closed by hand.
    await assert.rejects(
      b.execute(id, manuelt()),
      (e: unknown) => e instanceof ConflictError && /har status LEST/.test(e.message),
    );
    const viaB = await b.execute(id, slett());
    assert.equal(viaB.state?.status, 'LEST');
    assert.notEqual(viaB.state?.dokumenterSlettetAt, undefined);

    // A is stale again (read, documents kept): after reloading it finds them deleted already.
    const viaA2 = await a.execute(id, slett());
    assert.deepEqual(viaA2.events, []);
    assert.notEqual(viaA2.state?.dokumenterSlettetAt, undefined);

    assert.deepEqual(await journaled(id), [
      { seq: 1, type: 'Mottatt' },
      { seq: 2, type: 'Akseptert' },
      { seq: 3, type: 'LestEksternt' },
      { seq: 4, type: 'DokumenterSlettet' },
    ]);
    const record = await readModel.get(id);
    assert.equal(record?.seq, 4);
    assert.equal(record?.status, 'LEST');
    assert.deepEqual(
      record &&
        fromRecord(record)
          .historikk.slice(3)
          .map((h) => h.hendelse.replace(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}/, 'T')),
      [
        'Forsendelsesfil generert',
        'Akseptert for ekspedering',
        `Lest eksternt T av ${FNR} hos avsender ${AVSENDER} i systemet 'Arkiv'`,
        'Dokumenter slettet på forespørsel fra avsender',
      ],
    );
  });

  it('two nodes racing the same command store it once', async () => {
    const a = node(STALE_IDLE_MS);
    const b = node(STALE_IDLE_MS);
    const id = randomUUID();
    await a.execute(id, motta(id));
    await b.state(id); // both in memory at MOTTATT
    const [ra, rb] = await Promise.all([a.execute(id, fil()), b.execute(id, fil())]);
    assert.equal(ra.events.length + rb.events.length, 1, 'one wins, the other reloads and finds nothing to do');
    assert.deepEqual(await journaled(id), [
      { seq: 1, type: 'Mottatt' },
      { seq: 2, type: 'Akseptert' },
    ]);
  });

  it('a refused command answers the domain error and changes nothing', async () => {
    const a = node(100);
    const id = randomUUID();
    await a.execute(id, motta(id));
    await assert.rejects(a.execute(id, motta(id)), /finnes allerede/);
    await assert.rejects(a.execute(randomUUID(), fil()), /finnes ikke/);
    assert.equal((await journaled(id)).length, 1);
  });

  it('an actor woken after a crash between journal and read model repairs the projection', async () => {
    const a = node(100);
    const id = randomUUID();
    await a.execute(id, motta(id));
    await until('passivation', () => a.liveCount === 0);
    // A node died right after its append: the journal is ahead of the read model.
    await journal.append([
      {
        key: `forsendelse:${id}`,
        seq: 2,
        data: { type: 'Akseptert', at: Date.now(), forsendelsesfil: { ...FIL } },
        tags: [],
        createdAt: Date.now(),
      },
    ]);
    assert.equal((await readModel.get(id))?.seq, 1);
    assert.equal((await a.state(id))?.status, 'AKSEPTERT');
    assert.equal((await readModel.get(id))?.status, 'AKSEPTERT');
    assert.equal(await jobs.state(`route:${id}`), 'waiting', 'the route job the crash never queued');
  });

  // BUG (reported): the snapshot stores `synced: true`, so an actor woken from a snapshot
  // skips the repair above.
  it('the repair also happens when the actor wakes from a snapshot', async () => {
    const a = node(100, 1);
    const id = randomUUID();
    await a.execute(id, motta(id));
    await a.execute(id, fil());
    await until('passivation', () => a.liveCount === 0);
    assert.notEqual(await journal.latestSnapshot(`forsendelse:${id}`), undefined, 'a snapshot exists');
    await journal.append([
      {
        key: `forsendelse:${id}`,
        seq: 3,
        data: { type: 'ManueltHandtert', at: Date.now(), av: 'ola', grunn: 'x' },
        tags: [],
        createdAt: Date.now(),
      },
    ]);
    assert.equal((await a.state(id))?.status, 'MANUELT_HANDTERT');
    assert.equal((await readModel.get(id))?.status, 'MANUELT_HANDTERT');
  });

  // BUG (reported): a stale actor only notices another node's writes when its own write
  // conflicts. A read, or a command that decides nothing on the stale state, answers from
  // memory: here node A still thinks MOTTATT, so the route job's VelgKanal is dropped and
  // the letter would stay AKSEPTERT for good.
  it('a stale actor does not answer from memory', async () => {
    const a = node(STALE_IDLE_MS);
    const b = node(STALE_IDLE_MS);
    const id = randomUUID();
    await a.execute(id, motta(id));
    await b.execute(id, fil());
    assert.equal((await a.state(id))?.status, 'AKSEPTERT', 'state() through the stale node');
    const routed = await a.execute(id, digital());
    assert.equal(routed.events.length, 1, 'VelgKanal through the stale node');
  });
});
