/**
 * Filling a BullMQ queue from the store (JobQueue.fillIfNeeded, src/composition/requeue.ts),
 * with three keys beside the queues:
 * - `work-mark`: set once a fill went through every stored letter. A new or flushed Redis
 *   lacks it, so the next check fills.
 * - `refill-requested`: set by requestRefill (a restore, `budbringer requeue`), which also
 *   pauses every queue, so that no node runs a job of the store's other time meanwhile. The
 *   next fill first removes every job not running (and running ones whose lock lapsed), since
 *   those jobs would block the restored letters' jobs of the same ids (a completed
 *   `notify:<id>` makes the restored letter's notify a no-op), then resumes the queues. The
 *   request is taken away at the end only if no newer one came.
 * - `fill-lock`: one process fills at a time; the lock lapses after FILL_LOCK_MS unless
 *   renewed, so a process that died mid-fill hands the turn on. A process that finds its lock
 *   gone (a flush) stops at the next page and does not set the mark.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FillOutcome } from '../ports.js';

/** How long the fill lock lasts without renewal; renewed every third of it. */
const FILL_LOCK_MS = 30_000;
/** Jobs removed per call while a refill clears out the old ones. */
const CLEAN_BATCH = 1_000;

/** Extends the lock when it is still ours. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
/** Releases the lock when it is still ours. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/**
 * While the lock is ours: sets the mark, and takes the refill request away unless it was
 * made anew meanwhile (ARGV[3]: the request the fill answered, '' for none).
 */
const FINISH = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
if ARGV[3] ~= '' and redis.call('GET', KEYS[3]) == ARGV[3] then redis.call('DEL', KEYS[3]) end
return 1`;

/** The keys of one queue prefix and name. */
export interface FillKeys {
  readonly mark: string;
  readonly refill: string;
  readonly lock: string;
  /** QueueApartFromStore.heldThrough: epoch ms as text. */
  readonly heldThrough: string;
}

/** The keys beside the queues of `prefix` and `queueName`. */
export function fillKeys(prefix: string, queueName: string): FillKeys {
  const base = `${prefix}:${queueName}`;
  return {
    mark: `${base}:work-mark`,
    refill: `${base}:refill-requested`,
    lock: `${base}:fill-lock`,
    heldThrough: `${base}:held-through`,
  };
}

/** What a fill works with. */
export interface FillContext {
  readonly redis: Redis;
  readonly keys: FillKeys;
  /** Every type's queue, as recorded in Redis. */
  readonly queues: () => Promise<Queue[]>;
  /** Called before a fill: a flushed Redis lost the list of types too. */
  readonly forgetTypes: () => void;
  readonly now: () => number;
}

/**
 * Sets the held-through time unless a later one is set (nodes' checks overlap), and never
 * later than Redis's own clock: a node whose clock runs ahead would otherwise put the time in
 * the future, where it stays (only a later time replaces it) and hides the letters written
 * before it from every node's check (found in review). The earlier of the two clocks errs on
 * the side of checking more.
 */
const MARK_LATER = `local now = redis.call('TIME')
local at = math.min(tonumber(ARGV[1]), tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
local t = tonumber(redis.call('GET', KEYS[1]))
if t == nil or t < at then redis.call('SET', KEYS[1], string.format('%d', at)) return 1 end
return 0`;

/** QueueApartFromStore.heldThrough over Redis. */
export async function heldThrough(redis: Redis, keys: FillKeys): Promise<number | undefined> {
  const text = await redis.get(keys.heldThrough);
  const at = text === null ? Number.NaN : Number(text);
  return Number.isFinite(at) ? at : undefined;
}

/** QueueApartFromStore.markHeldThrough over Redis. */
export async function markHeldThrough(redis: Redis, keys: FillKeys, at: number): Promise<void> {
  await redis.eval(MARK_LATER, 1, keys.heldThrough, String(Math.trunc(at)));
}

/** JobQueue.fillIfNeeded over BullMQ. */
export async function fillIfNeeded(
  ctx: FillContext,
  fill: (held: () => boolean) => Promise<boolean>,
): Promise<FillOutcome> {
  const { redis, keys } = ctx;
  const [mark, asked] = await redis.mget(keys.mark, keys.refill);
  if (mark !== null && asked === null) return 'held';
  const token = randomUUID();
  if ((await redis.set(keys.lock, token, 'PX', FILL_LOCK_MS, 'NX')) !== 'OK') return 'busy';
  // Read again under the lock: a fill that ended in between has answered the request.
  const requested = await redis.get(keys.refill);
  let held = true;
  const renewal = setInterval(() => {
    redis.eval(RENEW, 1, keys.lock, token, FILL_LOCK_MS).then(
      (renewed) => {
        if (renewed !== 1) held = false;
      },
      () => undefined, // Redis away: the next renewal tells, or the lock lapses
    );
  }, FILL_LOCK_MS / 3);
  renewal.unref();
  try {
    ctx.forgetTypes();
    if (requested !== null) {
      const queues = await ctx.queues();
      await removeJobsNotRunning(queues, () => held);
      if (!held) return 'incomplete';
      for (const queue of queues) await queue.resume();
    }
    if (!(await fill(() => held)) || !held) return 'incomplete';
    const done = await redis.eval(
      FINISH,
      3,
      keys.lock,
      keys.mark,
      keys.refill,
      token,
      new Date(ctx.now()).toISOString(),
      requested ?? '',
    );
    return done === 1 ? 'filled' : 'incomplete';
  } finally {
    clearInterval(renewal);
    await redis.eval(RELEASE, 1, keys.lock, token).catch(() => undefined);
  }
}

/**
 * Removes the jobs of every queue that no worker runs: waiting, paused, prioritized, delayed,
 * completed, failed, and active ones whose lock lapsed (their node died). In batches, so that
 * Redis is not held by one long script (every letter has a delayed purge job).
 */
async function removeJobsNotRunning(queues: readonly Queue[], held: () => boolean): Promise<void> {
  const states = ['wait', 'paused', 'prioritized', 'delayed', 'completed', 'failed', 'active'] as const;
  for (const queue of queues) {
    for (const state of states) {
      let removed: string[];
      do removed = await queue.clean(0, CLEAN_BATCH, state);
      while (removed.length === CLEAN_BATCH && held());
    }
  }
}

/** requestRefill over BullMQ: pauses every queue, then records the request (or only forgets the mark). */
export async function requestRefill(ctx: FillContext, removeOld: boolean): Promise<void> {
  if (!removeOld) {
    await ctx.redis.del(ctx.keys.mark);
    return;
  }
  for (const queue of await ctx.queues()) await queue.pause();
  await ctx.redis.set(ctx.keys.refill, `${new Date(ctx.now()).toISOString()} ${randomUUID()}`);
}
