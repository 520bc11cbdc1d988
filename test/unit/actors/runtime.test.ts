/**
 * Pins the nact behaviours src/actors relies on (docs/architecture.md, conventions), through runtime.ts only,
 * with the real journal (SQLite in a temp dir) as the persistence engine.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { journalPersistenceEngine } from '../../../src/actors/journal-persistence.js';
import {
  ask,
  spawnGroup,
  spawnPersistentActor,
  startActorSystem,
  stopActor,
  stopActorSystem,
  tell,
  type ActorRef,
  type ActorSystem,
  type CrashDecision,
  type PersistentBehaviour,
} from '../../../src/actors/runtime.js';
import { openSqlite, SqliteJournal, type SqliteDatabase } from '../../../src/storage/sqlite/index.js';

interface Counter {
  readonly total: number;
  /** `add` and `mute` messages handled by this incarnation (in memory only). */
  readonly handled: number;
  /** Journal events replayed into this incarnation. */
  readonly replayed: number;
}
type Msg = { op: 'add'; n: number } | { op: 'get'; replyTo: ActorRef<Counter> } | { op: 'crash' } | { op: 'mute' };
interface Added {
  readonly added: number;
}

const INITIAL: Counter = { total: 0, handled: 0, replayed: 0 };

/** A counter that persists every `add`, answers `get`, throws on `crash` and never answers `mute`. */
function counter(log: string[]): PersistentBehaviour<Counter, Msg, Added> {
  return async (s, msg, ctx) => {
    if (ctx.recovering) return { ...s, total: s.total + (msg as Added).added, replayed: s.replayed + 1 };
    const m = msg as Msg;
    log.push(m.op);
    switch (m.op) {
      case 'add':
        await ctx.persist({ added: m.n });
        return { ...s, total: s.total + m.n, handled: s.handled + 1 };
      case 'get':
        tell(m.replyTo, s);
        return s;
      case 'crash':
        throw new Error('boom');
      case 'mute':
        return { ...s, handled: s.handled + 1 };
    }
  };
}

const get = (ref: ActorRef<Msg>, timeoutMs = 5_000): Promise<Counter> =>
  ask<Msg, Counter>(ref, (replyTo) => ({ op: 'get', replyTo }), timeoutMs);

/** Polls until `condition` holds (no timed assertion: fails only after a generous limit). */
async function until(what: string, condition: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('runtime: the nact behaviours we rely on', () => {
  let dir: string;
  let db: SqliteDatabase;
  let journal: SqliteJournal;
  let system: ActorSystem;
  let group: ActorRef<never>;
  const spawned: ActorRef<Msg>[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-runtime-'));
    db = openSqlite(join(dir, 'budbringer.sqlite'));
    journal = new SqliteJournal(db);
    system = startActorSystem(`runtime-test-${randomUUID()}`, journalPersistenceEngine(journal));
    group = spawnGroup(system.root, 'group');
  });
  after(async () => {
    // Stopped one by one: stopActorSystem alone leaves them running (see the todo test).
    for (const ref of spawned) stopActor(ref);
    stopActorSystem(system);
    await journal.close();
    db.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  /** Spawns a counter with a unique key; returns its ref, call log and stop flag. */
  function spawnCounter(
    options: { idleMs?: number; onCrash?: CrashDecision; key?: string; name?: string; snapshotEvery?: number } = {},
  ) {
    const log: string[] = [];
    const stopped = { value: false };
    const key = options.key ?? `counter:${randomUUID()}`;
    const ref = spawnPersistentActor<Counter, Msg, Added>(group, counter(log), key, options.name ?? randomUUID(), {
      initialState: INITIAL,
      idleMs: options.idleMs ?? 60_000,
      snapshotEvery: options.snapshotEvery,
      onCrash: () => options.onCrash ?? 'reset',
      afterStop: () => {
        stopped.value = true;
      },
    });
    spawned.push(ref);
    return { ref, log, stopped, key };
  }

  it('a message to a stopped actor is dropped: no error, never handled', async () => {
    const { ref, log, stopped, key } = spawnCounter();
    tell(ref, { op: 'add', n: 1 });
    assert.deepEqual(await get(ref), { total: 1, handled: 1, replayed: 0 }, 'handled while running');
    stopActor(ref);
    await until('afterStop', () => stopped.value);
    assert.doesNotThrow(() => tell(ref, { op: 'add', n: 5 }));
    await sleep(50);
    assert.deepEqual(log, ['add', 'get']);
    assert.deepEqual(
      (await journal.read(key, 0)).map((e) => e.data),
      [{ added: 1 }],
    );
  });

  it('ask to a stopped actor rejects at once with "stopped" (the registry retries on that word)', async () => {
    const { ref, stopped } = spawnCounter();
    stopActor(ref);
    await until('afterStop', () => stopped.value);
    // A 10-minute timeout: only an immediate rejection lets this test finish.
    await assert.rejects(get(ref, 600_000), /stopped/);
  });

  it('ask times out when no answer comes', async () => {
    const { ref, log } = spawnCounter();
    await assert.rejects(
      ask<Msg, Counter>(ref, () => ({ op: 'mute' }), 100),
      /Timeout/,
    );
    assert.deepEqual(log, ['mute'], 'the message itself was handled');
  });

  it('a persistent actor passivates after idleMs and a new incarnation replays its journal', async () => {
    const first = spawnCounter({ idleMs: 100 });
    for (const n of [1, 2, 3]) tell(first.ref, { op: 'add', n });
    assert.equal((await get(first.ref)).total, 6);
    await until('passivation', () => first.stopped.value);
    await assert.rejects(get(first.ref, 600_000), /stopped/);
    assert.deepEqual(
      (await journal.read(first.key, 0)).map((e) => [e.seq, e.data]),
      [
        [1, { added: 1 }],
        [2, { added: 2 }],
        [3, { added: 3 }],
      ],
    );
    const second = spawnCounter({ key: first.key });
    assert.deepEqual(await get(second.ref), { total: 6, handled: 0, replayed: 3 });
    tell(second.ref, { op: 'add', n: 4 });
    assert.equal((await get(second.ref)).total, 10);
    assert.equal(await journal.highestSeq(first.key), 4, 'sequence numbers continue after replay');
  });

  it('recovers from a snapshot plus the events after it', async () => {
    const first = spawnCounter({ idleMs: 100, snapshotEvery: 2 });
    for (const n of [1, 2, 3]) tell(first.ref, { op: 'add', n });
    assert.equal((await get(first.ref)).total, 6);
    await until('passivation', () => first.stopped.value);
    const snapshot = await journal.latestSnapshot(first.key);
    assert.ok(snapshot !== undefined && snapshot.seq >= 2, `snapshot at ${snapshot?.seq}`);
    const second = spawnCounter({ key: first.key, snapshotEvery: 2 });
    const s = await get(second.ref);
    assert.equal(s.total, 6);
    assert.equal(
      s.replayed,
      (snapshot.data as unknown as Counter).replayed + 3 - snapshot.seq,
      'only events after the snapshot replay',
    );
  });

  it('reset keeps the mailbox and re-reads the journal', async () => {
    const { ref, log } = spawnCounter({ onCrash: 'reset' });
    // Queued together: the actor is still recovering, so all wait in its mailbox.
    tell(ref, { op: 'add', n: 1 });
    tell(ref, { op: 'crash' });
    tell(ref, { op: 'add', n: 10 });
    tell(ref, { op: 'add', n: 100 });
    const s = await get(ref);
    assert.deepEqual(log, ['add', 'crash', 'add', 'add', 'get'], 'nothing queued behind the crash was lost');
    assert.equal(s.total, 111);
    assert.equal(s.replayed, 1, 'the reset incarnation replayed the one event stored before the crash');
    assert.equal(s.handled, 2, 'in-memory state started over at the reset');
  });

  it('resume keeps the in-memory state; stop drops the mailbox', async () => {
    const resumed = spawnCounter({ onCrash: 'resume' });
    tell(resumed.ref, { op: 'add', n: 1 });
    tell(resumed.ref, { op: 'crash' });
    assert.deepEqual(await get(resumed.ref), { total: 1, handled: 1, replayed: 0 });

    const stoppedOnCrash = spawnCounter({ onCrash: 'stop' });
    tell(stoppedOnCrash.ref, { op: 'crash' });
    tell(stoppedOnCrash.ref, { op: 'add', n: 1 });
    await until('stop', () => stoppedOnCrash.stopped.value);
    assert.deepEqual(stoppedOnCrash.log, ['crash']);
    assert.equal(await journal.highestSeq(stoppedOnCrash.key), 0);
  });

  it('a ref outlives its actor by name: after a respawn under the same name it reaches the new incarnation', async () => {
    const name = randomUUID();
    const old = spawnCounter({ name });
    assert.throws(() => spawnCounter({ name }), /already exists/, 'two live children may not share a name');
    stopActor(old.ref);
    await until('afterStop', () => old.stopped.value);
    const fresh = spawnCounter({ name });
    tell(old.ref, { op: 'add', n: 7 });
    assert.equal((await get(fresh.ref)).total, 7);
    assert.deepEqual(old.log, []);
  });

  // BUG (reported): nact's system stop hands concrete actors to `stop`, which looks them
  // up as references and finds nothing, so stopActorSystem stops no actor: each lives on
  // until its idle timer fires (keeping a closed node's process alive up to ACTOR_IDLE_MS).
  it('stopActorSystem stops every actor of the system', async () => {
    const other = startActorSystem(`runtime-stop-${randomUUID()}`, journalPersistenceEngine(journal));
    const g = spawnGroup(other.root, 'g');
    let stopped = false;
    const ref = spawnPersistentActor<Counter, Msg, Added>(g, counter([]), `counter:${randomUUID()}`, 'a', {
      initialState: INITIAL,
      idleMs: 300, // it outlives this test until then
      onCrash: () => 'stop',
      afterStop: () => {
        stopped = true;
      },
    });
    assert.equal((await get(ref)).total, 0);
    stopActorSystem(other);
    await sleep(50);
    assert.equal(stopped, true, 'afterStop ran');
    await assert.rejects(get(ref, 600_000), /stopped/);
  });
});
