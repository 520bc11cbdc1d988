/**
 * The jobs a forsendelse's state asks for: work due now is due from the letter's arrival,
 * so that the embedded queue, which runs the oldest due time first, finishes letters in
 * the order they came (a letter's print before a later letter's compose); timed work keeps
 * its own time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pendingJobs } from '../../../src/actors/forsendelse-actor.js';
import type { WorkPolicy } from '../../../src/domain/pending-work.js';
import { openSqlite, SqliteJobQueue } from '../../../src/storage/sqlite/index.js';
import { SqliteJobClaimer } from '../../../src/storage/sqlite/sqlite-job-store.js';
import { DAY, FRIST, T0, ev, existing, upTo } from '../domain/given.js';

const policy: WorkPolicy = { purgeAt: (sentAt) => sentAt + 90 * DAY };

void describe('pendingJobs', () => {
  void it("gives work due now the letter's arrival as its due time, and timed work its own", () => {
    const mottatt = existing(upTo.mottatt());
    assert.deepEqual(
      pendingJobs(mottatt, policy).map((j) => [j.type, j.runAt]),
      [['compose', mottatt.mottattAt]],
    );
    const varslet = existing(upTo.varslet());
    const jobs = new Map(pendingJobs(varslet, policy).map((j) => [j.type, j.runAt]));
    assert.equal(jobs.get('deadline'), FRIST);
    assert.ok((jobs.get('purge') ?? 0) > T0 + 89 * DAY);
  });

  void it("lets an earlier letter's print job run before a later letter's compose job", () => {
    const db = openSqlite(':memory:');
    const queue = new SqliteJobQueue(db);
    // The earlier letter has been composed and goes on paper: its print job is enqueued now,
    // behind the compose job of a letter that came in a minute after it (a backlog).
    // (The given histories are dated in 2027: moved to two and one minutes ago, so both are due.)
    const earlier = { ...existing([...upTo.akseptert(), ev.kanalValgt('print')]), mottattAt: Date.now() - 120_000 };
    const later = { ...existing(upTo.mottatt()), id: 'later-letter', mottattAt: earlier.mottattAt + 60_000 };
    for (const job of pendingJobs(later, policy)) queue.enqueueNow(job);
    const print = pendingJobs(earlier, policy);
    assert.deepEqual(
      print.map((j) => j.type),
      ['print'],
    );
    for (const job of print) queue.enqueueNow(job);
    const claimer = new SqliteJobClaimer(db, ['compose', 'print'], 60_000);
    assert.deepEqual(
      [claimer.claim(1)[0]?.id, claimer.claim(1)[0]?.id],
      [`print:${earlier.id}`, 'compose:later-letter'],
    );
  });
});
