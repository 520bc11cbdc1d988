import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyedAttemptCounter } from '../../../src/http/keyed-attempt-counter.js';
import { openSqlite, SqliteAttemptCounter } from '../../../src/storage/sqlite/index.js';

const RULE = { baseLockMs: 1000, maxLockMs: 10_000, windowMs: 60_000 };
const KEY = 'admin-login:s:bHVyZXI';

describe('keyedAttemptCounter', () => {
  it('counts under a name keyed with the secret: the plain name holds nothing', async () => {
    const store = new SqliteAttemptCounter(openSqlite(':memory:'));
    const keyed = keyedAttemptCounter(store, Buffer.from('a'.repeat(32)));
    assert.equal(await keyed.addUnlessLocked([{ key: KEY, allowed: 2 }], RULE, 1000), 0);
    assert.deepEqual(await keyed.read(KEY, RULE.windowMs, 1000), { failures: 1, last: 1000 });
    assert.equal(await store.read(KEY, RULE.windowMs, 1000), undefined);
  });

  it('shares counts between nodes with the same secret, not with another', async () => {
    const store = new SqliteAttemptCounter(openSqlite(':memory:'));
    const node1 = keyedAttemptCounter(store, Buffer.from('a'.repeat(32)));
    const node2 = keyedAttemptCounter(store, Buffer.from('a'.repeat(32)));
    const stranger = keyedAttemptCounter(store, Buffer.from('b'.repeat(32)));
    await node1.addUnlessLocked([{ key: KEY, allowed: 2 }], RULE, 1000);
    await node2.addUnlessLocked([{ key: KEY, allowed: 2 }], RULE, 1001);
    assert.ok(
      (await node1.addUnlessLocked([{ key: KEY, allowed: 2 }], RULE, 1002)) > 0,
      'locked after two failures across both',
    );
    assert.equal(await stranger.read(KEY, RULE.windowMs, 1002), undefined);
    await node2.forget(KEY);
    assert.equal(await node1.read(KEY, RULE.windowMs, 1003), undefined);
  });
});
