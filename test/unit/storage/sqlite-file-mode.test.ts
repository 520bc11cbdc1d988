/**
 * The SQLite file holds the installation's private keys, password hashes and fødselsnummer:
 * openSqlite makes it, and the -wal and -shm files SQLite makes beside it, readable by the
 * owner alone, and narrows a file an older version left readable to others.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqlite } from '../../../src/storage/sqlite/open-sqlite.js';

const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe('openSqlite file permissions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-mode-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a new database and its -wal and -shm 0600', () => {
    const file = join(dir, 'ny.sqlite');
    const db = openSqlite(file);
    try {
      db.exec('CREATE TABLE t (x)');
      db.prepare('INSERT INTO t VALUES (1)').run();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.equal(modeOf(f).toString(8), '600', f);
    } finally {
      db.close();
    }
  });

  it('narrows an existing database left readable to others', () => {
    const file = join(dir, 'gammel.sqlite');
    openSqlite(file).close();
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, '');
    chmodSync(`${file}-wal`, 0o644);
    openSqlite(file).close();
    assert.equal(modeOf(file).toString(8), '600');
  });
});
