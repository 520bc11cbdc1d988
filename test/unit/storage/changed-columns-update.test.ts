import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ChangedColumnsUpdate } from '../../../src/storage/sqlite/changed-columns-update.js';

/** A table whose triggers record which columns each UPDATE set (`UPDATE OF` fires only for columns in SET). */
function tableWithSetLog(): Database.Database {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE t (id TEXT PRIMARY KEY, a INTEGER, b TEXT, c REAL);
    CREATE INDEX t_a ON t (a);
    CREATE TABLE set_log (col TEXT NOT NULL);
    CREATE TRIGGER t_a_set AFTER UPDATE OF a ON t BEGIN INSERT INTO set_log VALUES ('a'); END;
    CREATE TRIGGER t_b_set AFTER UPDATE OF b ON t BEGIN INSERT INTO set_log VALUES ('b'); END;
    CREATE TRIGGER t_c_set AFTER UPDATE OF c ON t BEGIN INSERT INTO set_log VALUES ('c'); END;
    INSERT INTO t VALUES ('x', 1, 'q', NULL), ('y', 5, 'r', 2.5);`);
  return db;
}

function setLog(db: Database.Database): string[] {
  const cols = db.prepare('SELECT col FROM set_log').pluck().all() as string[];
  db.exec('DELETE FROM set_log');
  return cols;
}

void describe('ChangedColumnsUpdate', () => {
  void it('sets only the columns whose values changed, on the row of the key', () => {
    const db = tableWithSetLog();
    const update = new ChangedColumnsUpdate(db, 't', 'id', ['a', 'b', 'c']);
    assert.equal(update.run({ id: 'x', a: 1, b: 'q', c: null }, { id: 'x', a: 2, b: 'q', c: null }), 1);
    assert.deepEqual(setLog(db), ['a']);
    assert.deepEqual(db.prepare('SELECT * FROM t ORDER BY id').all(), [
      { id: 'x', a: 2, b: 'q', c: null },
      { id: 'y', a: 5, b: 'r', c: 2.5 },
    ]);
  });

  void it('given the same values, then no UPDATE at all', () => {
    const db = tableWithSetLog();
    const update = new ChangedColumnsUpdate(db, 't', 'id', ['a', 'b', 'c']);
    assert.equal(update.run({ id: 'y', a: 5, b: 'r', c: 2.5 }, { id: 'y', a: 5, b: 'r', c: 2.5 }), 0);
    assert.deepEqual(setLog(db), []);
  });

  void it('given a value that becomes null and a null that becomes a value, then both are set', () => {
    const db = tableWithSetLog();
    const update = new ChangedColumnsUpdate(db, 't', 'id', ['a', 'b', 'c']);
    assert.equal(update.run({ id: 'x', a: 1, b: 'q', c: null }, { id: 'x', a: 1, b: null, c: 0 }), 2);
    assert.deepEqual(setLog(db).sort(), ['b', 'c']);
    assert.deepEqual(db.prepare("SELECT * FROM t WHERE id = 'x'").get(), { id: 'x', a: 1, b: null, c: 0 });
    // The same set of columns again, on another row: the prepared statement is reused.
    assert.equal(update.run({ id: 'y', a: 5, b: 'r', c: 2.5 }, { id: 'y', a: 5, b: 's', c: 3 }), 2);
    assert.deepEqual(db.prepare("SELECT b, c FROM t WHERE id = 'y'").get(), { b: 's', c: 3 });
  });
});
