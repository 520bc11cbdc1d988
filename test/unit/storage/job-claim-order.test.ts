/**
 * The embedded job queue's claim: the due jobs of the claimer's types, oldest due first,
 * with a job whose claimant's lease ran out among them by its due time; never a delayed
 * job, a running job whose lease holds, or a job of another type. The claim query takes
 * each kind through its own index (sqlite-job-store.ts); this pins that it still picks the
 * same jobs in the same order as "every claimable job, sorted".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openSqlite, SqliteJobQueue } from '../../../src/storage/sqlite/index.js';
import { SqliteJobClaimer } from '../../../src/storage/sqlite/sqlite-job-store.js';

const LEASE_MS = 60_000;

function queueWithJobs(now: number): { claimer: SqliteJobClaimer; expire(id: string): void } {
  const db = openSqlite(':memory:');
  const queue = new SqliteJobQueue(db);
  // Enqueued out of due order; ids out of order too, so neither insertion nor id decides.
  const jobs: [id: string, type: string, runAt: number][] = [
    ['b-late', 'compose', now - 1_000],
    ['a-delayed', 'compose', now + 60_000],
    ['z-oldest', 'print', now - 9_000],
    ['c-other-type', 'purge', now - 20_000],
    ['m-tie-2', 'compose', now - 5_000],
    ['k-tie-1', 'print', now - 5_000],
    ['x-running', 'compose', now - 7_000],
  ];
  for (const [id, type, runAt] of jobs) queue.enqueueNow({ id, type, payload: { id }, runAt });
  const claimer = new SqliteJobClaimer(db, ['compose', 'print'], LEASE_MS);
  const setLease = db.prepare("UPDATE jobs SET state = 'active', lease_until = ?, lease_token = 't' WHERE id = ?");
  setLease.run(now + LEASE_MS, 'x-running');
  return { claimer, expire: (id) => setLease.run(now - 1, id) };
}

/** The ids of single claims until none is due. */
function claimOneByOne(claimer: SqliteJobClaimer): string[] {
  const ids: string[] = [];
  for (let job = claimer.claim(1)[0]; job !== undefined; job = claimer.claim(1)[0]) ids.push(job.id);
  return ids;
}

void describe('SqliteJobClaimer.claim', () => {
  void it('takes due jobs of its types oldest first, ties by id, and skips delayed, running and foreign ones', () => {
    const { claimer } = queueWithJobs(Date.now());
    assert.deepEqual(claimOneByOne(claimer), ['z-oldest', 'k-tie-1', 'm-tie-2', 'b-late']);
  });

  void it('takes a job whose lease ran out in its place among the queued ones, as a new attempt', () => {
    const { claimer, expire } = queueWithJobs(Date.now());
    expire('x-running');
    assert.deepEqual(claimOneByOne(claimer), ['z-oldest', 'x-running', 'k-tie-1', 'm-tie-2', 'b-late']);
  });

  void it('takes the first `limit` of them in one claim, whichever kind they are', () => {
    const { claimer, expire } = queueWithJobs(Date.now());
    expire('x-running');
    assert.equal(claimer.claim(0).length, 0);
    // One claim's jobs come sorted by id; which jobs they are is what the due order decides.
    assert.deepEqual(
      claimer.claim(3).map((j) => j.id),
      ['k-tie-1', 'x-running', 'z-oldest'],
    );
    assert.deepEqual(
      claimer.claim(10).map((j) => j.id),
      ['b-late', 'm-tie-2'],
    );
  });
});
