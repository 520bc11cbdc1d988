/**
 * Contract of the SendAttempts port (the duplicate rule's counter): each attempt counts the
 * ones recorded before it under its fingerprint within the window; other fingerprints, older
 * attempts and removed ones do not count; attempts recorded at once, also from two instances
 * (two nodes), are recorded one after the other, so no two see the same number before them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SendAttempts } from '../../src/storage/ports.js';
import { withFixture } from './support.js';

/** What an adapter's factory gives the suite: fresh, empty storage per call. */
export interface SendAttemptsFixture {
  readonly attempts: SendAttempts;
  /** Another instance on the same storage, as another node would have. */
  openSecond(): Promise<SendAttempts>;
  cleanup(): Promise<void>;
}

const T0 = 1_796_000_000_000;
const DAY = 86_400_000;
const WINDOW = 2 * DAY;

/** Records under `fingerprint` at `at` with the 2-day window. */
function recordAt(attempts: SendAttempts, fingerprint: string, at: number) {
  return attempts.record(fingerprint, at, at - WINDOW, at + WINDOW);
}

/** Registers the SendAttempts contract tests for one adapter. */
export function sendAttemptsContract(name: string, factory: () => Promise<SendAttemptsFixture>): void {
  void describe(`SendAttempts contract: ${name}`, () => {
    void it('counts the earlier attempts under the same fingerprint within the window, and only those', () =>
      withFixture(factory, async ({ attempts }) => {
        const seen: number[] = [];
        for (let i = 0; i < 5; i++) seen.push((await recordAt(attempts, 'a', T0 + i * 1000)).earlier);
        assert.deepEqual(seen, [0, 1, 2, 3, 4]);
        assert.equal((await recordAt(attempts, 'b', T0 + 5000)).earlier, 0, 'another fingerprint');
        // Two days after the first three: only the last two are still in the window.
        assert.equal((await recordAt(attempts, 'a', T0 + WINDOW + 2500)).earlier, 2);
      }));

    void it('an attempt removed no longer counts; removing twice is no error', () =>
      withFixture(factory, async ({ attempts }) => {
        const first = await recordAt(attempts, 'a', T0);
        await recordAt(attempts, 'a', T0 + 1);
        await attempts.remove(first.id);
        await attempts.remove(first.id);
        assert.equal((await recordAt(attempts, 'a', T0 + 2)).earlier, 1);
      }));

    void it('attempts at the same moment are recorded one after the other: never both first', () =>
      withFixture(factory, async ({ attempts }) => {
        const [x, y] = await Promise.all([recordAt(attempts, 'a', T0), recordAt(attempts, 'a', T0)]);
        assert.deepEqual([x.earlier, y.earlier].sort(), [0, 1]);
        assert.notEqual(x.id, y.id);
      }));

    void it('a second instance (another node) counts what the first recorded', () =>
      withFixture(factory, async ({ attempts, openSecond }) => {
        const second = await openSecond();
        try {
          await recordAt(attempts, 'a', T0);
          await recordAt(second, 'a', T0 + 1);
          const burst = await Promise.all(
            Array.from({ length: 10 }, (_, i) => recordAt(i % 2 === 0 ? attempts : second, 'a', T0 + 2 + i)),
          );
          assert.deepEqual(
            burst.map((r) => r.earlier).sort((p, q) => p - q),
            [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
            'each concurrent attempt saw a different number before it',
          );
        } finally {
          await second.close();
        }
      }));
  });
}
