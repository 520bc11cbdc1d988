/**
 * A node's Prometheus metrics (issue #6 "Operations"), in a registry of its own rather than
 * prom-client's global one, so two nodes in one test process never clash.
 *
 * Labels are closed sets (channel, outcome, status, job state and type): no avsender, no
 * title, no fødselsnummer, nothing a caller chooses, so a scrape reveals volumes only and
 * the series count stays fixed.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ForsendelseStatus } from '../domain/model.js';
import type { JobState } from '../storage/ports.js';

/** The door a forsendelse came in by. */
export type IntakeChannel = 'rest' | 'soap' | 'admin' | 'fiks';
/** accepted: an id was returned; refused: the caller's fault (4xx / client fault); error: ours. */
export type IntakeOutcome = 'accepted' | 'refused' | 'error';
/** How a job run ended. */
export type JobOutcome = 'completed' | 'failed';

/** Where the gauges read their values when scraped. */
export interface MetricSources {
  readonly jobCounts: () => Promise<Record<JobState, number>>;
  readonly liveActors: () => number;
  /** Told when reading the job counts fails (the gauge then keeps its last values). */
  readonly onCollectError?: (error: unknown) => void;
}

/** Buckets of the intake latency, seconds: validation and the durable write, not the upload. */
const INTAKE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Buckets of job run times, seconds (a print job composes PDFs; a notify job waits for SMTP). */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** The metrics of one node. */
export class NodeMetrics {
  readonly registry = new Registry();
  readonly #intake: Counter<'channel' | 'outcome'>;
  readonly #intakeSeconds: Histogram<'channel' | 'outcome'>;
  readonly #transitions: Counter<'status'>;
  readonly #jobRuns: Counter<'type' | 'outcome'>;
  readonly #jobSeconds: Histogram<'type'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#intake = new Counter({
      name: 'budbringer_intake_total',
      help: 'Forsendelser handed in, by door (rest, soap, admin) and outcome (accepted, refused, error).',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.#intakeSeconds = new Histogram({
      name: 'budbringer_intake_duration_seconds',
      help: 'Time from the documents being stored to the answer: validation, PDF checks and the durable journal write.',
      labelNames: ['channel', 'outcome'],
      buckets: INTAKE_BUCKETS,
      registers,
    });
    this.#transitions = new Counter({
      name: 'budbringer_status_transitions_total',
      help: 'Status changes of forsendelser made by this node, by the new status.',
      labelNames: ['status'],
      registers,
    });
    this.#jobRuns = new Counter({
      name: 'budbringer_job_runs_total',
      help: 'Job runs on this node, by job type and outcome (a failed run may be retried).',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.#jobSeconds = new Histogram({
      name: 'budbringer_job_duration_seconds',
      help: 'Duration of job runs on this node, by job type.',
      labelNames: ['type'],
      buckets: JOB_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'budbringer_jobs',
      help: 'Jobs in the queue by state, read at scrape time. With BullMQ the queue is shared: every node reports the same cluster-wide numbers.',
      labelNames: ['state'],
      registers,
      async collect() {
        try {
          const counts = await sources.jobCounts();
          for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
        } catch (error) {
          sources.onCollectError?.(error);
        }
      },
    });
    new Gauge({
      name: 'budbringer_live_actors',
      help: 'Forsendelse actors in memory on this node now (they passivate when idle).',
      registers,
      collect() {
        this.set(sources.liveActors());
      },
    });
  }

  /** Records one intake: its door, how it ended, and how long it took. */
  intake(channel: IntakeChannel, outcome: IntakeOutcome, seconds: number): void {
    this.#intake.inc({ channel, outcome });
    this.#intakeSeconds.observe({ channel, outcome }, seconds);
  }

  /** Records that a forsendelse reached `status`. */
  transition(status: ForsendelseStatus): void {
    this.#transitions.inc({ status });
  }

  /** Records one job run. */
  jobRun(type: string, outcome: JobOutcome, seconds: number): void {
    this.#jobRuns.inc({ type, outcome });
    this.#jobSeconds.observe({ type }, seconds);
  }

  /** The exposition in Prometheus' text format. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
