/**
 * The JobQueue contract against BullmqJobQueue on a real Redis (127.0.0.1:6379, or
 * REDIS_URL), plus what only this adapter has: id encoding, per-type queues found by a
 * second node, bull-board queues, and a clean obliterate. Every fixture uses its own key
 * prefix and removes all its keys afterwards. Without a Redis answering, the Redis tests
 * are skipped with a message naming REDIS_URL.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { BullmqJobQueue, decodeJobId, encodeJobId } from '../../src/storage/bullmq/index.js';
import { PermanentJobError, type JobQueue } from '../../src/storage/ports.js';
import { jobListingContract } from './job-listing.js';
import { jobQueueContract, type JobQueueFixture, type JobQueueTestOptions } from './job-queue.js';
import { gate, sleep, waitFor, withFixture } from './support.js';
import { redisSkip, redisUrl, sweepKeys } from '../redis-support.js';

const skip = await redisSkip('BullMQ-testene');

/**
 * JobQueue fixture: one unique prefix per fixture, one BullmqJobQueue per open() (each
 * its own "node" with its own connections). crash() drops a queue's connections without
 * letting it record anything. Errors of live queues fail the test at cleanup.
 */
async function bullmqFixture(): Promise<JobQueueFixture & { readonly prefix: string }> {
  const prefix = `budbringer-test-${randomUUID()}`;
  const queues: BullmqJobQueue[] = [];
  const killed = new Set<JobQueue>();
  const errors: string[] = [];
  return {
    prefix,
    async open(options: JobQueueTestOptions) {
      const queue: BullmqJobQueue = new BullmqJobQueue({
        connection: redisUrl,
        prefix,
        lockDurationMs: options.leaseMs,
        onError: (error, source) => {
          if (!killed.has(queue)) errors.push(`${source}: ${error.message}`);
        },
      });
      queues.push(queue);
      return queue;
    },
    async crash(queue: JobQueue) {
      killed.add(queue);
      await (queue as BullmqJobQueue).kill();
    },
    async cleanup() {
      for (const queue of queues) if (!killed.has(queue)) await queue.close();
      const janitor = new BullmqJobQueue({ connection: redisUrl, prefix });
      await janitor.obliterate();
      await janitor.close();
      const leftovers = await sweepKeys(prefix);
      assert.deepEqual(errors, [], 'no Redis or worker errors in live queues');
      assert.equal(leftovers, 0, 'obliterate removes every key of the prefix');
    },
  };
}

void describe('BullMQ job ids', () => {
  const ids = ['notify:0f8e', 'deadline:a:b:c', '42', '-7', '0', '0:x', '1e3', '%3A', 'a%b:c', 'ø:å', ':', 'print: 12'];

  void it('round-trips every id and never gives two ids the same encoding', () => {
    const encoded = ids.map(encodeJobId);
    assert.deepEqual(encoded.map(decodeJobId), ids);
    assert.equal(new Set(encoded).size, ids.length);
  });

  void it('gives ids BullMQ accepts: no colon, not an integer, not "0"', () => {
    for (const id of ids.map(encodeJobId)) {
      assert.ok(!id.includes(':'), id);
      assert.notEqual(`${Number.parseInt(id, 10)}`, id);
    }
    assert.equal(encodeJobId('notify-abc'), 'notify-abc', 'plain ids stay readable in bull-board');
  });
});

// A skipped suite would count as no test at all; one skipped test shows in the summary.
if (skip !== false) void it('BullmqJobQueue on Redis: contract suite', { skip }, () => {});
else
  void describe('BullmqJobQueue on Redis', () => {
    // BullMQ renews a lease at half its length from a timer; 1 s leaves room on a busy CI
    // machine where the suite's 400 ms default could let a live job's lock lapse.
    jobQueueContract('BullmqJobQueue', bullmqFixture, { shortLeaseMs: 1000 });
    jobListingContract('BullmqJobQueue', bullmqFixture);

    void describe('BullmqJobQueue specifics', () => {
      const normal = { leaseMs: 30_000, pollMs: 25 };

      void it('deduplicates ids with colons and integer-like ids', () =>
        withFixture(bullmqFixture, async (fx) => {
          const q = await fx.open(normal);
          for (const id of ['notify:a:b', '42', '0']) {
            assert.equal(await q.enqueue({ id, type: 'notify', payload: id }), true, id);
            assert.equal(await q.enqueue({ id, type: 'notify', payload: 'igjen' }), false, id);
            assert.equal(await q.state(id), 'waiting');
          }
          assert.equal((await q.counts()).waiting, 3);
        }));

      void it('tells which jobs it has in no state, and keeps the latest time it holds the work through', () =>
        withFixture(bullmqFixture, async (fx) => {
          const q = await fx.open(normal);
          const apart = q.apart;
          assert.ok(apart !== undefined, 'a queue apart from the store');
          assert.equal(await apart.heldThrough(), undefined, 'never set');
          await q.enqueue({ id: 'compose:a', type: 'compose', payload: 'a' });
          await q.enqueue({ id: 'deadline:a', type: 'deadline', payload: 'a', runAt: Date.now() + 60_000 });
          const done = await q.enqueue({ id: 'notify:a', type: 'notify', payload: 'a' });
          assert.ok(done);
          const ran = q.work({ notify: async () => {} }, { concurrency: 1 });
          await waitFor('notify:a to complete', async () => (await q.state('notify:a')) === 'completed');
          await ran.stop();
          const asked = ['compose:a', 'deadline:a', 'notify:a', 'compose:b', 'print:a'].map((id) => ({
            id,
            type: id.split(':')[0] ?? '',
            payload: 'x',
          }));
          assert.deepEqual(
            (await apart.missing(asked)).map((j) => j.id),
            ['compose:b', 'print:a'],
            'waiting, delayed and completed jobs are there; the others are not',
          );
          assert.deepEqual(await apart.missing([]), []);
          await apart.markHeldThrough(2000);
          await apart.markHeldThrough(1000);
          assert.equal(await apart.heldThrough(), 2000, 'an earlier time does not replace a later one');
          await apart.markHeldThrough(3000);
          assert.equal(await apart.heldThrough(), 3000);
          // A node whose clock runs ahead cannot put the time in the future, where it would stay
          // and hide the letters written before it from every node's check (review).
          await apart.markHeldThrough(Date.now() + 120_000);
          const held = (await apart.heldThrough()) ?? 0;
          assert.ok(held <= Date.now() + 1_000 && held > Date.now() - 10_000, `held through ${held}, Redis's now`);
        }));

      void it('fills a new or flushed queue once, one process at a time, and records the types again', () =>
        withFixture(bullmqFixture, async (fx) => {
          const q = await fx.open(normal);
          const other = await fx.open(normal);
          const inFill = gate();
          const release = gate();
          const filling = q.fillIfNeeded(async () => {
            inFill.open();
            await release.promise;
            return true;
          });
          await inFill.promise;
          assert.equal(await other.fillIfNeeded(async () => true), 'busy', 'one process fills at a time');
          release.open();
          assert.equal(await filling, 'filled');
          assert.equal(await other.fillIfNeeded(async () => true), 'held');

          await q.enqueue({ id: 'notify:1', type: 'notify', payload: null });
          await sweepKeys(fx.prefix); // a flush, as a Redis restarted without persistence
          let ran = 0;
          assert.equal(
            await q.fillIfNeeded(async () => {
              ran++;
              await q.enqueue({ id: 'notify:2', type: 'notify', payload: null });
              return true;
            }),
            'filled',
          );
          assert.equal(ran, 1);
          assert.equal(await other.state('notify:2'), 'waiting', 'the type is recorded again');
        }));

      void it('a flush during a fill leaves the queue unmarked, and a fill that did not finish is not marked', () =>
        withFixture(bullmqFixture, async (fx) => {
          const q = await fx.open(normal);
          const flushed = await q.fillIfNeeded(async () => {
            await sweepKeys(fx.prefix);
            return true;
          });
          assert.equal(flushed, 'incomplete');
          assert.equal(await q.fillIfNeeded(async () => false), 'incomplete', 'stopped part-way');
          assert.equal(await q.fillIfNeeded(async () => true), 'filled');
          assert.equal(await q.fillIfNeeded(async () => true), 'held');
        }));

      void it('a refill first removes the jobs not running: completed, failed, waiting and delayed', () =>
        withFixture(bullmqFixture, async (fx) => {
          const q = await fx.open(normal);
          assert.equal(await q.fillIfNeeded(async () => true), 'filled');
          await q.enqueue({ id: 'compose:1', type: 'compose', payload: null });
          await q.enqueue({ id: 'print:1', type: 'print', payload: null });
          const worker = q.work(
            {
              compose: async () => {},
              print: async () => {
                throw new PermanentJobError('ingen skriver');
              },
            },
            { concurrency: 2 },
          );
          try {
            await waitFor('both to finish', async () => {
              const c = await q.counts();
              return c.completed === 1 && c.failed === 1;
            });
          } finally {
            await worker.stop();
          }
          await q.enqueue({ id: 'notify:1', type: 'notify', payload: null });
          await q.enqueue({ id: 'deadline:1', type: 'deadline', payload: null, runAt: Date.now() + 60_000 });
          assert.equal(await q.requestRefill({ removeOld: true }), true);
          const seen: (string | undefined)[] = [];
          const outcome = await q.fillIfNeeded(async () => {
            for (const id of ['compose:1', 'print:1', 'notify:1', 'deadline:1']) seen.push(await q.state(id));
            // The restored letter's job of the same id is queued again, no longer blocked by a completed one.
            assert.equal(await q.enqueue({ id: 'compose:1', type: 'compose', payload: 'igjen' }), true);
            return true;
          });
          assert.equal(outcome, 'filled');
          assert.deepEqual(seen, [undefined, undefined, undefined, undefined]);
          assert.equal(await q.state('compose:1'), 'waiting');
          assert.equal(await q.fillIfNeeded(async () => true), 'held');
        }));

      void it('no job runs between a refill request and the removal of the old jobs', () =>
        withFixture(bullmqFixture, async (fx) => {
          const q = await fx.open(normal);
          assert.equal(await q.fillIfNeeded(async () => true), 'filled');
          await q.enqueue({ id: 'notify:gammel', type: 'notify', payload: null });
          assert.equal(await q.requestRefill({ removeOld: true }), true);
          const ran: string[] = [];
          const worker = q.work({ notify: async (job) => void ran.push(job.id) }, { concurrency: 1 });
          try {
            await sleep(500);
            assert.equal(ran.length, 0, 'the old job waits: the queue is paused');
            assert.equal(
              await q.fillIfNeeded(async () => {
                await q.enqueue({ id: 'notify:ny', type: 'notify', payload: null });
                return true;
              }),
              'filled',
            );
            await waitFor('the new job to run', async () => ran.includes('notify:ny'));
          } finally {
            await worker.stop();
          }
          assert.deepEqual(ran, ['notify:ny'], 'the old job was removed, never run');
        }));

      void it('a refill without removal only fills: jobs stay, failed ones too', () =>
        withFixture(bullmqFixture, async (fx) => {
          const q = await fx.open(normal);
          assert.equal(await q.fillIfNeeded(async () => true), 'filled');
          await q.enqueue({ id: 'deadline:1', type: 'deadline', payload: null, runAt: Date.now() + 60_000 });
          assert.equal(await q.requestRefill({ removeOld: false }), true);
          let ran = false;
          assert.equal(await q.fillIfNeeded(async () => (ran = true)), 'filled');
          assert.equal(ran, true);
          assert.equal(await q.state('deadline:1'), 'delayed');
        }));

      void it('stop waits for every job taken, also those waiting for a slot, however long they run', () =>
        withFixture(bullmqFixture, async (fx) => {
          const q = await fx.open(normal);
          const started: string[] = [];
          const finished: string[] = [];
          const firstIn = gate();
          const slow = async (id: string, ms: number) => {
            started.push(id);
            if (id === 'a:1') firstIn.open();
            await sleep(ms);
            finished.push(id);
          };
          // One slot, two types: each type's worker takes a job, the second waits for the slot.
          const worker = q.work(
            { a: async (job) => slow(job.id, 300), b: async (job) => slow(job.id, 6_000) },
            { concurrency: 1 },
          );
          await q.enqueue({ id: 'a:1', type: 'a', payload: null });
          await firstIn.promise;
          await q.enqueue({ id: 'b:1', type: 'b', payload: null });
          await waitFor('the second job to be taken', async () => (await q.state('b:1')) === 'active');
          await worker.stop();
          assert.deepEqual(finished, ['a:1', 'b:1'], 'both ran to the end before stop resolved');
          assert.equal(await q.state('b:1'), 'completed');
        }));

      void it('a refill asked for during a fill is done by the next one', () =>
        withFixture(bullmqFixture, async (fx) => {
          const q = await fx.open(normal);
          const other = await fx.open(normal);
          assert.equal(
            await q.fillIfNeeded(async () => {
              await other.requestRefill({ removeOld: true });
              return true;
            }),
            'filled',
          );
          let ran = false;
          assert.equal(await q.fillIfNeeded(async () => (ran = true)), 'filled');
          assert.equal(ran, true);
          assert.equal(await q.fillIfNeeded(async () => true), 'held');
        }));

      void it('lets another node find, count and cancel jobs of types it never used', () =>
        withFixture(bullmqFixture, async (fx) => {
          const first = await fx.open(normal);
          const second = await fx.open(normal);
          await first.enqueue({ id: 'deadline:1', type: 'deadline', payload: null, runAt: Date.now() + 60_000 });
          await first.enqueue({ id: 'archive:1', type: 'archive', payload: null });
          assert.equal(await second.state('deadline:1'), 'delayed');
          assert.deepEqual(await second.counts(), { waiting: 1, delayed: 1, active: 0, completed: 0, failed: 0 });
          assert.equal(await second.cancel('deadline:1'), true);
          assert.equal(await first.state('deadline:1'), undefined);
        }));

      void it('gives bull-board one queue per job type, keeps completed and failed jobs', () =>
        withFixture(bullmqFixture, async (fx) => {
          const q = (await fx.open(normal)) as BullmqJobQueue;
          await q.enqueue({ id: 'notify:ok', type: 'notify', payload: null });
          await q.enqueue({ id: 'print:nei', type: 'print', payload: null });
          const worker = q.work(
            {
              notify: async () => {},
              print: async () => {
                throw new PermanentJobError('ukjent printleverandør');
              },
            },
            { concurrency: 2 },
          );
          try {
            await waitFor('both jobs to finish', async () => {
              const c = await q.counts();
              return c.completed === 1 && c.failed === 1;
            });
          } finally {
            await worker.stop();
          }
          const boards = await q.queuesForBoard();
          assert.deepEqual(boards.map((b) => b.name).sort(), ['budbringer.notify', 'budbringer.print']);
          const print = boards.find((b) => b.name === 'budbringer.print');
          const failed = await print?.getJob(encodeJobId('print:nei'));
          assert.equal(failed?.failedReason, 'ukjent printleverandør');
          const notify = boards.find((b) => b.name === 'budbringer.notify');
          const completed = await notify?.getJob(encodeJobId('notify:ok'));
          assert.deepEqual(
            completed?.opts.removeOnComplete,
            { age: 93 * 24 * 3600 },
            'completed jobs kept for the retention',
          );
          assert.equal(completed?.opts.removeOnFail, false);
        }));
    });
  });
