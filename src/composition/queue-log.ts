/**
 * What the job queues, the WAL checkpoints and the ordered change writer report, as log lines an
 * operator can read: BullMQ and ioredis report every failed reconnect (thousands a minute
 * while Redis is away), so one line per source is written, then at most one every 30 s,
 * saying how many were left out.
 */
import type { Logger } from 'pino';
import type { OrderedChangeOptions } from '../storage/ordered-change-writer.js';

/** Quiet time per source after a line is written. */
const QUIET_MS = 30_000;

/** An onError for BullmqJobQueue that logs each source at most once per QUIET_MS. */
export function queueErrorLog(log: Logger, now: () => number = Date.now): (error: Error, source: string) => void {
  return rateLimitedErrorLog(log, 'job queue connection failed', now);
}

/**
 * `message` with the error, at most once per QUIET_MS per source, saying how many were left
 * out: for errors that repeat while something stays broken (Redis away, a full disk under
 * the embedded queue or the WAL checkpoints; found in review: five lines a second).
 */
export function rateLimitedErrorLog(
  log: Logger,
  message: string,
  now: () => number = Date.now,
): (error: unknown, source: string) => void {
  const sources = new Map<string, { at: number; leftOut: number }>();
  return (error, source) => {
    const seen = sources.get(source);
    if (seen !== undefined && now() - seen.at < QUIET_MS) {
      seen.leftOut++;
      return;
    }
    log.error({ err: error, source, sameErrorsLeftOut: seen?.leftOut ?? 0 }, message);
    sources.set(source, { at: now(), leftOut: 0 });
  };
}

/** The ordered change writer's options that log a change left for repair. */
export function changeWriterLog(log: Logger): OrderedChangeOptions {
  return {
    onIncomplete: (error) =>
      log.warn(
        { err: error.cause, forsendelseId: error.forsendelseId },
        'events stored, jobs or record not written in time; the repair sweep completes them',
      ),
  };
}
