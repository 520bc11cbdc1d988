/**
 * The compose jobs' memory bound (src/jobs/byte-budget.ts): work runs while its bytes fit,
 * waits in order when they do not, a letter larger than the whole budget runs alone, and
 * the bytes come back however the work ends.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteBudget } from '../../../src/jobs/byte-budget.js';

/** A piece of work that runs until `finish` is called, recording when it started. */
function gate(started: string[], name: string) {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = () => resolve(name);
    fail = reject;
  });
  return {
    work: async () => {
      started.push(name);
      return done;
    },
    finish: () => finish(),
    fail: (error: Error) => fail(error),
  };
}

/** Lets the promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

void describe('ByteBudget', () => {
  void it('runs work at once while the bytes fit, and holds them until it ends', async () => {
    const budget = new ByteBudget(100);
    const started: string[] = [];
    const a = gate(started, 'a');
    const b = gate(started, 'b');
    const ra = budget.hold(60, a.work);
    const rb = budget.hold(40, b.work);
    await settle();
    assert.deepEqual(started, ['a', 'b']);
    assert.equal(budget.held, 100);
    a.finish();
    b.finish();
    assert.deepEqual(await Promise.all([ra, rb]), ['a', 'b']);
    assert.equal(budget.held, 0);
  });

  void it('makes work that does not fit wait, in order: a small one does not overtake a large one', async () => {
    const budget = new ByteBudget(100);
    const started: string[] = [];
    const first = gate(started, 'first');
    const large = gate(started, 'large');
    const small = gate(started, 'small');
    const r1 = budget.hold(70, first.work);
    const r2 = budget.hold(50, large.work);
    const r3 = budget.hold(10, small.work);
    await settle();
    assert.deepEqual(started, ['first'], 'the small one would fit, but waits behind the large one');
    first.finish();
    await r1;
    await settle();
    assert.deepEqual(started, ['first', 'large', 'small']);
    assert.equal(budget.held, 60);
    large.finish();
    small.finish();
    await Promise.all([r2, r3]);
    assert.equal(budget.held, 0);
  });

  void it('runs a letter larger than the whole budget once it has the budget to itself', async () => {
    const budget = new ByteBudget(100);
    const started: string[] = [];
    const small = gate(started, 'small');
    const huge = gate(started, 'huge');
    const r1 = budget.hold(1, small.work);
    const r2 = budget.hold(5_000, huge.work);
    await settle();
    assert.deepEqual(started, ['small']);
    small.finish();
    await r1;
    await settle();
    assert.deepEqual(started, ['small', 'huge']);
    assert.equal(budget.held, 100);
    huge.finish();
    await r2;
    assert.equal(budget.held, 0);
  });

  void it('gives the bytes back when the work fails, and the next one runs', async () => {
    const budget = new ByteBudget(100);
    const started: string[] = [];
    const failing = gate(started, 'failing');
    const next = gate(started, 'next');
    const r1 = budget.hold(100, failing.work);
    const r2 = budget.hold(100, next.work);
    await settle();
    failing.fail(new Error('PDF-en kunne ikke leses'));
    await assert.rejects(r1, /kunne ikke leses/);
    await settle();
    assert.deepEqual(started, ['failing', 'next']);
    next.finish();
    await r2;
    assert.equal(budget.held, 0);
  });

  void it('refuses a budget that is not a positive whole number of bytes', () => {
    assert.throws(() => new ByteBudget(0), RangeError);
    assert.throws(() => new ByteBudget(1.5), RangeError);
  });
});
