/** ByteGate: work waits until its bytes fit, first come first served; a task larger than the gate runs alone. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteGate } from '../../../src/composition/byte-gate.js';

/** A task that runs until `finish` is called; `started` tells whether it has begun. */
function task(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    work: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
    finish: () => finish(),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('ByteGate', () => {
  it('runs work while its bytes fit and starts the next ones, in order, as bytes come free', async () => {
    const gate = new ByteGate(10);
    const log: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => task(log, n)) as [
      ReturnType<typeof task>,
      ReturnType<typeof task>,
      ReturnType<typeof task>,
      ReturnType<typeof task>,
    ];
    const runs = [gate.run(6, a.work), gate.run(4, b.work), gate.run(5, c.work), gate.run(1, d.work)];
    await tick();
    // d (1 byte) would fit after a and b, but waits behind c: no overtaking.
    assert.deepEqual(log, ['start a', 'start b']);
    b.finish();
    await tick();
    assert.deepEqual(log, ['start a', 'start b', 'end b'], 'c needs 5, only 4 are free');
    a.finish();
    await tick();
    assert.deepEqual(log.slice(3), ['end a', 'start c', 'start d']);
    c.finish();
    d.finish();
    assert.deepEqual(await Promise.all(runs), ['a', 'b', 'c', 'd']);
  });

  it('runs a task larger than the gate alone, and frees its bytes when the work fails', async () => {
    const gate = new ByteGate(10);
    const log: string[] = [];
    const small = task(log, 'small');
    const running = gate.run(3, small.work);
    const big = gate.run(50, async () => {
      log.push('big');
      throw new Error('brutt');
    });
    const after = task(log, 'after');
    const last = gate.run(10, after.work);
    await tick();
    assert.deepEqual(log, ['start small'], 'the big one waits for the whole gate');
    small.finish();
    await running;
    await assert.rejects(big, /brutt/);
    await tick();
    assert.deepEqual(log.slice(-2), ['big', 'start after'], 'a failure gives its bytes back');
    after.finish();
    assert.equal(await last, 'after');
  });

  it('refuses a capacity that is not a positive whole number', () => {
    assert.throws(() => new ByteGate(0), RangeError);
    assert.throws(() => new ByteGate(1.5), RangeError);
  });
});
