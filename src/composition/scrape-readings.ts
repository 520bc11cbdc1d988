/**
 * What one `/metrics` scrape reads outside the process (the job queue, the read model, the
 * file system of DATA_DIR), read once per scrape, all at once, each within a time bound. A
 * store that does not answer (Redis away: ioredis retries a command for about 20 s) then
 * costs the scrape at most the bound, and only its own gauges: they keep their last values
 * and `budbringer_metric_source_up{source}` says 0, where the whole scrape used to outlast
 * Prometheus' timeout and every metric of the node was lost with it.
 */
import type { JobState } from '../storage/ports.js';
import { withinMs } from '../storage/time-bound.js';

/** The stores a scrape reads. */
export type MetricSource = 'job_queue' | 'read_model' | 'data_dir';

/** Where the readings come from (node-metrics.ts MetricSources). */
export interface ReadingSources {
  readonly jobCounts: () => Promise<Record<JobState, number>>;
  readonly oldestWaitingJob?: () => Promise<number | undefined>;
  readonly oldestUnprinted?: () => Promise<number | undefined>;
  readonly dataDirSpace?: () => Promise<{ free: number; total: number }>;
  /** How long one read may take; default 2 000 ms. */
  readonly sourceTimeoutMs?: number;
  /** Told of a read that failed or ran out of time. */
  readonly onCollectError?: (error: unknown, source: MetricSource) => void;
}

/** A value read, or why not. */
export type Reading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/** One scrape's readings; a source without a reader is absent. */
export interface ScrapeReadings {
  readonly jobCounts: Reading<Record<JobState, number>>;
  readonly oldestWaitingJob?: Reading<number | undefined>;
  readonly oldestUnprinted?: Reading<number | undefined>;
  readonly dataDirSpace?: Reading<{ free: number; total: number }>;
  /** Per source read: whether every read of it succeeded in time. */
  readonly up: ReadonlyMap<MetricSource, boolean>;
}

/** Thrown into onCollectError when a read outlasts its bound. */
export class MetricSourceTimeout extends Error {
  constructor(source: MetricSource, ms: number) {
    super(`${source} svarte ikke innen ${ms} ms`);
    this.name = 'MetricSourceTimeout';
  }
}

const DEFAULT_TIMEOUT_MS = 2_000;

/** Reads every source at once, each within the bound. */
export async function readScrapeSources(sources: ReadingSources): Promise<ScrapeReadings> {
  const up = new Map<MetricSource, boolean>();
  const ms = sources.sourceTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const read = async <T>(source: MetricSource, reader: () => Promise<T>): Promise<Reading<T>> => {
    try {
      const value = await withinMs(reader(), ms, () => new MetricSourceTimeout(source, ms));
      if (!up.has(source)) up.set(source, true);
      return { ok: true, value };
    } catch (error) {
      // Told once per source and scrape (the job queue is read twice).
      if (up.get(source) !== false) sources.onCollectError?.(error, source);
      up.set(source, false);
      return { ok: false };
    }
  };
  const optional = <T>(source: MetricSource, reader: (() => Promise<T>) | undefined) =>
    reader === undefined ? undefined : read(source, reader);
  const [jobCounts, oldestWaitingJob, oldestUnprinted, dataDirSpace] = await Promise.all([
    read('job_queue', sources.jobCounts),
    optional('job_queue', sources.oldestWaitingJob),
    optional('read_model', sources.oldestUnprinted),
    optional('data_dir', sources.dataDirSpace),
  ]);
  return { jobCounts, oldestWaitingJob, oldestUnprinted, dataDirSpace, up };
}
