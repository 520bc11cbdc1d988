/**
 * Write transactions on a connection, and group commit. Every write transaction starts with
 * BEGIN IMMEDIATE (open-sqlite.ts: processes share the file). The writes of a send and of
 * the jobs after it (the blob lease of each document, the duplicate rule's attempt, the new
 * letter's one write, each job's change) wait instead for the connection's next commit
 * (`groupedWrite`): the next write transaction started on the connection carries them, or a
 * commit of their own on the next turn of the event loop, whichever comes first. Under load
 * the writes of several sends and jobs share one commit. A commit costs the main thread more
 * than most writes in it (the WAL append of every page it changed, now and then a
 * checkpoint), and writes committed together share the pages of the tables' and indexes'
 * ends: at c = 8 the bench's letters took 5.5 commits each instead of 8.0, and the turn a
 * send's writes wait was repaid (bench/README.md). Each waiting write runs in a savepoint of
 * its own, so one that throws is rolled back alone and its caller gets its error; every
 * caller's promise settles after the COMMIT, so what it awaits is as durable as with a
 * transaction of its own.
 */
import type { SqliteDatabase } from './open-sqlite.js';

/** Runs the function it is given inside BEGIN IMMEDIATE … COMMIT (or a savepoint when nested). */
type ImmediateRunner = <T>(fn: () => T) => T;

/**
 * One runner per connection. better-sqlite3's `db.transaction(fn)` builds four wrapper
 * functions and defines five properties on each for every `fn`; made per call, that was
 * ~7 µs and ~4.5 KB of garbage a transaction on the main thread, a dozen transactions and
 * savepoints per letter (bench/README.md). The wrapper made once calls whatever function
 * it is handed, with the same BEGIN, COMMIT, savepoint and rollback handling.
 */
const immediateRunners = new WeakMap<SqliteDatabase, ImmediateRunner>();

function runnerFor(db: SqliteDatabase): ImmediateRunner {
  let run = immediateRunners.get(db);
  if (run === undefined) {
    run = db.transaction((body: () => unknown) => body()).immediate as ImmediateRunner;
    immediateRunners.set(db, run);
  }
  return run;
}

/** A write waiting for its connection's next commit. */
interface Waiting {
  readonly write: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

const waitingWrites = new WeakMap<SqliteDatabase, Waiting[]>();

/**
 * Runs `fn` in a BEGIN IMMEDIATE transaction: the write lock is taken at the start, so the
 * busy timeout applies (a deferred transaction that upgrades from read to write may fail
 * with SQLITE_BUSY at once when another process wrote in between). Inside another
 * transaction it runs in a savepoint, which a throw rolls back alone. The writes waiting
 * for the connection's next commit (`groupedWrite`) are committed with it, before it; a
 * throw of `fn` rolls back `fn`'s writes only.
 */
export function writeTransaction<T>(db: SqliteDatabase, fn: () => T): T {
  const run = runnerFor(db);
  const waiting = db.inTransaction ? undefined : waitingWrites.get(db);
  if (waiting === undefined || waiting.length === 0) return run(fn);
  waitingWrites.delete(db);
  const outcomes: Outcome[] = [];
  let own: Outcome;
  try {
    own = run(() => {
      // Nested, each runs in a savepoint: a throw rolls back that write alone. An error after
      // which SQLite rolled back the whole transaction (a full disk, an I/O error) leaves
      // none: the writes after it would each commit on their own and the COMMIT here fail, so
      // all of them are given up instead, none having been written.
      for (const w of waiting) {
        outcomes.push(attempt(() => run(w.write)));
        if (!db.inTransaction) throw transactionLost(outcomes[outcomes.length - 1] as Outcome);
      }
      const mine = attempt(() => run(fn));
      if (!db.inTransaction) throw transactionLost(mine);
      return mine;
    });
  } catch (error) {
    // BEGIN or COMMIT failed, or SQLite gave up the transaction under a write: none was written.
    for (const w of waiting) w.reject(error);
    throw error;
  }
  waiting.forEach((w, i) => {
    const outcome = outcomes[i] as Outcome;
    if (outcome.ok) w.resolve(outcome.value);
    else w.reject(outcome.error);
  });
  if (!own.ok) throw own.error;
  return own.value as T;
}

/**
 * Runs `write` (synchronous statements on `db`) in the connection's next commit and
 * resolves with its result once that commit is durable; rejects with its error (its writes
 * rolled back), or with the commit's when the commit itself failed. For writes nobody waits
 * on: the next commit may be a turn of the event loop away.
 */
export function groupedWrite<T>(db: SqliteDatabase, write: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let waiting = waitingWrites.get(db);
    if (waiting === undefined) {
      waiting = [];
      waitingWrites.set(db, waiting);
      setImmediate(() => commitWaiting(db));
    }
    waiting.push({ write, resolve: resolve as (value: unknown) => void, reject });
  });
}

/** Commits the writes still waiting (none started a transaction since they were asked for). */
function commitWaiting(db: SqliteDatabase): void {
  const waiting = waitingWrites.get(db);
  if (waiting === undefined || waiting.length === 0) return;
  if (!db.open) {
    waitingWrites.delete(db);
    const closed = new Error('Databasen ble lukket før skrivingen var lagret');
    for (const w of waiting) w.reject(closed);
    return;
  }
  try {
    writeTransaction(db, () => undefined);
  } catch {
    // Each waiting write was rejected with the commit's error.
  }
}

/** The error that ended a write transaction under a write: its own, where it failed. */
function transactionLost(outcome: Outcome): unknown {
  return outcome.ok ? new Error('Skrivetransaksjonen ble avbrutt før den var lagret') : outcome.error;
}

function attempt(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}
