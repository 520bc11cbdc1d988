/**
 * Contract of the operators' part of the JobQueue port (the failed-jobs page): failed,
 * waiting and delayed jobs are listed with their error and payload, a failed job is
 * retried (it runs again, with its attempts counted afresh) or discarded (gone), and
 * neither touches a job that is not failed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { PermanentJobError, type JobQueue } from '../../src/storage/ports.js';
import type { JobQueueFixture } from './job-queue.js';
import { waitFor, withFixture } from './support.js';

/** Registers the listing, retry and discard tests for one adapter. */
export function jobListingContract(name: string, factory: () => Promise<JobQueueFixture>): void {
  const options = { leaseMs: 30_000, pollMs: 25 };
  const newType = (): string => `test-${randomUUID().slice(0, 8)}`;
  const newId = (what: string): string => `${what}:${randomUUID()}`;
  const isState = (q: JobQueue, id: string, state: string) => async () => (await q.state(id)) === state;

  void describe(`JobQueue listing contract: ${name}`, () => {
    void it('lists a failed job with its error, retries it to success, and refuses to retry it twice', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(options);
        const type = newType();
        const id = newId('notify');
        const payload = { forsendelseId: randomUUID() };
        let runs = 0;
        const worker = q.work(
          {
            [type]: async () => {
              runs++;
              if (runs === 1) throw new PermanentJobError('SMTP svarte 550: mottaker finnes ikke');
            },
          },
          { concurrency: 1 },
        );
        try {
          assert.equal(await q.enqueue({ id, type, payload, maxAttempts: 3 }), true);
          await waitFor('the job to fail', isState(q, id, 'failed'));
          const failed = await q.list('failed', 10);
          assert.equal(failed.length, 1);
          const [job] = failed;
          assert.equal(job?.id, id);
          assert.equal(job?.type, type);
          assert.equal(job?.state, 'failed');
          assert.deepEqual(job?.payload, payload);
          assert.equal(job?.attempts, 1);
          assert.equal(job?.maxAttempts, 3);
          assert.match(job?.lastError ?? '', /550: mottaker finnes ikke/);
          assert.ok((job?.at ?? 0) >= (job?.createdAt ?? Infinity), 'failed after it was created');
          assert.deepEqual(await q.list('waiting', 10), []);

          assert.equal(await q.retry(id), true);
          await waitFor('the retried job to complete', isState(q, id, 'completed'));
          assert.equal(runs, 2);
          assert.deepEqual(await q.list('failed', 10), []);
          assert.equal(await q.retry(id), false, 'a completed job is not retried');
          assert.equal(await q.discard(id), false, 'a completed job is not discarded');
          assert.equal(await q.state(id), 'completed');
          assert.equal(await q.retry(newId('ukjent')), false);
        } finally {
          await worker.stop();
        }
      }));

    void it('discards a failed job, leaving the others', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(options);
        const type = newType();
        const first = newId('print');
        const second = newId('print');
        const worker = q.work(
          {
            [type]: async (job) => {
              throw new PermanentJobError(`feil i ${job.id}`);
            },
          },
          { concurrency: 1 },
        );
        try {
          await q.enqueue({ id: first, type, payload: 1 });
          await waitFor('the first job to fail', isState(q, first, 'failed'));
          await q.enqueue({ id: second, type, payload: 2 });
          await waitFor('the second job to fail', isState(q, second, 'failed'));
        } finally {
          await worker.stop();
        }
        const listed = await q.list('failed', 10);
        assert.deepEqual(
          listed.map((j) => j.id),
          [second, first],
          'newest failure first',
        );
        assert.equal((await q.list('failed', 1)).length, 1, 'the limit holds');
        assert.equal(await q.discard(first), true);
        assert.equal(await q.state(first), undefined);
        assert.equal(await q.discard(first), false);
        assert.deepEqual(
          (await q.list('failed', 10)).map((j) => j.id),
          [second],
        );
        assert.equal((await q.counts()).failed, 1);
      }));

    void it('schedules a retry at most an hour after a failure, whatever backoffMs says', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(options);
        const type = newType();
        const id = newId('krr');
        const worker = q.work(
          {
            [type]: async () => {
              throw new Error('KRR svarer ikke');
            },
          },
          { concurrency: 1 },
        );
        try {
          // Two hours uncapped (src/storage/job-retry.ts caps every wait at one).
          await q.enqueue({ id, type, payload: null, backoffMs: 2 * 3_600_000 });
          await waitFor('the retry to be scheduled', async () =>
            (await q.list('delayed', 10)).some((j) => j.id === id),
          );
        } finally {
          await worker.stop();
        }
        const [job] = (await q.list('delayed', 10)).filter((j) => j.id === id);
        assert.equal(job?.attempts, 1);
        const wait = (job?.at ?? 0) - Date.now();
        assert.ok(wait > 3_500_000 && wait <= 3_600_000, `next attempt in ${Math.round(wait / 1000)} s`);
        await q.cancel(id);
      }));

    void it('shows one job by id while it waits, is retried after a failure or failed for good; not once done', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(options);
        const type = newType();
        const retried = newId('route');
        const lost = newId('print');
        const done = newId('compose');
        const later = newId('deadline');
        const payload = { forsendelseId: randomUUID() };
        const worker = q.work(
          {
            [type]: async (job) => {
              if (job.id === retried) throw new Error('KRR svarer ikke (ECONNREFUSED)');
              if (job.id === lost) throw new PermanentJobError('Utskriftsmappen finnes ikke');
            },
          },
          { concurrency: 1 },
        );
        try {
          await q.enqueue({ id: retried, type, payload, backoffMs: 3_600_000 });
          await q.enqueue({ id: lost, type, payload });
          await q.enqueue({ id: done, type, payload });
          await q.enqueue({ id: later, type, payload, runAt: Date.now() + 3_600_000 });
          await waitFor('the three due jobs to run', async () => {
            const states = await Promise.all([retried, lost, done].map((id) => q.state(id)));
            return states.join() === 'delayed,failed,completed';
          });
        } finally {
          await worker.stop();
        }
        const again = await q.listed(retried);
        assert.equal(again?.state, 'delayed');
        assert.equal(again?.attempts, 1);
        assert.deepEqual(again?.payload, payload);
        assert.match(again?.lastError ?? '', /KRR svarer ikke/);
        assert.ok((again?.at ?? 0) > Date.now() + 3_000_000, 'next try in about an hour');
        const failed = await q.listed(lost);
        assert.equal(failed?.state, 'failed');
        assert.match(failed?.lastError ?? '', /Utskriftsmappen finnes ikke/);
        assert.equal((await q.listed(later))?.state, 'delayed');
        assert.equal((await q.listed(later))?.lastError, undefined);
        assert.equal(await q.listed(done), undefined, 'a completed job is not listed');
        assert.equal(await q.listed(newId('ukjent')), undefined);
        await q.cancel(retried);
      }));

    void it('lists waiting jobs longest-waiting first, and delayed ones apart', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(options);
        const type = newType();
        const older = newId('route');
        const newer = newId('route');
        const later = newId('deadline');
        const now = Date.now();
        // Due at once, one after the other (a runAt in the past means due at enqueue for BullMQ).
        await q.enqueue({ id: older, type, payload: 'a' });
        await new Promise((resolve) => setTimeout(resolve, 20));
        await q.enqueue({ id: newer, type, payload: 'b' });
        await q.enqueue({ id: later, type, payload: 'c', runAt: now + 3_600_000 });
        const waiting = await q.list('waiting', 10);
        assert.deepEqual(
          waiting.map((j) => [j.id, j.state, j.payload]),
          [
            [older, 'waiting', 'a'],
            [newer, 'waiting', 'b'],
          ],
        );
        const dueAt = waiting[0]?.at ?? NaN;
        assert.ok(dueAt >= now - 1000 && dueAt <= Date.now(), 'the due time of the longest-waiting job');
        const delayed = await q.list('delayed', 10);
        assert.deepEqual(
          delayed.map((j) => [j.id, j.state]),
          [[later, 'delayed']],
        );
        assert.ok((delayed[0]?.at ?? 0) >= now + 3_599_000);
        assert.equal(await q.retry(older), false, 'a waiting job is not "retried"');
        assert.equal(await q.discard(later), false, 'a delayed job is cancelled, not discarded');
        assert.equal(await q.state(later), 'delayed');
      }));

    void it('counts a waiting job from its enqueue when its runAt lies further back', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(options);
        const type = newType();
        const first = newId('compose');
        const backdated = newId('print');
        const before = Date.now();
        await q.enqueue({ id: first, type, payload: 'a' });
        await new Promise((resolve) => setTimeout(resolve, 20));
        // A letter's next step is due from the letter's arrival (pendingJobs), an hour back here.
        await q.enqueue({ id: backdated, type, payload: 'b', runAt: before - 3_600_000 });
        const waiting = await q.list('waiting', 10);
        assert.deepEqual(
          waiting.map((j) => [j.id, j.state]),
          [
            [first, 'waiting'],
            [backdated, 'waiting'],
          ],
        );
        const since = waiting[1]?.at ?? NaN;
        assert.ok(
          since >= before && since <= Date.now(),
          `waiting since its enqueue, not an hour: ${before - since} ms`,
        );
      }));
  });
}
