/** CheckGate: checks wait until their bytes and a slot fit, senders take turns, a check larger than the gate runs alone. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckGate } from '../../../src/composition/check-gate.js';

/** A check that runs until `finish` is called; the log says when it started and ended. */
function check(log: string[], name: string) {
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

describe('CheckGate', () => {
  it('admits checks while their bytes fit, in order within a sender, as bytes come free', async () => {
    const gate = new CheckGate({ bytes: 10, checks: 10 });
    const log: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => check(log, n)) as ReturnType<typeof check>[] as [
      ReturnType<typeof check>,
      ReturnType<typeof check>,
      ReturnType<typeof check>,
      ReturnType<typeof check>,
    ];
    const runs = [
      gate.run('A', 6, a.work),
      gate.run('A', 4, b.work),
      gate.run('A', 5, c.work),
      gate.run('A', 1, d.work),
    ];
    await tick();
    // d (1 byte) would fit after a and b, but waits behind c: no overtaking in a line.
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

  it('admits at most `checks` at once, however small they are', async () => {
    const gate = new CheckGate({ bytes: 1000, checks: 2 });
    const log: string[] = [];
    const all = ['a', 'b', 'c'].map((n) => check(log, n));
    const runs = all.map((t) => gate.run('A', 1, t.work));
    await tick();
    assert.deepEqual(log, ['start a', 'start b']);
    all[0]?.finish();
    await tick();
    assert.deepEqual(log.slice(2), ['end a', 'start c']);
    all[1]?.finish();
    all[2]?.finish();
    await Promise.all(runs);
  });

  it("lets senders take turns: one sender's burst waits behind itself, not in front of another's letter", async () => {
    const gate = new CheckGate({ bytes: 1000, checks: 1 });
    const log: string[] = [];
    const burst = Array.from({ length: 5 }, (_, i) => check(log, `A${i}`));
    const runs = burst.map((t) => gate.run('Avsender A', 1, t.work));
    await tick();
    const other = check(log, 'B0');
    const theirs = gate.run('Avsender B', 1, other.work);
    await tick();
    assert.deepEqual(log, ['start A0']);
    burst[0]?.finish();
    await tick();
    assert.deepEqual(log.slice(1), ['end A0', 'start B0'], "B's check goes before the rest of A's burst");
    other.finish();
    await theirs;
    for (const t of burst.slice(1)) {
      await tick();
      t.finish();
    }
    await Promise.all(runs);
    assert.deepEqual(
      log.filter((l) => l.startsWith('start')),
      ['start A0', 'start B0', 'start A1', 'start A2', 'start A3', 'start A4'],
    );
  });

  it('lets a burst through while other senders check one document after another without pause (an idle sender counted as never admitted and starved it)', async () => {
    const gate = new CheckGate({ bytes: 1000, checks: 2 });
    const pause = () => new Promise((r) => setTimeout(r, 1));
    let stop = false;
    const done = new Map<string, number>();
    const count = (key: string) => done.set(key, (done.get(key) ?? 0) + 1);
    // Three senders, each with one letter's documents checked one after another.
    const steady = ['B', 'C', 'D'].map(async (key) => {
      while (!stop) await gate.run(key, 1, async () => pause().then(() => count(key)));
    });
    await pause();
    const burst = Array.from({ length: 20 }, () => gate.run('A', 1, async () => pause().then(() => count('A'))));
    await Promise.race([Promise.all(burst), new Promise((r) => setTimeout(r, 2000))]);
    stop = true;
    await Promise.all(steady);
    assert.equal(
      done.get('A'),
      20,
      `A's burst got ${done.get('A') ?? 0} of 20 checks while B, C, D got ${['B', 'C', 'D'].map((k) => done.get(k)).join(', ')}`,
    );
  });

  it('runs a check larger than the byte bound alone, and frees its share when the work fails', async () => {
    const gate = new CheckGate({ bytes: 10, checks: 4 });
    const log: string[] = [];
    const small = check(log, 'small');
    const running = gate.run('A', 3, small.work);
    const big = gate.run('A', 50, async () => {
      log.push('big');
      throw new Error('brutt');
    });
    const after = check(log, 'after');
    const last = gate.run('A', 10, after.work);
    await tick();
    assert.deepEqual(log, ['start small'], 'the big one waits for the whole gate');
    small.finish();
    await running;
    await assert.rejects(big, /brutt/);
    await tick();
    assert.deepEqual(log.slice(-2), ['big', 'start after'], 'a failure gives its share back');
    after.finish();
    assert.equal(await last, 'after');
  });

  it('refuses bounds that are not positive whole numbers', () => {
    assert.throws(() => new CheckGate({ bytes: 0, checks: 1 }), RangeError);
    assert.throws(() => new CheckGate({ bytes: 10, checks: 1.5 }), RangeError);
  });
});
