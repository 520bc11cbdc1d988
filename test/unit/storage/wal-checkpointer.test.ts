/**
 * WalCheckpointer: the node's connection commits without checkpointing, and the thread copies
 * the WAL into the database file, by itself every interval or when asked; the WAL starts over
 * after a complete checkpoint, so it stays bounded; stopping, or a thread that cannot run,
 * gives checkpoints back to the committing connection.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqlite, type SqliteDatabase } from '../../../src/storage/sqlite/open-sqlite.js';
import { WalCheckpointer, type CheckpointResult } from '../../../src/storage/sqlite/wal-checkpointer.js';

const dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function database(): { db: SqliteDatabase; file: string } {
  const file = join(dir, `db-${files++}.sqlite`);
  const db = openSqlite(file);
  db.exec('CREATE TABLE t (x BLOB)');
  return { db, file };
}

/** Writes `pages` rows of a page each, in one transaction. */
function writePages(db: SqliteDatabase, pages: number): void {
  const insert = db.prepare<[Buffer]>('INSERT INTO t (x) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < pages; i++) insert.run(Buffer.alloc(3000, i % 251));
  })();
}

const size = (path: string): number => statSync(path).size;
const autocheckpoint = (db: SqliteDatabase): unknown => db.pragma('wal_autocheckpoint', { simple: true });

describe('WalCheckpointer', () => {
  it('without it, the COMMIT past 1 000 WAL pages copies them into the file itself', () => {
    const { db, file } = database();
    try {
      const before = size(file);
      writePages(db, 1500);
      assert.ok(size(file) > before + 1000 * 3000, 'the committing connection checkpointed');
    } finally {
      db.close();
    }
  });

  it('with it, the COMMIT leaves the WAL alone and the thread copies it when asked', async () => {
    const { db, file } = database();
    const checkpointer = WalCheckpointer.start(db, { intervalMs: 600_000 });
    assert.ok(checkpointer);
    try {
      assert.equal(autocheckpoint(db), 0);
      const before = size(file);
      writePages(db, 1500);
      assert.equal(size(file), before, 'the commit did not checkpoint');
      const result = await checkpointer.checkpointNow();
      assert.ok(result.log > 1500, `frames in the WAL: ${result.log}`);
      assert.equal(result.checkpointed, result.log);
      assert.ok(size(file) > before + 1500 * 3000);
      assert.equal(db.prepare('SELECT COUNT(*) FROM t').pluck().get(), 1500);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('checkpoints by itself every interval', async () => {
    const { db, file } = database();
    const checkpointer = WalCheckpointer.start(db, { intervalMs: 20 });
    try {
      const before = size(file);
      writePages(db, 300);
      const deadline = Date.now() + 10_000;
      while (size(file) <= before + 300 * 3000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.ok(size(file) > before + 300 * 3000, 'the pages reached the database file');
    } finally {
      await checkpointer?.stop();
      db.close();
    }
  });

  it('keeps the WAL bounded: after a complete checkpoint the next write starts it over', async () => {
    const { db, file } = database();
    const checkpointer = WalCheckpointer.start(db, { intervalMs: 600_000 });
    assert.ok(checkpointer);
    try {
      const walSizes: number[] = [];
      for (let round = 0; round < 6; round++) {
        writePages(db, 400);
        walSizes.push(size(`${file}-wal`));
        const result: CheckpointResult = await checkpointer.checkpointNow();
        assert.equal(result.checkpointed, result.log);
      }
      assert.ok(
        walSizes.every((s) => s <= (walSizes[0] as number)),
        `WAL sizes ${walSizes.join(', ')}`,
      );
      assert.equal(db.prepare('SELECT COUNT(*) FROM t').pluck().get(), 2400);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('gives checkpoints back to the connection when stopped', async () => {
    const { db } = database();
    const checkpointer = WalCheckpointer.start(db);
    assert.ok(checkpointer);
    assert.equal(autocheckpoint(db), 0);
    await checkpointer.stop();
    assert.equal(checkpointer.running, false);
    assert.equal(autocheckpoint(db), 1000);
    await assert.rejects(checkpointer.checkpointNow(), /stoppet/);
    db.close();
  });

  it('a thread that cannot open the file gives checkpoints back and says so', async () => {
    const { db, file } = database();
    unlinkSync(file); // the open connection keeps working on the removed file; a new one cannot open it
    let lost: (e: Error) => void = () => undefined;
    const threadLost = new Promise<Error>((resolve) => (lost = resolve));
    const checkpointer = WalCheckpointer.start(db, { onThreadLost: lost });
    assert.ok(checkpointer);
    const error = await threadLost;
    assert.match(error.message, /unable to open|does not exist|SQLITE_CANTOPEN|directory/i);
    assert.equal(checkpointer.running, false);
    assert.equal(autocheckpoint(db), 1000);
    writePages(db, 10); // the connection itself still writes
    db.close();
  });

  it('leaves a database in memory as it is', () => {
    const db = openSqlite(':memory:');
    assert.equal(WalCheckpointer.start(db), undefined);
    db.close();
  });
});
