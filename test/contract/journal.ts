/**
 * Contract of the Journal port (src/storage/ports.ts), run against every adapter. The
 * journal is what makes a stale actor on another node fail its write (docs/architecture.md,
 * "Cluster"), so conflicts are tested within one batch, across batches and across two
 * adapter instances on the same storage.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { SequenceConflictError } from '../../src/storage/ports.js';
import type { Journal, JournalEvent } from '../../src/storage/ports.js';
import { withFixture } from './support.js';

/** What a journal adapter's factory gives the suite: fresh, empty storage per call. */
export interface JournalFixture {
  readonly journal: Journal;
  /** Another adapter instance on the same storage, as a second process would open it. */
  openSecond(): Promise<Journal>;
  /** Closes everything the fixture opened and removes its storage. */
  cleanup(): Promise<void>;
}

function event(
  key: string,
  seq: number,
  data: JournalEvent['data'] = { seq },
  createdAt = 1_700_000_000_000 + seq,
): JournalEvent {
  return { key, seq, data, tags: [`tag-${seq}`], createdAt };
}

function newKey(): string {
  return `forsendelse:${randomUUID()}`;
}

/** Registers the Journal contract tests for one adapter. */
export function journalContract(name: string, factory: () => Promise<JournalFixture>): void {
  void describe(`Journal contract: ${name}`, () => {
    void it('reads back appended events of a key in seq order, with data, tags and createdAt intact', () =>
      withFixture(factory, async ({ journal }) => {
        const key = newKey();
        const other = newKey();
        const data = { tekst: 'Blåbærsyltetøy «æøå» \u{1F4EC}', tall: 1.5, liste: [1, null, true], indre: { a: 'b' } };
        await journal.append([event(key, 1, data, 1000), event(key, 2, 'to', 2000)]);
        await journal.append([event(other, 1)]);
        await journal.append([event(key, 3, null, 3000), event(key, 4, [1, 2], 4000), event(key, 5, false, 5000)]);
        const all = await journal.read(key, 0);
        assert.deepEqual(all, [
          { key, seq: 1, data, tags: ['tag-1'], createdAt: 1000 },
          { key, seq: 2, data: 'to', tags: ['tag-2'], createdAt: 2000 },
          { key, seq: 3, data: null, tags: ['tag-3'], createdAt: 3000 },
          { key, seq: 4, data: [1, 2], tags: ['tag-4'], createdAt: 4000 },
          { key, seq: 5, data: false, tags: ['tag-5'], createdAt: 5000 },
        ]);
        assert.deepEqual(
          (await journal.read(key, 2)).map((e) => e.seq),
          [3, 4, 5],
        );
        assert.deepEqual(await journal.read(key, 5), []);
        assert.deepEqual(
          (await journal.read(other, 0)).map((e) => [e.key, e.seq]),
          [[other, 1]],
        );
        assert.deepEqual(await journal.read(newKey(), 0), []);
      }));

    void it('reads in seq order even when events were appended out of order', () =>
      withFixture(factory, async ({ journal }) => {
        const key = newKey();
        await journal.append([event(key, 3), event(key, 1)]);
        await journal.append([event(key, 2)]);
        assert.deepEqual(
          (await journal.read(key, 0)).map((e) => e.seq),
          [1, 2, 3],
        );
      }));

    void it('reports the highest seq per key, 0 for an unknown key', () =>
      withFixture(factory, async ({ journal }) => {
        const key = newKey();
        assert.equal(await journal.highestSeq(key), 0);
        await journal.append([event(key, 1), event(key, 2), event(key, 3)]);
        await journal.append([event(newKey(), 7)]);
        assert.equal(await journal.highestSeq(key), 3);
      }));

    void it('refuses an existing (key, seq) with SequenceConflictError naming it, and stores none of that batch', () =>
      withFixture(factory, async ({ journal }) => {
        const key = newKey();
        await journal.append([event(key, 1, 'first')]);
        await assert.rejects(journal.append([event(key, 2, 'new'), event(key, 1, 'second')]), (err: unknown) => {
          assert.ok(err instanceof SequenceConflictError, `expected SequenceConflictError, got ${String(err)}`);
          assert.equal(err.key, key);
          assert.equal(err.seq, 1);
          return true;
        });
        assert.deepEqual(
          (await journal.read(key, 0)).map((e) => e.data),
          ['first'],
        );
        assert.equal(await journal.highestSeq(key), 1);
      }));

    void it('refuses a batch that holds the same (key, seq) twice, storing nothing', () =>
      withFixture(factory, async ({ journal }) => {
        const key = newKey();
        const bystander = newKey();
        await assert.rejects(
          journal.append([event(bystander, 1), event(key, 1, 'a'), event(key, 1, 'b')]),
          SequenceConflictError,
        );
        assert.deepEqual(await journal.read(key, 0), []);
        assert.deepEqual(await journal.read(bystander, 0), [], 'an aborted batch must not leave its other events');
      }));

    void it('refuses a conflict written through a second adapter instance on the same storage', () =>
      withFixture(factory, async ({ journal, openSecond }) => {
        const key = newKey();
        const second = await openSecond();
        await journal.append([event(key, 1, 'from first')]);
        await assert.rejects(second.append([event(key, 1, 'from second')]), SequenceConflictError);
        await second.append([event(key, 2, 'second continues')]);
        assert.deepEqual(
          (await journal.read(key, 0)).map((e) => e.data),
          ['from first', 'second continues'],
        );
        assert.equal(await second.highestSeq(key), 2);
      }));

    void it('lets exactly one of two racing writers win the same seq', () =>
      withFixture(factory, async ({ journal, openSecond }) => {
        const second = await openSecond();
        for (let round = 0; round < 10; round++) {
          const key = newKey();
          const results = await Promise.allSettled([
            journal.append([event(key, 1, 'a'), event(key, 2, 'a')]),
            second.append([event(key, 1, 'b'), event(key, 2, 'b')]),
          ]);
          const won = results.filter((r) => r.status === 'fulfilled');
          assert.equal(won.length, 1, `round ${round}: exactly one writer must win`);
          const lost = results.find((r) => r.status === 'rejected');
          assert.ok(lost?.status === 'rejected' && lost.reason instanceof SequenceConflictError);
          const data = (await journal.read(key, 0)).map((e) => e.data);
          assert.ok(data.length === 2 && data[0] === data[1], `one writer's whole batch, got ${JSON.stringify(data)}`);
        }
      }));

    void it('keeps the latest snapshot per key, replacing an older one', () =>
      withFixture(factory, async ({ journal, openSecond }) => {
        const key = newKey();
        const other = newKey();
        assert.equal(await journal.latestSnapshot(key), undefined);
        await journal.saveSnapshot({ key, seq: 3, data: { state: 'tre' }, createdAt: 30 });
        await journal.saveSnapshot({ key: other, seq: 9, data: 'other', createdAt: 90 });
        assert.deepEqual(await journal.latestSnapshot(key), { key, seq: 3, data: { state: 'tre' }, createdAt: 30 });
        await journal.saveSnapshot({ key, seq: 5, data: { state: 'fem', liste: [1, 'ø'] }, createdAt: 50 });
        assert.deepEqual(await journal.latestSnapshot(key), {
          key,
          seq: 5,
          data: { state: 'fem', liste: [1, 'ø'] },
          createdAt: 50,
        });
        const second = await openSecond();
        assert.deepEqual(await second.latestSnapshot(key), {
          key,
          seq: 5,
          data: { state: 'fem', liste: [1, 'ø'] },
          createdAt: 50,
        });
        assert.deepEqual(await journal.latestSnapshot(other), { key: other, seq: 9, data: 'other', createdAt: 90 });
      }));

    void it('lists each key with an event at or after a time once', () =>
      withFixture(factory, async ({ journal }) => {
        const old = newKey();
        const recent = newKey();
        const boundary = newKey();
        const t = 1_800_000_000_000;
        await journal.append([event(old, 1, 1, t - 10_000), event(old, 2, 2, t - 1)]);
        await journal.append([event(recent, 1, 1, t - 5000), event(recent, 2, 2, t + 10), event(recent, 3, 3, t + 20)]);
        await journal.append([event(boundary, 1, 1, t)]);
        const keys = await journal.keysAppendedSince(t);
        assert.ok(!keys.includes(old), 'a key whose events are all older is left out');
        assert.equal(keys.filter((k) => k === recent).length, 1, 'a key with several recent events appears once');
        assert.ok(keys.includes(boundary), 'sinceMs is inclusive');
        assert.deepEqual(await journal.keysAppendedSince(t + 21), []);
      }));

    void it('keeps appended events after the writer closes (another instance reads them)', () =>
      withFixture(factory, async ({ journal, openSecond }) => {
        const key = newKey();
        await journal.append([event(key, 1), event(key, 2)]);
        await journal.close();
        const second = await openSecond();
        assert.deepEqual(
          (await second.read(key, 0)).map((e) => e.seq),
          [1, 2],
        );
      }));
  });
}
