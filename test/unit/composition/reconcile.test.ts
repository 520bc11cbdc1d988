/**
 * The repair sweep's grace (src/composition/reconcile.ts), over the real actors and SQLite: a
 * letter whose record catches up with its journal within the grace (a write in flight, as
 * cluster mode's ordered writes leave one for a moment) is neither repaired nor reported; one
 * still behind after it is repaired and named in the warning.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { changeOf } from '../../../src/actors/forsendelse-actor.js';
import { ForsendelseActors } from '../../../src/actors/forsendelse-registry.js';
import { reconcileRecent } from '../../../src/composition/reconcile.js';
import { SqliteReadModel } from '../../../src/storage/sqlite/index.js';
import { AVSENDER, input, stored } from '../domain/given.js';
import { startJobWorld, type JobWorld } from '../jobs/job-world.js';

describe('reconcileRecent: the grace for writes in flight', () => {
  let world: JobWorld<ForsendelseActors>;
  before(async () => {
    world = await startJobWorld('reconcile', ForsendelseActors);
  });
  after(() => world.close());

  /** Journals a new letter's Mottatt and nothing else; returns its id and its record. */
  async function journaledOnly(): Promise<{ id: string; record: ReturnType<typeof changeOf>['change']['record'] }> {
    const id = randomUUID();
    const policy = { purgeAt: (at: number) => at + 90 * 86_400_000 };
    const mottatt = { type: 'Mottatt', at: Date.now(), id, avsender: AVSENDER, input: input(), dokumenter: [stored()] };
    const { change } = changeOf(undefined, 0, [mottatt] as Parameters<typeof changeOf>[2], policy, Date.now());
    await world.journal.append(change.events);
    return { id, record: change.record };
  }

  it('repairs and reports only the letter still behind once the grace has passed', async () => {
    const warned: { ids?: string[]; repaired?: number }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) warned.push(JSON.parse(text) as never);
        done();
      },
    });
    const since = Date.now() - 1_000;
    const inFlight = await journaledOnly();
    const left = await journaledOnly();
    // The write in flight completes its record 100 ms later, as the ordered writer does.
    const readModel = new SqliteReadModel(world.db);
    setTimeout(() => void readModel.upsert(inFlight.record), 100);
    const repaired = await reconcileRecent(
      { journal: world.journal, readModel, actors: world.actors, log: pino({ level: 'warn' }, sink) },
      since,
      500,
    );
    assert.equal(repaired, 1);
    assert.deepEqual(
      warned.map((l) => l.ids),
      [[left.id]],
    );
    assert.equal((await readModel.projectedSeq([left.id])).get(left.id), 1, 'the letter left behind is projected now');
  });
});
