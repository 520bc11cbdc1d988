/**
 * JobQueue on BullMQ/Redis for cluster mode (docs/architecture.md "Cluster"): jobs and the 2-day
 * deadline live in Redis, so any node may run them and none is lost when a node dies.
 *
 * Layout: one BullMQ queue per job type, named `<queueName>.<type>`, under `prefix`.
 * A BullMQ worker cannot skip jobs it has no handler for, so per-type queues are what let
 * `work()` consume only the handlers' types (a web-only node, or a node given a subset of
 * the registry, never takes a job it cannot run); bull-board shows one queue per job type.
 * The set `<prefix>:<queueName>:types` lists the types ever used, so `state`, `cancel` and
 * `counts` find jobs that another node enqueued.
 *
 * Deduplication: the BullMQ job id is the (encoded) JobSpec id; BullMQ's add script keeps
 * the existing job when the id exists in any state. Ids are unique per type (our ids carry
 * their type, `notify:<uuid>`): the same id under two types lands in two queues.
 */
import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job, type MinimalJob } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import {
  PermanentJobError,
  type FillOutcome,
  type JobHandler,
  type JobListing,
  type JobQueue,
  type JobSpec,
  type JobState,
  type JobWorker,
  type ListedJobState,
  type QueueApartFromStore,
  type WorkOptions,
} from '../ports.js';
import { DEFAULT_BACKOFF_MS, DEFAULT_MAX_ATTEMPTS, retryDelayMs } from '../job-retry.js';
import { listBullmqJobs, toListing } from './bullmq-job-listing.js';
import { quit } from '../redis/quit-redis.js';
import { asError, readJobData, toJobState, type StoredJobData } from './bullmq-job-data.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { encodeJobId } from './job-id.js';
import { settlesWithin } from '../time-bound.js';
import {
  fillIfNeeded,
  fillKeys,
  heldThrough,
  markHeldThrough,
  requestRefill,
  type FillContext,
  type FillKeys,
} from './queue-fill.js';

/** How long a worker's close may take once its jobs are done before its connection is dropped. */
const CLOSE_GRACE_MS = 5_000;

/** Three months and a day: documents are kept 3 months (docs/architecture.md "Retention"). */
const DEFAULT_KEEP_COMPLETED_SECONDS = 93 * 24 * 3600;

/** Settings for BullmqJobQueue. */
export interface BullmqJobQueueOptions {
  /** `redis://…` URL (REDIS_URL) or ioredis options. */
  readonly connection: string | RedisOptions;
  /** Key prefix for every queue (QUEUE_PREFIX); tests use a unique one each. */
  readonly prefix: string;
  /** Base name of the per-type queues; default `budbringer`. */
  readonly queueName?: string;
  /** Job types whose queues exist from the start (so bull-board lists them at once). */
  readonly types?: readonly string[];
  /**
   * How long a completed job is kept, in seconds. While kept, re-enqueueing its id is a
   * no-op; once BullMQ drops it, the same id would run again. Each kept job costs roughly
   * 0.5–2 KB of Redis memory. Default 93 days, the document retention.
   */
  readonly keepCompletedSeconds?: number;
  /**
   * Times a job may be found stalled (its node died mid-run, or died holding it at the
   * concurrency gate) before it fails; default DEFAULT_MAX_ATTEMPTS, as a retry. With
   * BullMQ's 3, a node killed a few times in a row failed for good jobs that had never
   * failed, and their letters stayed MOTTATT (found in review): a death is no failure of the
   * job, and the store's queue counts a lapsed lease as the next attempt too.
   */
  readonly maxStalledCount?: number;
  /**
   * The lease: how long a running job stays locked to its worker without renewal (the
   * worker's heartbeat renews it every quarter lease while the handler runs, so a live
   * node keeps it through a stall of ¾ lease). Default 8 000 ms.
   */
  readonly lockDurationMs?: number;
  /**
   * How often workers look for jobs whose lease expired (a dead node's) and put them back.
   * A dead node's job is taken over within about one interval after its lease ran out.
   * Default: a quarter lease.
   */
  readonly stalledIntervalMs?: number;
  /** Clock for turning `runAt` into a delay; default Date.now. */
  readonly now?: () => number;
  /** Receives connection and worker errors (docs/architecture.md, conventions: every Queue/Worker has one). */
  readonly onError?: (error: Error, source: string) => void;
}

/** BullMQ/Redis implementation of the JobQueue port. */
export class BullmqJobQueue implements JobQueue {
  readonly #options: BullmqJobQueueOptions;
  readonly #queueName: string;
  readonly #typesKey: string;
  readonly #fillKeys: FillKeys;
  readonly #producer: Redis;
  #consumer: Redis | undefined;
  readonly #queues = new Map<string, Queue>();
  readonly #registered = new Set<string>();
  readonly #workers = new Set<Worker>();
  readonly #now: () => number;
  readonly #onError: (error: Error, source: string) => void;

  constructor(options: BullmqJobQueueOptions) {
    this.#options = options;
    this.#queueName = options.queueName ?? 'budbringer';
    if (this.#queueName.includes(':')) throw new Error('queueName kan ikke inneholde «:»');
    this.#typesKey = `${options.prefix}:${this.#queueName}:types`;
    this.#fillKeys = fillKeys(options.prefix, this.#queueName);
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? ((error, source) => console.error(`[bullmq ${source}]`, error));
    // Producer commands fail after ioredis' default retries instead of hanging while
    // Redis is away, so an HTTP request that enqueues gets an error it can report.
    this.#producer = this.#createClient({});
    for (const type of options.types ?? []) this.#queueFor(type);
  }

  /** Adds the job unless one with that id exists; true when this call added it. */
  async enqueue(job: JobSpec): Promise<boolean> {
    if (job.type.length === 0) throw new Error('Jobbtype kan ikke være tom');
    await this.#registerType(job.type);
    const queue = this.#queueFor(job.type);
    const jobId = encodeJobId(job.id);
    const nonce = randomUUID();
    const data: StoredJobData = { id: job.id, payload: job.payload, nonce };
    const delay = job.runAt === undefined ? 0 : Math.max(0, Math.ceil(job.runAt - this.#now()));
    await queue.add(job.type, data, {
      jobId,
      ...(delay > 0 ? { delay } : {}),
      attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      // The first retry after backoffMs, doubled each time up to an hour (job-retry.ts): the
      // workers' backoffStrategy; BullMQ's own 'exponential' has no cap.
      backoff: { type: CAPPED_BACKOFF, delay: job.backoffMs ?? DEFAULT_BACKOFF_MS },
      removeOnComplete: { age: this.#options.keepCompletedSeconds ?? DEFAULT_KEEP_COMPLETED_SECONDS },
      removeOnFail: false,
    });
    // On a duplicate id BullMQ returns the existing job's id and leaves its data alone,
    // so the stored nonce says whether this call added the job. A job already gone again
    // (cancelled in between) can only be ours or one we cannot tell apart: count it added.
    const stored = await queue.getJob(jobId);
    return stored === undefined || readJobData(stored).nonce === nonce;
  }

  /** Removes a waiting or delayed job; true when removed. */
  async cancel(id: string): Promise<boolean> {
    const found = await this.#find(id);
    if (found === undefined || (found.state !== 'waiting' && found.state !== 'delayed')) return false;
    // Queue.remove refuses (0) a job a worker has locked meanwhile. A job that went from
    // waiting to completed between the two calls would be removed as well; that window is
    // a whole job run, and the only effect is that its id could be enqueued again.
    return (await found.queue.remove(encodeJobId(id))) === 1;
  }

  /** Starts one BullMQ Worker per handler type, sharing one concurrency bound. */
  work(handlers: Readonly<Record<string, JobHandler>>, options: WorkOptions): JobWorker {
    const gate = new ConcurrencyGate(options.concurrency);
    const consumer = this.#consumerClient();
    const workers: Worker[] = [];
    const running = new Set<Promise<void>>();
    for (const [type, handler] of Object.entries(handlers)) {
      this.#queueFor(type);
      void this.#registerType(type).catch((error: unknown) => this.#onError(asError(error), `types ${type}`));
      const worker = new Worker(
        this.#bullQueueName(type),
        (job: Job) => {
          // Counted from the moment BullMQ hands it over, the wait at the gate included:
          // stop() waits for every job taken, not only those past the gate.
          const run = (async () => {
            const data = readJobData(job);
            const release = await gate.acquire();
            try {
              // attemptsStarted counts every start, the current one included, so a run that
              // takes over a dead node's job is the next attempt, as is a retry.
              const attempt = Math.max(job.attemptsStarted, job.attemptsMade + 1);
              await handler({ id: data.id, type, payload: data.payload, attempt });
            } catch (error) {
              // UnrecoverableError makes BullMQ fail the job at once, whatever attempts remain.
              if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
              throw error;
            } finally {
              release();
            }
          })();
          const settled = run.then(
            () => undefined,
            () => undefined,
          );
          running.add(settled);
          void settled.finally(() => running.delete(settled));
          return run;
        },
        {
          connection: consumer,
          prefix: this.#options.prefix,
          concurrency: options.concurrency,
          maxStalledCount: this.#options.maxStalledCount ?? DEFAULT_MAX_ATTEMPTS,
          settings: { backoffStrategy: cappedBackoff },
          lockDuration: this.#lockDurationMs(),
          lockRenewTime: this.#lockDurationMs() / 4,
          stalledInterval: this.#options.stalledIntervalMs ?? this.#lockDurationMs() / 4,
        },
      );
      worker.on('error', (error) => this.#onError(error, `worker ${type}`));
      workers.push(worker);
      this.#workers.add(worker);
    }
    return {
      stop: async () => {
        // Worker.close waits for the jobs in flight before it resolves, and takes no new ones.
        const closed = Promise.all(workers.map((worker) => worker.close()));
        while (running.size > 0) await Promise.all(running);
        // With every job it took done, a close that still waits is stuck on a connection that
        // came back from an outage (a Redis restarted just before): measured, it never
        // resolved. Then the connection is dropped, as kill() does, so a node told to stop
        // does stop; no job of this node is cut off by it.
        if (!(await settlesWithin(closed, CLOSE_GRACE_MS))) {
          this.#onError(
            new Error(`jobbarbeiderne stoppet ikke innen ${CLOSE_GRACE_MS} ms: kobler fra Redis`),
            'worker',
          );
          consumer.disconnect();
          if (this.#consumer === consumer) this.#consumer = undefined;
          const dropped = Promise.all(workers.map((worker) => worker.disconnect().catch(() => undefined)));
          await settlesWithin(Promise.all([dropped, closed]), CLOSE_GRACE_MS);
        }
        for (const worker of workers) this.#workers.delete(worker);
      },
    };
  }

  /** Fills the queue from the store when it lacks its mark or a refill was asked for (queue-fill.ts). */
  fillIfNeeded(fill: (held: () => boolean) => Promise<boolean>): Promise<FillOutcome> {
    return fillIfNeeded(this.#fillContext(), fill);
  }

  /** Asks for a refill (queue-fill.ts): pauses the queues until its removal of old jobs is done. */
  /**
   * Whether a node has used this prefix in this Redis: its list of job types or its fill
   * mark is there. `budbringer requeue` asks first, so a mistyped QUEUE_PREFIX is not told
   * "ordered" for a request no node ever reads (found in review).
   */
  async usedHere(): Promise<boolean> {
    return (await this.#producer.exists(this.#typesKey, this.#fillKeys.mark)) > 0;
  }

  /** The checks of work a Redis that went back in time lost (QueueApartFromStore). */
  readonly apart: QueueApartFromStore = {
    heldThrough: () => heldThrough(this.#producer, this.#fillKeys),
    markHeldThrough: (at) => markHeldThrough(this.#producer, this.#fillKeys, at),
    missing: async (jobs) => {
      if (jobs.length === 0) return [];
      // One round trip: does each job's hash exist in its type's queue (any state)? The key
      // as BullMQ names it (QueueKeys.toKey: prefix, queue, job id), built here so that asking
      // about a type this process never used opens no queue for it.
      const pipeline = this.#producer.pipeline();
      for (const job of jobs)
        pipeline.exists(`${this.#options.prefix}:${this.#bullQueueName(job.type)}:${encodeJobId(job.id)}`);
      const answers = (await pipeline.exec()) ?? [];
      return jobs.filter((_, i) => {
        const [error, found] = answers[i] ?? [new Error('no answer'), 0];
        if (error !== null) throw error;
        return found === 0;
      });
    },
  };

  async requestRefill(options: { readonly removeOld: boolean }): Promise<boolean> {
    await requestRefill(this.#fillContext(), options.removeOld);
    return true;
  }

  #fillContext(): FillContext {
    return {
      redis: this.#producer,
      keys: this.#fillKeys,
      queues: () => this.#allQueues(),
      forgetTypes: () => this.#registered.clear(),
      now: this.#now,
    };
  }

  /** Count of jobs per state, summed over every type's queue. */
  async counts(): Promise<Record<JobState, number>> {
    const result: Record<JobState, number> = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
    for (const queue of await this.#allQueues()) {
      const counts = await queue.getJobCounts(
        // A paused queue keeps its jobs in the wait list, so 'waiting' covers them.
        'waiting',
        'prioritized',
        'waiting-children',
        'delayed',
        'active',
        'completed',
        'failed',
      );
      for (const [bullState, count] of Object.entries(counts)) {
        const state = toJobState(bullState);
        if (state !== undefined) result[state] += count;
      }
    }
    return result;
  }

  /** The job's current state, or undefined if unknown. */
  async state(id: string): Promise<JobState | undefined> {
    return (await this.#find(id))?.state;
  }

  /** Failed jobs newest first; waiting and delayed ones by due time; over every type. */
  async list(state: ListedJobState, limit: number): Promise<JobListing[]> {
    return listBullmqJobs(await this.#allQueues(), state, limit);
  }

  /** Job `id` as `list` shows it, when it is failed, waiting or delayed. */
  async listed(id: string): Promise<JobListing | undefined> {
    const found = await this.#find(id);
    if (found === undefined || (found.state !== 'failed' && found.state !== 'waiting' && found.state !== 'delayed'))
      return undefined;
    const job = (await found.queue.getJob(encodeJobId(id))) as Job | undefined;
    return job === undefined ? undefined : toListing(job, found.state);
  }

  /** Moves a failed job back to wait with its attempt counters reset. */
  async retry(id: string): Promise<boolean> {
    const job = await this.#failedJob(id);
    if (job === undefined) return false;
    try {
      // The script refuses (throws) when the job left the failed set in between.
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    } catch {
      return false;
    }
  }

  /** Removes a failed job. */
  async discard(id: string): Promise<boolean> {
    const job = await this.#failedJob(id);
    if (job === undefined) return false;
    try {
      await job.remove();
      return true;
    } catch {
      return false;
    }
  }

  /** Every type's BullMQ Queue (refreshed from Redis), for bull-board at /admin/queues. */
  async queuesForBoard(): Promise<Queue[]> {
    return this.#allQueues();
  }

  /** Deletes every queue of this prefix and queueName, jobs and all (tests, teardown). */
  async obliterate(): Promise<void> {
    for (const queue of await this.#allQueues()) await queue.obliterate({ force: true });
    await this.#producer.del(this.#typesKey, ...Object.values(this.#fillKeys));
  }

  /**
   * Drops every connection at once, waiting for nothing and recording nothing, as a node
   * killed with SIGKILL would: its leases lapse and other nodes take its jobs over. For
   * failover tests; handlers still running here can no longer report their outcome.
   */
  async kill(): Promise<void> {
    this.#producer.disconnect();
    this.#consumer?.disconnect();
    // close(true) skips waiting for the jobs in flight; with the connections gone it can
    // only stop lock renewal and the blocking reads.
    await Promise.all([...this.#workers].map((worker) => worker.close(true).catch(() => undefined)));
    this.#workers.clear();
  }

  /** Stops workers still running, closes the queues and both Redis connections. */
  async close(): Promise<void> {
    await Promise.all([...this.#workers].map((worker) => worker.close()));
    this.#workers.clear();
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
    this.#queues.clear();
    await quit(this.#producer);
    if (this.#consumer !== undefined) await quit(this.#consumer);
  }

  #lockDurationMs(): number {
    return this.#options.lockDurationMs ?? 8_000;
  }

  #bullQueueName(type: string): string {
    // Queue names may not contain ':' either; encodeJobId escapes it reversibly.
    return `${this.#queueName}.${encodeJobId(type)}`;
  }

  #queueFor(type: string): Queue {
    let queue = this.#queues.get(type);
    if (queue === undefined) {
      queue = new Queue(this.#bullQueueName(type), { connection: this.#producer, prefix: this.#options.prefix });
      queue.on('error', (error) => this.#onError(error, `queue ${type}`));
      this.#queues.set(type, queue);
    }
    return queue;
  }

  /** Records the type in Redis (once per process) so other nodes find its queue. */
  async #registerType(type: string): Promise<void> {
    if (this.#registered.has(type)) return;
    await this.#producer.sadd(this.#typesKey, type);
    this.#registered.add(type);
  }

  /** Queues of every type known here or recorded in Redis. */
  async #allQueues(): Promise<Queue[]> {
    for (const type of await this.#producer.smembers(this.#typesKey)) {
      this.#registered.add(type);
      this.#queueFor(type);
    }
    return [...this.#queues.values()];
  }

  /** The queue holding job `id` and its state, checking known queues before Redis' list. */
  async #find(id: string): Promise<{ queue: Queue; state: JobState } | undefined> {
    const jobId = encodeJobId(id);
    const checked = new Set<Queue>();
    for (const pass of [() => [...this.#queues.values()], () => this.#allQueues()]) {
      for (const queue of await pass()) {
        if (checked.has(queue)) continue;
        checked.add(queue);
        const state = toJobState(await queue.getJobState(jobId));
        if (state !== undefined) return { queue, state };
      }
    }
    return undefined;
  }

  /** The BullMQ job of `id` when it is failed now. */
  async #failedJob(id: string): Promise<Job | undefined> {
    const found = await this.#find(id);
    if (found?.state !== 'failed') return undefined;
    return (await found.queue.getJob(encodeJobId(id))) as Job | undefined;
  }

  /** Worker connection: BullMQ requires maxRetriesPerRequest null for its blocking reads. */
  #consumerClient(): Redis {
    this.#consumer ??= this.#createClient({ maxRetriesPerRequest: null });
    return this.#consumer;
  }

  #createClient(extra: RedisOptions): Redis {
    const { connection } = this.#options;
    const client =
      typeof connection === 'string' ? new Redis(connection, extra) : new Redis({ ...connection, ...extra });
    client.on('error', (error: Error) => this.#onError(error, 'redis'));
    return client;
  }
}

/** The backoff type of the jobs this adapter adds (older jobs keep BullMQ's 'exponential'). */
const CAPPED_BACKOFF = 'budbringer-capped';

/** job-retry.ts's delays for BullMQ: `attemptsMade` counts the failures so far. */
function cappedBackoff(attemptsMade: number, _type?: string, _err?: Error, job?: MinimalJob): number {
  const backoff = job?.opts.backoff;
  const delay = typeof backoff === 'number' ? backoff : (backoff?.delay ?? DEFAULT_BACKOFF_MS);
  return retryDelayMs(delay, attemptsMade);
}
