/**
 * A node started on a full disk says so in one line, as it says what else in its surroundings
 * stops it (a review of 7 December 2026 got SQLite's raw SQLITE_IOERR_SHMSIZE stack trace).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asStartError, describeSurroundings } from '../../../src/composition/start-error.js';

/** An error as better-sqlite3 throws it: a message and SQLite's extended code. */
function sqliteError(code: string): Error {
  return Object.assign(new Error('disk I/O error'), { name: 'SqliteError', code });
}

describe('a start on a full disk', () => {
  it('names DATA_DIR and the full disk for SQLite’s I/O errors and SQLITE_FULL', () => {
    for (const code of ['SQLITE_IOERR_SHMSIZE', 'SQLITE_IOERR_WRITE', 'SQLITE_FULL']) {
      assert.equal(
        asStartError(sqliteError(code), '/srv/budbringer')?.message,
        `DATA_DIR: /srv/budbringer kan ikke skrives (${code}); er disken full? Frigjør plass (df -h /srv/budbringer) og start igjen`,
      );
    }
  });

  it('leaves another SQLite error to its stack trace', () => {
    assert.equal(asStartError(sqliteError('SQLITE_CONSTRAINT_UNIQUE'), '/srv/budbringer'), undefined);
  });
});

describe('a CLI command on a full disk', () => {
  it('does not blame DATA_DIR: the disk may be the backup target’s', () => {
    assert.equal(describeSurroundings(sqliteError('SQLITE_FULL'), '/srv/budbringer'), undefined);
  });
});
