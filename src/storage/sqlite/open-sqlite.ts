/**
 * Opens the embedded database file that the SQLite adapters share (docs/architecture.md, embedded
 * mode). Several processes may open the same file at once (the cluster tests run three
 * nodes on one DATA_DIR), so every connection sets a busy timeout and every write
 * transaction starts with BEGIN IMMEDIATE (see `writeTransaction`).
 */
import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { correctDerivedColumns, migrate } from './migrations.js';

/** A better-sqlite3 connection with the Budbringer schema applied. */
export type SqliteDatabase = Database.Database;

/** How `openSqlite` sets up the connection. */
export interface SqliteOptions {
  /**
   * `NORMAL` (default) survives `kill -9` of the process; `FULL` also survives power loss
   * at the cost of one fsync per commit. See the comment in `openSqlite`.
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
  /** How long a writer waits for another process's write lock; default 5000 ms. */
  readonly busyTimeoutMs?: number;
}

/** Opens (creating if need be) the database at `path` in WAL mode and migrates its schema. */
export function openSqlite(path: string, options: SqliteOptions = {}): SqliteDatabase {
  ownerOnly(path);
  const db = new Database(path);
  try {
    // First, so that the statements below wait for other processes instead of failing.
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    // Durability. In WAL mode a COMMIT appends the transaction's pages to the -wal file
    // with write(2) before it returns, so a committed transaction sits in the OS page
    // cache and survives `kill -9` of this process (the kernel still writes it out);
    // that is the promise Journal.append makes. With synchronous=NORMAL the WAL is only
    // fsynced at checkpoints, so a power cut or kernel crash may lose the last commits
    // (never corrupt the file). synchronous=FULL fsyncs the WAL on every commit and so
    // also survives power loss, at the cost of one fsync per commit: offered as an option
    // for installations that cannot rely on a UPS / replicated storage.
    db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    migrate(db);
    correctDerivedColumns(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * The database holds the installation's private keys, password hashes and recipients'
 * fødselsnummer: only its owner may read it. A new file is made 0600 before SQLite opens it,
 * and SQLite gives its -wal and -shm files the database file's permissions; an existing file
 * (and its -wal and -shm) made readable to others by an older version is narrowed to 0600.
 * `:memory:` and a file system that refuses chmod are left as they are.
 */
function ownerOnly(path: string): void {
  if (path === ':memory:' || path === '') return;
  try {
    closeSync(openSync(path, 'a', 0o600));
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    }
  } catch {
    // Not ours to fix here: the open below reports a path it cannot use.
  }
}

export { groupedWrite, writeTransaction } from './write-transaction.js';
