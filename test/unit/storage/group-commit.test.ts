/**
 * groupedWrite: writes nobody waits on are committed together, one COMMIT (counted as commit
 * frames in the WAL, as bench/commits-per-letter.ts counts them) on the next turn of the
 * event loop, or with the next writeTransaction started before that; each settles with its
 * own result or error: a write that throws is rolled back alone and the others are kept,
 * also when the transaction that carries them throws; every write is visible to another
 * connection once its promise has resolved.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import {
  groupedWrite,
  openSqlite,
  writeTransaction,
  type SqliteDatabase,
} from '../../../src/storage/sqlite/open-sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Commit frames in a WAL file (a frame header's non-zero "database size" marks a commit). */
function commitFrames(walPath: string): number {
  const wal = readFileSync(walPath);
  const pageSize = wal.readUInt32BE(8);
  let commits = 0;
  for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) {
    if (wal.readUInt32BE(off + 4) !== 0) commits += 1;
  }
  return commits;
}

/** A database file with table t, and a reader on it holding a snapshot so the WAL is kept whole. */
function database(name: string): { db: SqliteDatabase; file: string; pin: Database.Database; rows(): string[] } {
  const file = join(dir, name);
  const db = openSqlite(file);
  db.exec('CREATE TABLE t (x TEXT UNIQUE)');
  const pin = new Database(file, { readonly: true });
  pin.prepare('BEGIN').run();
  pin.prepare('SELECT COUNT(*) FROM t').get();
  const other = new Database(file, { readonly: true });
  const rows = (): string[] => other.prepare<[], string>('SELECT x FROM t ORDER BY x').pluck().all();
  return { db, file, pin, rows };
}

describe('groupedWrite', () => {
  it('commits the writes of one turn once, each resolving with its own value, visible to another connection', async () => {
    const { db, file, pin, rows } = database('one-turn.sqlite');
    try {
      const insert = db.prepare<[string]>('INSERT INTO t (x) VALUES (?)');
      const before = commitFrames(`${file}-wal`);
      const writes = ['a', 'b', 'c', 'd', 'e'].map((x, i) =>
        groupedWrite(db, () => {
          insert.run(x);
          return i;
        }),
      );
      assert.deepEqual(rows(), [], 'nothing is written before the turn ends');
      assert.deepEqual(await Promise.all(writes), [0, 1, 2, 3, 4]);
      assert.deepEqual(rows(), ['a', 'b', 'c', 'd', 'e']);
      assert.equal(commitFrames(`${file}-wal`) - before, 1, 'one commit for the five writes');
      await groupedWrite(db, () => insert.run('f'));
      await groupedWrite(db, () => insert.run('g'));
      assert.equal(commitFrames(`${file}-wal`) - before, 3, 'a write of a later turn commits on its own');
    } finally {
      pin.close();
      db.close();
    }
  });

  it('rolls back a write that throws alone: its promise rejects with its error, the others are kept', async () => {
    const { db, pin, rows } = database('one-fails.sqlite');
    try {
      const insert = db.prepare<[string]>('INSERT INTO t (x) VALUES (?)');
      const results = await Promise.allSettled([
        groupedWrite(db, () => insert.run('a')),
        groupedWrite(db, () => {
          insert.run('b');
          insert.run('a'); // UNIQUE: this write fails after writing 'b'
        }),
        groupedWrite(db, () => {
          insert.run('c');
          throw new RangeError('avvist');
        }),
        groupedWrite(db, () => insert.run('d')),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
      );
      assert.match(String((results[1] as PromiseRejectedResult).reason), /UNIQUE/);
      assert.ok((results[2] as PromiseRejectedResult).reason instanceof RangeError);
      assert.deepEqual(rows(), ['a', 'd'], "the failed writes' rows are gone, 'b' included");
    } finally {
      pin.close();
      db.close();
    }
  });

  it('a writeTransaction started meanwhile commits the waiting writes with its own, at once', async () => {
    const { db, file, pin, rows } = database('carried.sqlite');
    try {
      const insert = db.prepare<[string]>('INSERT INTO t (x) VALUES (?)');
      const before = commitFrames(`${file}-wal`);
      const waiting = [groupedWrite(db, () => insert.run('a')), groupedWrite(db, () => insert.run('b'))];
      const own = writeTransaction(db, () => {
        insert.run('c');
        return 'egen';
      });
      assert.equal(own, 'egen');
      assert.deepEqual(rows(), ['a', 'b', 'c'], 'durable when writeTransaction returns');
      await Promise.all(waiting);
      assert.equal(commitFrames(`${file}-wal`) - before, 1);
      // A writeTransaction that throws takes back its own writes only.
      const kept = groupedWrite(db, () => insert.run('d'));
      assert.throws(
        () =>
          writeTransaction(db, () => {
            insert.run('e');
            throw new RangeError('avbrutt');
          }),
        RangeError,
      );
      await kept;
      assert.deepEqual(rows(), ['a', 'b', 'c', 'd']);
    } finally {
      pin.close();
      db.close();
    }
  });

  it('a write after which SQLite gave up the whole transaction fails them all, and none is written', async () => {
    const { db, pin, rows } = database('aborted.sqlite');
    try {
      const insert = db.prepare<[string]>('INSERT INTO t (x) VALUES (?)');
      // A full disk or an I/O error makes SQLite roll back the whole transaction; a ROLLBACK does the same.
      const results = await Promise.allSettled([
        groupedWrite(db, () => insert.run('a')),
        groupedWrite(db, () => db.exec('ROLLBACK')),
        groupedWrite(db, () => insert.run('c')),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['rejected', 'rejected', 'rejected'],
      );
      assert.deepEqual(rows(), [], "'c' did not commit on its own after the transaction was gone");
      assert.equal(db.inTransaction, false);
      await groupedWrite(db, () => insert.run('d'));
      assert.deepEqual(rows(), ['d'], 'the connection writes on');
    } finally {
      pin.close();
      db.close();
    }
  });

  it('a write sees the rows of the writes before it in the same commit', async () => {
    const { db, pin } = database('order.sqlite');
    try {
      const insert = db.prepare<[string]>('INSERT INTO t (x) VALUES (?)');
      const count = db.prepare<[], number>('SELECT COUNT(*) FROM t').pluck();
      const seen = await Promise.all(
        ['a', 'b', 'c'].map((x) =>
          groupedWrite(db, () => {
            insert.run(x);
            return count.get();
          }),
        ),
      );
      assert.deepEqual(seen, [1, 2, 3]);
    } finally {
      pin.close();
      db.close();
    }
  });
});
