/**
 * AttemptThrottle over an AttemptCounter adapter: the limits per subject and per address,
 * success forgetting the subject and taking back only its own up-front count, throttles of
 * different scopes kept apart, and — with a second instance of the store as another node —
 * shared counts and parallel attempts on two nodes of which no more than the allowed go on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AttemptThrottle, type ThrottleOptions } from '../../src/http/attempt-throttle.js';
import { T0, type AttemptCounterFixture } from './attempt-counter.js';
import { withFixture } from './support.js';

/** 3 per subject, 5 per address, 1 s doubling up to 8 s, forgotten after a minute. */
const OPTIONS: ThrottleOptions = { perSubject: 3, perAddress: 5, baseLockMs: 1000, maxLockMs: 8000, windowMs: 60_000 };
const ADDRESS = '::ffff:10.0.0.7';

/** Registers the AttemptThrottle tests over one AttemptCounter adapter. */
export function attemptThrottleContract(name: string, factory: () => Promise<AttemptCounterFixture>): void {
  void describe(`AttemptThrottle over ${name}`, () => {
    void it('locks a subject after its allowed failures, whatever its case; another subject from the address goes on', () =>
      withFixture(factory, async ({ counter }) => {
        const throttle = new AttemptThrottle(counter, 'login', OPTIONS);
        for (const user of ['kari', 'Kari', 'KARI']) assert.equal(await throttle.attempt(user, ADDRESS, T0), 0, user);
        assert.equal(await throttle.waitMs('kari', ADDRESS, T0 + 1), 999);
        assert.equal(await throttle.attempt('kAri', ADDRESS, T0 + 1), 999, 'refused, and not counted');
        assert.equal(await throttle.waitMs('kari', ADDRESS, T0 + 1000), 0, 'the first lock is over');
        assert.equal(await throttle.attempt('kari', ADDRESS, T0 + 1000), 0);
        assert.equal(await throttle.waitMs('kari', ADDRESS, T0 + 1000), 2000, 'the next failure doubles the lock');
        assert.equal(
          await throttle.attempt('ola', ADDRESS, T0 + 1000),
          0,
          'four failures from the address, one allowed more',
        );
      }));

    void it('locks an address after its allowed failures across subjects', () =>
      withFixture(factory, async ({ counter }) => {
        const throttle = new AttemptThrottle(counter, 'login', OPTIONS);
        for (let i = 0; i < 5; i++) assert.equal(await throttle.attempt(`bruker${i}`, ADDRESS, T0 + i), 0);
        assert.equal(await throttle.attempt('ny-bruker', ADDRESS, T0 + 10), 994);
        assert.equal(
          await throttle.attempt('ny-bruker', '::ffff:10.0.0.8', T0 + 10),
          0,
          'another address is not locked',
        );
      }));

    void it('on success forgets the subject and takes back from the address only the attempt itself', () =>
      withFixture(factory, async ({ counter }) => {
        const throttle = new AttemptThrottle(counter, 'login', OPTIONS);
        for (let i = 0; i < 2; i++) assert.equal(await throttle.attempt('kari', ADDRESS, T0), 0);
        assert.equal(await throttle.attempt('kari', ADDRESS, T0), 0);
        await throttle.succeeded('KARI', ADDRESS);
        for (let i = 0; i < 3; i++)
          assert.equal(await throttle.attempt('kari', ADDRESS, T0 + 1), 0, 'the subject starts over');
        // The address holds the two failures before the success and these three: five, locked.
        assert.equal(await throttle.attempt('ola', ADDRESS, T0 + 1), 1000);
      }));

    void it('keeps throttles of different scopes over one counter apart', () =>
      withFixture(factory, async ({ counter }) => {
        const codes = new AttemptThrottle(counter, 'code', OPTIONS);
        const sms = new AttemptThrottle(counter, 'sms', OPTIONS);
        for (let i = 0; i < 3; i++) assert.equal(await codes.attempt('brev-1', ADDRESS, T0), 0);
        assert.equal(await codes.waitMs('brev-1', ADDRESS, T0), 1000);
        assert.equal(await sms.waitMs('brev-1', ADDRESS, T0), 0);
        assert.equal(await sms.attempt('brev-1', ADDRESS, T0), 0);
      }));

    void it('two nodes: throttles over two instances of one store share the count', () =>
      withFixture(factory, async ({ counter, openSecond }) => {
        const node1 = new AttemptThrottle(counter, 'login', OPTIONS);
        const node2 = new AttemptThrottle(await openSecond(), 'login', OPTIONS);
        assert.equal(await node1.attempt('kari', ADDRESS, T0), 0);
        assert.equal(await node2.attempt('kari', ADDRESS, T0 + 1), 0);
        assert.equal(await node1.attempt('kari', ADDRESS, T0 + 2), 0);
        assert.equal(await node2.attempt('kari', ADDRESS, T0 + 3), 999, 'node 2 counts the failures node 1 saw');
        assert.equal(await node1.waitMs('kari', ADDRESS, T0 + 3), 999);
        await node2.succeeded('kari', '::ffff:10.0.0.8');
        assert.equal(
          await node1.attempt('kari', ADDRESS, T0 + 3),
          0,
          'a success on node 2 frees the subject on node 1',
        );
      }));

    void it('parallel attempts on two nodes: no more than the allowed go ahead, and a success is taken back', () =>
      withFixture(factory, async ({ counter, openSecond }) => {
        const nodes = [
          new AttemptThrottle(counter, 'login', OPTIONS),
          new AttemptThrottle(await openSecond(), 'login', OPTIONS),
        ] as const;
        // As the login route does: check and count, the slow step, take back on success.
        const login = async (n: number, right: boolean): Promise<'ok' | 'feil' | 'sperret'> => {
          const throttle = nodes[n % 2] ?? nodes[0];
          if ((await throttle.attempt('kari', `::ffff:10.0.1.${n}`, T0)) > 0) return 'sperret';
          await new Promise((resolve) => setImmediate(resolve));
          if (!right) return 'feil';
          await throttle.succeeded('kari', `::ffff:10.0.1.${n}`);
          return 'ok';
        };
        const wrong = await Promise.all(Array.from({ length: 12 }, (_, n) => login(n, false)));
        assert.equal(
          wrong.filter((r) => r === 'feil').length,
          3,
          `three tried, the rest refused untried: ${wrong.join(',')}`,
        );
        assert.equal(wrong.filter((r) => r === 'sperret').length, 9);

        const later = T0 + 1000;
        const mixed = await Promise.all(
          [0, 1].map(async (n) => {
            const throttle = nodes[n] ?? nodes[0];
            const wait = await throttle.attempt('ola', ADDRESS, later);
            if (wait === 0 && n === 0) await throttle.succeeded('ola', ADDRESS);
            return wait;
          }),
        );
        assert.deepEqual(mixed, [0, 0]);
        // Node 1 succeeded and node 2 failed, in whichever order they ran: the address keeps
        // node 2's failure only, so four more make five.
        for (let i = 0; i < 4; i++) await nodes[1].attempt(`bruker${i}`, ADDRESS, later);
        assert.equal(
          await nodes[0].attempt('ny', ADDRESS, later),
          1000,
          'five failures from the address: one up front taken back',
        );
      }));
  });
}
