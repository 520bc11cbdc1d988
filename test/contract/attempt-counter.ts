/**
 * Contract of the AttemptCounter port: failures per key up to the allowed, then a lock
 * that doubles per failure up to the longest, counted from the last failure; a refused add
 * counts nothing on any key; failures older than the window are forgotten; take-back and
 * forget; concurrent adds are each counted once; a second instance (another node) sees
 * and adds to the same counts. Time is passed in, so nothing here waits on a clock.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LockRule } from '../../src/domain/attempt-lock.js';
import type { AttemptCounter } from '../../src/storage/ports.js';
import { withFixture } from './support.js';

/** What an AttemptCounter adapter's factory gives the suite: fresh, empty counts per call. */
export interface AttemptCounterFixture {
  readonly counter: AttemptCounter;
  /** Another instance on the same storage, as another node would have (in memory: the same one). */
  openSecond(): Promise<AttemptCounter>;
  cleanup(): Promise<void>;
}

/** 1 s lock, doubling up to 8 s, failures forgotten after a minute. */
export const RULE: LockRule = { baseLockMs: 1000, maxLockMs: 8000, windowMs: 60_000 };
/** An epoch-ms moment the tests count from. */
export const T0 = 1_764_000_000_000;

/** Registers the AttemptCounter contract tests for one adapter. */
export function attemptCounterContract(name: string, factory: () => Promise<AttemptCounterFixture>): void {
  void describe(`AttemptCounter contract: ${name}`, () => {
    void it('counts failures until the allowed are used, then refuses without counting', () =>
      withFixture(factory, async ({ counter }) => {
        const keys = [{ key: 'k', allowed: 2 }];
        assert.equal(await counter.read('k', RULE.windowMs, T0), undefined);
        assert.equal(await counter.addUnlessLocked(keys, RULE, T0), 0);
        assert.deepEqual(await counter.read('k', RULE.windowMs, T0), { failures: 1, last: T0 });
        assert.equal(await counter.addUnlessLocked(keys, RULE, T0 + 10), 0);
        assert.equal(await counter.addUnlessLocked(keys, RULE, T0 + 20), 990, 'locked 1 s from the last failure');
        assert.deepEqual(
          await counter.read('k', RULE.windowMs, T0 + 20),
          { failures: 2, last: T0 + 10 },
          'a refused add counts nothing',
        );
      }));

    void it('doubles the lock for every failure beyond the allowed, up to the longest', () =>
      withFixture(factory, async ({ counter }) => {
        const keys = [{ key: 'k', allowed: 1 }];
        let t = T0;
        assert.equal(await counter.addUnlessLocked(keys, RULE, t), 0);
        for (const lock of [1000, 2000, 4000, 8000, 8000, 8000]) {
          assert.equal(await counter.addUnlessLocked(keys, RULE, t + lock - 1), 1, `1 ms of the ${lock} ms lock left`);
          t += lock;
          assert.equal(await counter.addUnlessLocked(keys, RULE, t), 0, `the ${lock} ms lock is over`);
        }
        assert.deepEqual(await counter.read('k', RULE.windowMs, t), { failures: 7, last: t });
      }));

    void it('forgets failures older than the window and starts again at one', () =>
      withFixture(factory, async ({ counter }) => {
        const keys = [{ key: 'k', allowed: 1 }];
        assert.equal(await counter.addUnlessLocked(keys, RULE, T0), 0);
        assert.deepEqual(
          await counter.read('k', RULE.windowMs, T0 + RULE.windowMs),
          { failures: 1, last: T0 },
          'the window includes its end',
        );
        assert.equal(await counter.read('k', RULE.windowMs, T0 + RULE.windowMs + 1), undefined);
        assert.equal(await counter.addUnlessLocked(keys, RULE, T0 + RULE.windowMs + 1), 0);
        assert.deepEqual(await counter.read('k', RULE.windowMs, T0 + RULE.windowMs + 1), {
          failures: 1,
          last: T0 + RULE.windowMs + 1,
        });
      }));

    void it('counts on every key or on none: one locked key refuses all, with the longest wait', () =>
      withFixture(factory, async ({ counter }) => {
        const subject = { key: 'subject', allowed: 1 };
        const address = { key: 'address', allowed: 3 };
        assert.equal(await counter.addUnlessLocked([subject, address], RULE, T0), 0);
        assert.equal(await counter.addUnlessLocked([{ key: 'other', allowed: 1 }, address], RULE, T0 + 100), 0);
        assert.equal(await counter.addUnlessLocked([subject, address], RULE, T0 + 200), 800, 'the subject is locked');
        assert.deepEqual(
          await counter.read('address', RULE.windowMs, T0 + 200),
          { failures: 2, last: T0 + 100 },
          'the address was not counted',
        );
        assert.equal(await counter.addUnlessLocked([{ key: 'third', allowed: 1 }, address], RULE, T0 + 300), 0);
        // Both locked now: the address for 1000 ms from T0 + 300, the subject until T0 + 1000.
        assert.equal(await counter.addUnlessLocked([subject, address], RULE, T0 + 400), 900);
        assert.equal((await counter.read('third', RULE.windowMs, T0 + 400))?.failures, 1);
      }));

    void it('takes one failure back (never below zero, the last time kept) and forgets a key', () =>
      withFixture(factory, async ({ counter }) => {
        const keys = [{ key: 'k', allowed: 5 }];
        for (let i = 0; i < 3; i++) assert.equal(await counter.addUnlessLocked(keys, RULE, T0 + i), 0);
        await counter.takeBack('k');
        assert.deepEqual(await counter.read('k', RULE.windowMs, T0 + 10), { failures: 2, last: T0 + 2 });
        for (let i = 0; i < 3; i++) await counter.takeBack('k');
        assert.deepEqual(await counter.read('k', RULE.windowMs, T0 + 10), { failures: 0, last: T0 + 2 });
        await counter.takeBack('nie-gezählt');
        assert.equal(
          await counter.read('nie-gezählt', RULE.windowMs, T0),
          undefined,
          'taking back from no key makes none',
        );
        assert.equal(await counter.addUnlessLocked(keys, RULE, T0 + 20), 0);
        assert.deepEqual(await counter.read('k', RULE.windowMs, T0 + 20), { failures: 1, last: T0 + 20 });
        await counter.forget('k');
        assert.equal(await counter.read('k', RULE.windowMs, T0 + 20), undefined);
        await counter.forget('k');
      }));

    void it('keeps keys apart, also keys that are prefixes of each other', () =>
      withFixture(factory, async ({ counter }) => {
        const names = ['a', 'a:', 'a:b', 'A', 'ø'];
        for (const [i, key] of names.entries())
          for (let n = 0; n <= i; n++) await counter.addUnlessLocked([{ key, allowed: 10 }], RULE, T0);
        for (const [i, key] of names.entries())
          assert.equal((await counter.read(key, RULE.windowMs, T0))?.failures, i + 1, key);
      }));

    void it('counts concurrent adds once each: no more than the allowed go ahead', () =>
      withFixture(factory, async ({ counter, openSecond }) => {
        const second = await openSecond();
        const keys = [{ key: 'k', allowed: 5 }];
        const waits = await Promise.all(
          Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? counter : second).addUnlessLocked(keys, RULE, T0)),
        );
        assert.equal(waits.filter((w) => w === 0).length, 5, `five counted, seven refused: ${waits.join(',')}`);
        assert.deepEqual(
          waits.filter((w) => w > 0),
          Array.from({ length: 7 }, () => 1000),
        );
        assert.deepEqual(await second.read('k', RULE.windowMs, T0), { failures: 5, last: T0 });
      }));

    void it('shares the counts with a second instance, as another node has', () =>
      withFixture(factory, async ({ counter, openSecond }) => {
        const second = await openSecond();
        const keys = [{ key: 'k', allowed: 2 }];
        assert.equal(await counter.addUnlessLocked(keys, RULE, T0), 0);
        assert.equal(await second.addUnlessLocked(keys, RULE, T0 + 1), 0);
        assert.equal(await counter.addUnlessLocked(keys, RULE, T0 + 2), 999);
        await second.takeBack('k');
        assert.deepEqual(await counter.read('k', RULE.windowMs, T0 + 2), { failures: 1, last: T0 + 1 });
        await second.forget('k');
        assert.equal(await counter.read('k', RULE.windowMs, T0 + 2), undefined);
      }));
  });
}
