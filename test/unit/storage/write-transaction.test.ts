/**
 * writeTransaction: BEGIN IMMEDIATE … COMMIT around a function, a savepoint when nested, a
 * rollback of exactly its own writes when the function throws. The runner is made once per
 * connection and reused, so these hold for every call, not only the first, and for each of
 * two connections on one file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqlite, writeTransaction, type SqliteDatabase } from '../../../src/storage/sqlite/open-sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'write-tx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function table(db: SqliteDatabase): { add(x: string): void; all(): string[] } {
  db.exec('CREATE TABLE IF NOT EXISTS t (x TEXT)');
  const insert = db.prepare<[string]>('INSERT INTO t (x) VALUES (?)');
  const select = db.prepare<[], string>('SELECT x FROM t ORDER BY rowid').pluck();
  return { add: (x) => void insert.run(x), all: () => select.all() };
}

describe('writeTransaction', () => {
  it('commits what the function wrote and returns its value, call after call', () => {
    const db = openSqlite(join(dir, 'commit.sqlite'));
    try {
      const t = table(db);
      for (let i = 0; i < 3; i++) {
        const value = writeTransaction(db, () => {
          assert.equal(db.inTransaction, true);
          t.add(`rad ${i}`);
          return i * 10;
        });
        assert.equal(value, i * 10);
        assert.equal(db.inTransaction, false);
      }
      assert.deepEqual(t.all(), ['rad 0', 'rad 1', 'rad 2']);
    } finally {
      db.close();
    }
  });

  it('rolls back all of a failed transaction, and the next one commits', () => {
    const db = openSqlite(join(dir, 'rollback.sqlite'));
    try {
      const t = table(db);
      assert.throws(
        () =>
          writeTransaction(db, () => {
            t.add('halv');
            throw new Error('feil midt i');
          }),
        /feil midt i/,
      );
      assert.equal(db.inTransaction, false);
      writeTransaction(db, () => t.add('hel'));
      assert.deepEqual(t.all(), ['hel']);
    } finally {
      db.close();
    }
  });

  it('nested, rolls back only the inner function’s writes when it throws', () => {
    const db = openSqlite(join(dir, 'nested.sqlite'));
    try {
      const t = table(db);
      writeTransaction(db, () => {
        t.add('ytre');
        assert.throws(() =>
          writeTransaction(db, () => {
            t.add('indre');
            throw new Error('indre feilet');
          }),
        );
        assert.equal(db.inTransaction, true);
        writeTransaction(db, () => t.add('indre 2'));
      });
      assert.deepEqual(t.all(), ['ytre', 'indre 2']);
    } finally {
      db.close();
    }
  });

  it('refuses a function that returns a promise, and writes nothing', () => {
    const db = openSqlite(join(dir, 'promise.sqlite'));
    try {
      const t = table(db);
      assert.throws(
        () =>
          writeTransaction(db, () => {
            t.add('for tidlig');
            return Promise.resolve();
          }),
        TypeError,
      );
      assert.deepEqual(t.all(), []);
    } finally {
      db.close();
    }
  });

  it('takes the write lock at the start: a second connection on the file waits for it', () => {
    const file = join(dir, 'two.sqlite');
    const a = openSqlite(file, { busyTimeoutMs: 0 });
    const b = openSqlite(file, { busyTimeoutMs: 0 });
    try {
      const ta = table(a);
      const tb = table(b);
      writeTransaction(a, () => {
        ta.add('a');
        // BEGIN IMMEDIATE on b cannot take the lock a holds (busy timeout 0: at once).
        assert.throws(() => writeTransaction(b, () => tb.add('b')), /locked|busy/i);
      });
      writeTransaction(b, () => tb.add('b'));
      assert.deepEqual(ta.all(), ['a', 'b']);
    } finally {
      a.close();
      b.close();
    }
  });
});
