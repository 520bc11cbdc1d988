/**
 * Contract of the JobQueue port. Side effects and the 2-day deadline are jobs with
 * deterministic ids (docs/architecture.md), so the suite pins: idempotent enqueue, due times,
 * retries with exponential backoff, PermanentJobError, the concurrency limit, leases (a
 * dead worker's job is taken over; a live worker's is not), two instances on one storage
 * never running a job twice, and stop() waiting for jobs in flight.
 *
 * Time-based checks only bound from below (a job never runs early, a retry never comes
 * before its backoff) or wait generously, so that a loaded machine slows them down
 * without failing them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { PermanentJobError } from '../../src/storage/ports.js';
import type { JobQueue, JobRun } from '../../src/storage/ports.js';
import { gate, sleep, waitFor, withFixture } from './support.js';

/** Timing a queue under test is opened with. */
export interface JobQueueTestOptions {
  /** How long a claimed job stays reserved without renewal. */
  readonly leaseMs: number;
  /** How often an idle worker looks for due jobs (adapters that block instead may ignore it). */
  readonly pollMs: number;
}

/** What a job queue adapter's factory gives the suite: fresh, empty storage per call. */
export interface JobQueueFixture {
  /** Opens a queue instance on the fixture's storage; each call is another "process". */
  open(options: JobQueueTestOptions): Promise<JobQueue>;
  /**
   * Makes `queue` behave as if its process were killed with SIGKILL: it renews no lease
   * and records nothing more. Its handlers in flight may stay pending; the test releases
   * them before cleanup.
   */
  crash(queue: JobQueue): Promise<void>;
  /** Closes every queue opened (stopping their workers) and removes the storage. */
  cleanup(): Promise<void>;
}

/** Timing of the suite; an adapter whose engine needs longer leases may raise them. */
export interface JobQueueSuiteTiming {
  /** Poll interval of every queue in the suite. */
  readonly pollMs: number;
  /** Lease of queues whose leases must not expire during a test. */
  readonly leaseMs: number;
  /** Lease of queues in the lease tests: a dead worker's job is taken over after this. */
  readonly shortLeaseMs: number;
}

const DEFAULT_TIMING: JobQueueSuiteTiming = { pollMs: 25, leaseMs: 30_000, shortLeaseMs: 400 };

/** Registers the JobQueue contract tests for one adapter. */
export function jobQueueContract(
  name: string,
  factory: () => Promise<JobQueueFixture>,
  timing: Partial<JobQueueSuiteTiming> = {},
): void {
  const t: JobQueueSuiteTiming = { ...DEFAULT_TIMING, ...timing };
  const normal: JobQueueTestOptions = { leaseMs: t.leaseMs, pollMs: t.pollMs };
  const short: JobQueueTestOptions = { leaseMs: t.shortLeaseMs, pollMs: t.pollMs };
  const newType = (): string => `test-${randomUUID().slice(0, 8)}`;
  const newId = (what: string): string => `${what}:${randomUUID()}`;
  const isState = (q: JobQueue, id: string, state: string) => async () => (await q.state(id)) === state;

  void describe(`JobQueue contract: ${name}`, () => {
    void it('runs an enqueued job once with its payload and marks it completed', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(normal);
        const type = newType();
        const id = newId('notify');
        const payload = { forsendelse: 'ø-1', liste: [1, null, 'x'], flagg: true };
        const runs: JobRun[] = [];
        const worker = q.work({ [type]: async (job) => void runs.push(job) }, { concurrency: 1 });
        try {
          assert.equal(await q.enqueue({ id, type, payload }), true);
          await waitFor('the job to complete', isState(q, id, 'completed'));
        } finally {
          await worker.stop();
        }
        assert.deepEqual(runs, [{ id, type, payload, attempt: 1 }]);
        assert.deepEqual(await q.counts(), { waiting: 0, delayed: 0, active: 0, completed: 1, failed: 0 });
        assert.equal(await q.state(newId('ukjent')), undefined);
      }));

    void it('ignores enqueuing an existing id, before and after it ran', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(normal);
        const type = newType();
        const id = newId('deadline');
        assert.equal(await q.enqueue({ id, type, payload: 'first' }), true);
        assert.equal(await q.enqueue({ id, type, payload: 'second' }), false);
        assert.equal(await q.state(id), 'waiting');
        assert.equal((await q.counts()).waiting, 1);
        const payloads: unknown[] = [];
        const worker = q.work({ [type]: async (job) => void payloads.push(job.payload) }, { concurrency: 1 });
        try {
          await waitFor('the job to complete', isState(q, id, 'completed'));
          assert.equal(await q.enqueue({ id, type, payload: 'third' }), false, 'a completed job keeps its id');
          await sleep(t.pollMs * 5 + 100);
        } finally {
          await worker.stop();
        }
        assert.deepEqual(payloads, ['first']);
        assert.equal(await q.state(id), 'completed');
      }));

    void it('fills from the store when it may lack its work, then holds it until a refill is asked for', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(normal);
        const other = await fx.open(normal);
        let fills = 0;
        const fill = async (held: () => boolean): Promise<boolean> => {
          fills++;
          assert.equal(held(), true);
          return true;
        };
        const first = await q.fillIfNeeded(fill);
        assert.ok(first === 'held' || first === 'filled', first);
        const before = fills;
        assert.equal(await q.fillIfNeeded(fill), 'held');
        assert.equal(await other.fillIfNeeded(fill), 'held', 'every process sees the mark');
        assert.equal(fills, before, 'a queue that holds its work is not filled again');
        if (await other.requestRefill({ removeOld: true })) {
          assert.equal(await q.fillIfNeeded(fill), 'filled');
          assert.equal(fills, before + 1);
          assert.equal(await q.fillIfNeeded(fill), 'held');
        } else {
          assert.equal(await q.fillIfNeeded(fill), 'held', "a queue in the store's database always holds its work");
          assert.equal(fills, 0);
        }
      }));

    void it('reports waiting and delayed jobs, and cancels only those', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(normal);
        const type = newType();
        const later = newId('later');
        const now = newId('now');
        assert.equal(await q.enqueue({ id: later, type, payload: null, runAt: Date.now() + 60_000 }), true);
        assert.equal(await q.enqueue({ id: now, type, payload: null }), true);
        assert.equal(await q.state(later), 'delayed');
        assert.equal(await q.state(now), 'waiting');
        assert.deepEqual(await q.counts(), { waiting: 1, delayed: 1, active: 0, completed: 0, failed: 0 });
        assert.equal(await q.cancel(later), true);
        assert.equal(await q.state(later), undefined);
        assert.equal(await q.cancel(later), false);
        assert.equal(await q.cancel(newId('ukjent')), false);
        assert.equal(
          await q.enqueue({ id: later, type, payload: null, runAt: Date.now() + 60_000 }),
          true,
          'a cancelled id is free again',
        );

        const running = gate();
        const release = gate();
        const worker = q.work(
          {
            [type]: async () => {
              running.open();
              await release.promise;
            },
          },
          { concurrency: 1 },
        );
        try {
          await running.promise;
          assert.equal(await q.state(now), 'active');
          assert.equal(await q.cancel(now), false, 'a running job is not cancelled');
          release.open();
          await waitFor('the job to complete', isState(q, now, 'completed'));
          assert.equal(await q.cancel(now), false, 'a completed job is not cancelled');
          assert.equal(await q.state(now), 'completed');
        } finally {
          release.open();
          await worker.stop();
        }
      }));

    void it('does not run a job before its runAt', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(normal);
        const type = newType();
        const id = newId('frist');
        let startedAt = 0;
        const worker = q.work({ [type]: async () => void (startedAt = Date.now()) }, { concurrency: 1 });
        try {
          const runAt = Date.now() + 400;
          await q.enqueue({ id, type, payload: null, runAt });
          assert.equal(await q.state(id), 'delayed');
          await waitFor('the delayed job to complete', isState(q, id, 'completed'));
          assert.ok(startedAt >= runAt, `started ${runAt - startedAt} ms early`);
        } finally {
          await worker.stop();
        }
      }));

    void it('runs a job enqueued in the same process without waiting for the next poll', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open({ ...normal, pollMs: 120_000 });
        const type = newType();
        const ids = [newId('a'), newId('b'), newId('c')];
        const seen: string[] = [];
        const worker = q.work({ [type]: async (job) => void seen.push(job.id) }, { concurrency: 1 });
        try {
          await sleep(50);
          for (const id of ids) await q.enqueue({ id, type, payload: null });
          await waitFor('all three jobs to complete', async () => (await q.counts()).completed === 3);
        } finally {
          await worker.stop();
        }
        assert.deepEqual([...seen].sort(), [...ids].sort());
      }));

    void it('retries a failing job with exponential backoff, then keeps it failed', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(normal);
        const type = newType();
        const id = newId('print');
        const runs: { attempt: number; at: number }[] = [];
        const worker = q.work(
          {
            [type]: async (job) => {
              runs.push({ attempt: job.attempt, at: Date.now() });
              throw new Error('leverandøren svarer ikke');
            },
          },
          { concurrency: 1 },
        );
        try {
          await q.enqueue({ id, type, payload: null, maxAttempts: 3, backoffMs: 150 });
          await waitFor('the job to fail', isState(q, id, 'failed'));
          await sleep(t.pollMs * 5 + 400);
        } finally {
          await worker.stop();
        }
        assert.deepEqual(
          runs.map((r) => r.attempt),
          [1, 2, 3],
          'exactly maxAttempts runs',
        );
        const [first, second, third] = runs;
        assert.ok(second!.at - first!.at >= 150 - 5, `first retry after ${second!.at - first!.at} ms, backoff 150`);
        assert.ok(
          third!.at - second!.at >= 300 - 5,
          `second retry after ${third!.at - second!.at} ms, backoff doubled to 300`,
        );
        assert.equal(await q.state(id), 'failed');
        assert.equal((await q.counts()).failed, 1);
      }));

    void it('completes a job that succeeds on a retry', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(normal);
        const type = newType();
        const id = newId('varsel');
        const attempts: number[] = [];
        const worker = q.work(
          {
            [type]: async (job) => {
              attempts.push(job.attempt);
              if (job.attempt === 1) throw new Error('SMTP 451');
            },
          },
          { concurrency: 1 },
        );
        try {
          await q.enqueue({ id, type, payload: null, backoffMs: 20 });
          await waitFor('the job to complete', isState(q, id, 'completed'));
        } finally {
          await worker.stop();
        }
        assert.deepEqual(attempts, [1, 2]);
      }));

    void it('retries a job whose spec names no limit well past ten failures: a dependency away for long is waited out', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(normal);
        const type = newType();
        const id = newId('krr');
        const attempts: number[] = [];
        const worker = q.work(
          {
            [type]: async (job) => {
              attempts.push(job.attempt);
              if (job.attempt < 15) throw new Error('KRR svarer ikke');
            },
          },
          { concurrency: 1 },
        );
        try {
          // Until 6 December 2026 the default was 10 attempts: the letter stayed undelivered.
          await q.enqueue({ id, type, payload: null, backoffMs: 0 });
          await waitFor('the job to complete', isState(q, id, 'completed'));
        } finally {
          await worker.stop();
        }
        assert.deepEqual(
          attempts,
          Array.from({ length: 15 }, (_, i) => i + 1),
        );
      }));

    void it('fails a job at once on PermanentJobError', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(normal);
        const type = newType();
        const id = newId('svarinn');
        let runs = 0;
        const worker = q.work(
          {
            [type]: async () => {
              runs += 1;
              throw new PermanentJobError('ukjent mottaker');
            },
          },
          { concurrency: 1 },
        );
        try {
          await q.enqueue({ id, type, payload: null, maxAttempts: 5, backoffMs: 10 });
          await waitFor('the job to fail', isState(q, id, 'failed'));
          await sleep(t.pollMs * 5 + 200);
        } finally {
          await worker.stop();
        }
        assert.equal(runs, 1);
        assert.equal(await q.state(id), 'failed');
      }));

    void it('runs at most `concurrency` jobs at once, and that many when there is work', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(normal);
        const type = newType();
        for (let i = 0; i < 8; i++) await q.enqueue({ id: newId(`c${i}`), type, payload: i });
        let inFlight = 0;
        let peak = 0;
        const worker = q.work(
          {
            [type]: async () => {
              inFlight += 1;
              peak = Math.max(peak, inFlight);
              await sleep(100);
              inFlight -= 1;
            },
          },
          { concurrency: 3 },
        );
        try {
          await waitFor('all jobs to complete', async () => (await q.counts()).completed === 8);
        } finally {
          await worker.stop();
        }
        assert.equal(peak, 3);
      }));

    void it('takes only jobs of the types it has handlers for', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(normal);
        const mine = newType();
        const theirs = newType();
        const a = newId('a');
        const b = newId('b');
        await q.enqueue({ id: b, type: theirs, payload: null });
        await q.enqueue({ id: a, type: mine, payload: null });
        const ran: string[] = [];
        const first = q.work({ [mine]: async (job) => void ran.push(job.id) }, { concurrency: 2 });
        try {
          await waitFor('own job to complete', isState(q, a, 'completed'));
          await sleep(t.pollMs * 5 + 100);
          assert.equal(await q.state(b), 'waiting');
        } finally {
          await first.stop();
        }
        const second = q.work({ [theirs]: async (job) => void ran.push(job.id) }, { concurrency: 1 });
        try {
          await waitFor('the other job to complete', isState(q, b, 'completed'));
        } finally {
          await second.stop();
        }
        assert.deepEqual(ran, [a, b]);
      }));

    void it('never runs a job twice when two queue instances work the same storage', () =>
      withFixture(factory, async (fx) => {
        const q1 = await fx.open(normal);
        const q2 = await fx.open(normal);
        const type = newType();
        const ids = Array.from({ length: 40 }, (_, i) => newId(`j${i}`));
        const runs = new Map<string, number>();
        const running = new Set<string>();
        const overlaps: string[] = [];
        const handler = async (job: JobRun): Promise<void> => {
          if (running.has(job.id)) overlaps.push(job.id);
          running.add(job.id);
          runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
          await sleep(5 + (job.id.charCodeAt(job.id.length - 1) % 10));
          running.delete(job.id);
        };
        const w1 = q1.work({ [type]: handler }, { concurrency: 4 });
        const w2 = q2.work({ [type]: handler }, { concurrency: 4 });
        try {
          for (const [i, id] of ids.entries()) await (i % 2 === 0 ? q1 : q2).enqueue({ id, type, payload: i });
          await waitFor('all jobs to complete', async () => (await q1.counts()).completed === ids.length);
          await sleep(t.pollMs * 5 + 100);
        } finally {
          await Promise.all([w1.stop(), w2.stop()]);
        }
        assert.deepEqual(overlaps, []);
        assert.deepEqual([...runs.keys()].sort(), [...ids].sort());
        assert.deepEqual(
          [...runs.values()].filter((n) => n !== 1),
          [],
          'each job ran exactly once',
        );
      }));

    void it("hands a dead worker's job to another after its lease expires", () =>
      withFixture(factory, async (fx) => {
        const doomed = await fx.open(short);
        const survivor = await fx.open(short);
        const type = newType();
        const id = newId('kill');
        const hang = gate();
        const started = gate();
        const doomedRuns: number[] = [];
        const survivorRuns: number[] = [];
        const w1 = doomed.work(
          {
            [type]: async (job) => {
              doomedRuns.push(job.attempt);
              started.open();
              await hang.promise;
            },
          },
          { concurrency: 1 },
        );
        let w2: ReturnType<JobQueue['work']> | undefined;
        try {
          await doomed.enqueue({ id, type, payload: 'x', maxAttempts: 3 });
          await started.promise;
          await fx.crash(doomed);
          w2 = survivor.work({ [type]: async (job) => void survivorRuns.push(job.attempt) }, { concurrency: 1 });
          await waitFor('the survivor to complete the job', isState(survivor, id, 'completed'));
        } finally {
          hang.open();
          await w2?.stop();
          await w1.stop().catch(() => undefined);
        }
        assert.deepEqual(doomedRuns, [1]);
        assert.deepEqual(survivorRuns, [2], 'the take-over counts as the next attempt');
      }));

    void it('runs a job whose workers died four times in a row, as the next attempt each time: a death is no failure of the job (BullMQ failed it for good after 3; found in review)', () =>
      withFixture(factory, async (fx) => {
        const type = newType();
        const id = newId('fire');
        const runs: number[] = [];
        const hang = gate();
        const stops: Array<ReturnType<JobQueue['work']>> = [];
        try {
          for (let death = 0; death < 4; death++) {
            const doomed = await fx.open(short);
            if (death === 0) await doomed.enqueue({ id, type, payload: null });
            const started = gate();
            stops.push(
              doomed.work(
                {
                  [type]: async (job) => {
                    runs.push(job.attempt);
                    started.open();
                    await hang.promise;
                  },
                },
                { concurrency: 1 },
              ),
            );
            await started.promise;
            await fx.crash(doomed);
          }
          const survivor = await fx.open(short);
          stops.push(survivor.work({ [type]: async (job) => void runs.push(job.attempt) }, { concurrency: 1 }));
          await waitFor('the fifth worker to complete the job', isState(survivor, id, 'completed'));
        } finally {
          hang.open();
          for (const w of stops) await w.stop().catch(() => undefined);
        }
        assert.deepEqual(runs, [1, 2, 3, 4, 5]);
      }));

    void it("does not hand over a live worker's job that runs longer than the lease", () =>
      withFixture(factory, async (fx) => {
        const q1 = await fx.open(short);
        const q2 = await fx.open(short);
        const type = newType();
        const id = newId('lang');
        const runs: string[] = [];
        const started = gate();
        const slow = (who: string) => async () => {
          runs.push(who);
          started.open();
          await sleep(t.shortLeaseMs * 3);
        };
        const w1 = q1.work({ [type]: slow('q1') }, { concurrency: 1 });
        let w2: ReturnType<JobQueue['work']> | undefined;
        try {
          await q1.enqueue({ id, type, payload: null });
          await started.promise;
          w2 = q2.work({ [type]: slow('q2') }, { concurrency: 1 });
          await waitFor('the job to complete', isState(q1, id, 'completed'));
          await sleep(t.pollMs * 5 + 100);
        } finally {
          await Promise.all([w1.stop(), w2?.stop()]);
        }
        assert.deepEqual(runs, ['q1'], 'the running worker renews its lease');
      }));

    void it('stop() waits for jobs in flight and takes no new ones', () =>
      withFixture(factory, async (fx) => {
        const q = await fx.open(normal);
        const type = newType();
        const first = newId('first');
        const second = newId('second');
        const started = gate();
        let finished = false;
        let runs = 0;
        const worker = q.work(
          {
            [type]: async () => {
              runs += 1;
              started.open();
              await sleep(300);
              finished = true;
            },
          },
          { concurrency: 2 },
        );
        await q.enqueue({ id: first, type, payload: null });
        await started.promise;
        const stopping = worker.stop();
        assert.equal(finished, false);
        await stopping;
        assert.equal(finished, true, 'stop() resolved before the job finished');
        assert.equal(await q.state(first), 'completed', 'the outcome is recorded before stop() resolves');
        await q.enqueue({ id: second, type, payload: null });
        await sleep(t.pollMs * 5 + 100);
        assert.equal(await q.state(second), 'waiting');
        assert.equal(runs, 1);
      }));
  });
}
