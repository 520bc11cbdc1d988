/**
 * A node's Prometheus metrics (issue #6 "Operations"), in a registry of its own rather than
 * prom-client's global one, so two nodes in one test process never clash.
 *
 * Labels are closed sets (channel, outcome, status, job state and type): no avsender, no
 * title, no fødselsnummer, nothing a caller chooses, so a scrape reveals volumes only and
 * the series count stays fixed.
 */
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ForsendelseStatus } from '../domain/model.js';
import { readScrapeSources, type ReadingSources, type ScrapeReadings } from './scrape-readings.js';

/** The door a forsendelse came in by. */
export type IntakeChannel = 'rest' | 'soap' | 'admin' | 'fiks';
/** accepted: an id was returned; refused: the caller's fault (4xx / client fault); error: ours. */
export type IntakeOutcome = 'accepted' | 'refused' | 'error';
/** How a job run ended. */
export type JobOutcome = 'completed' | 'failed';

/** How a notification attempt ended, per channel (e-mail, SMS). */
export type NotificationOutcome = 'sent' | 'failed';
/** How a KRR lookup ended. */
export type KrrOutcome = 'found' | 'not_found' | 'error';

/** Where the gauges read their values when scraped (scrape-readings.ts bounds each read). */
export interface MetricSources extends ReadingSources {
  readonly liveActors: () => number;
  /** Clock of the age gauges; default Date.now. */
  readonly now?: () => number;
}

/** Buckets of the intake latency, seconds: validation and the durable write, not the upload. */
const INTAKE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Buckets of job run times, seconds (a print job composes PDFs; a notify job waits for SMTP). */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
/** Methods counted by name; any other is 'OTHER' (labels stay a closed set). */
const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Buckets of HTTP answers, seconds (to the response headers). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Buckets of KRR lookups, seconds (a file lookup is microseconds, Digdir's API tens of ms). */
const KRR_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The counters and histograms a process adds to as things happen in it: what a worker
 * process (WORKER_PROCESSES) reports to its node, which sums them with its own. Not the
 * gauges, which every process reads alike from the shared store, nor the process metrics.
 */
const EVENT_METRICS = new Set([
  'budbringer_intake_total',
  'budbringer_intake_duration_seconds',
  'budbringer_status_transitions_total',
  'budbringer_job_runs_total',
  'budbringer_job_duration_seconds',
  'budbringer_notifications_total',
  'budbringer_krr_lookup_duration_seconds',
]);

/** A registry's metrics as prom-client writes them for aggregation (getMetricsAsJSON). */
export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** The metrics of one node. */
export class NodeMetrics {
  readonly registry = new Registry();
  readonly #intake: Counter<'channel' | 'outcome'>;
  readonly #intakeSeconds: Histogram<'channel' | 'outcome'>;
  readonly #transitions: Counter<'status'>;
  readonly #jobRuns: Counter<'type' | 'outcome'>;
  readonly #jobSeconds: Histogram<'type'>;
  readonly #http: Counter<'method' | 'route' | 'status'>;
  readonly #httpSeconds: Histogram<'route'>;
  readonly #notifications: Counter<'kanal' | 'outcome'>;
  readonly #krrSeconds: Histogram<'outcome'>;
  readonly #sources: MetricSources;
  /** The readings of the scrape under way (exposition), which every gauge of it shares. */
  #scrape: Promise<ScrapeReadings> | undefined;
  /** The event metrics of the node's worker processes, added to each exposition. */
  #peers: (() => Promise<MetricsJson[]>) | undefined;

  constructor(sources: MetricSources) {
    this.#sources = sources;
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
    const readings = (): Promise<ScrapeReadings> => this.#scrape ?? readScrapeSources(sources);
    new Gauge({
      name: 'budbringer_jobs',
      help: 'Jobs in the queue by state, read at scrape time. With BullMQ the queue is shared: every node reports the same cluster-wide numbers.',
      labelNames: ['state'],
      registers,
      async collect() {
        const counts = (await readings()).jobCounts;
        if (counts.ok) for (const [state, n] of Object.entries(counts.value)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'budbringer_metric_source_up',
      help: 'Whether this scrape read the store behind a group of gauges (job_queue, read_model, data_dir) within 2 s: 0 means those gauges kept their last values.',
      labelNames: ['source'],
      registers,
      async collect() {
        for (const [source, up] of (await readings()).up) this.set({ source }, up ? 1 : 0);
      },
    });
    this.#http = new Counter({
      name: 'budbringer_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern (never the raw path) and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.#httpSeconds = new Histogram({
      name: 'budbringer_http_request_duration_seconds',
      help: 'Time to the response headers, by route pattern.',
      labelNames: ['route'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.#notifications = new Counter({
      name: 'budbringer_notifications_total',
      help: 'Notifications (varsler and reminders) by channel (epost, sms) and outcome (sent, failed).',
      labelNames: ['kanal', 'outcome'],
      registers,
    });
    this.#krrSeconds = new Histogram({
      name: 'budbringer_krr_lookup_duration_seconds',
      help: 'KRR lookups by outcome (found, not_found, error) and their duration; the _count is the number of lookups.',
      labelNames: ['outcome'],
      buckets: KRR_BUCKETS,
      registers,
    });
    this.#ageGauges(readings, registers);
    new Gauge({
      name: 'budbringer_live_actors',
      help: 'Forsendelse actors in memory on this node now (they passivate when idle).',
      registers,
      collect() {
        this.set(sources.liveActors());
      },
    });
  }

  /** The gauges read at scrape time: queue age, print lag, free space of DATA_DIR. */
  #ageGauges(readings: () => Promise<ScrapeReadings>, registers: Registry[]): void {
    const now = this.#sources.now ?? Date.now;
    const ageOf = (pick: (r: ScrapeReadings) => ScrapeReadings['oldestUnprinted']) =>
      async function collect(this: Gauge) {
        const since = pick(await readings());
        if (since?.ok === true) this.set(since.value === undefined ? 0 : Math.max(0, (now() - since.value) / 1000));
      };
    new Gauge({
      name: 'budbringer_job_oldest_waiting_seconds',
      help: 'How long the longest-waiting due job has waited (0 when none waits). Growing: no worker takes jobs.',
      registers,
      collect: ageOf((r) => r.oldestWaitingJob),
    });
    new Gauge({
      name: 'budbringer_print_oldest_unprinted_seconds',
      help: 'Print lag: how long the oldest letter handed to print (SENDT_PRINT) has waited for its receipt (0 when none).',
      registers,
      collect: ageOf((r) => r.oldestUnprinted),
    });
    const spaceOf = (pick: (space: { free: number; total: number }) => number) =>
      async function collect(this: Gauge) {
        const space = (await readings()).dataDirSpace;
        if (space?.ok === true) this.set(pick(space.value));
      };
    new Gauge({
      name: 'budbringer_data_dir_free_bytes',
      help: 'Free bytes on the file system holding DATA_DIR (SQLite, documents, keys).',
      registers,
      collect: spaceOf((space) => space.free),
    });
    new Gauge({
      name: 'budbringer_data_dir_size_bytes',
      help: 'Size of the file system holding DATA_DIR.',
      registers,
      collect: spaceOf((space) => space.total),
    });
  }

  /** Records one HTTP answer by its route pattern. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    // A client may send any method name: only the ones we answer become series of their own.
    const known = HTTP_METHODS.has(method) ? method : 'OTHER';
    this.#http.inc({ method: known, route, status: String(status) });
    this.#httpSeconds.observe({ route }, seconds);
  }

  /** Records a notification sent or failed on one channel. */
  notification(kanal: string, outcome: NotificationOutcome): void {
    this.#notifications.inc({ kanal, outcome });
  }

  /** Records one KRR lookup. */
  krrLookup(outcome: KrrOutcome, seconds: number): void {
    this.#krrSeconds.observe({ outcome }, seconds);
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

  /**
   * This process's event metrics (EVENT_METRICS), for its node to add to its own: read one by
   * one, so no gauge reads the store for an answer that leaves it out.
   */
  async eventMetrics(): Promise<MetricsJson> {
    const metrics = [...EVENT_METRICS].flatMap((name) => {
      const metric = this.registry.getSingleMetric(name);
      return metric === undefined ? [] : [metric.get()];
    });
    return (await Promise.all(metrics)) as MetricsJson;
  }

  /**
   * Adds what `peers` report to every exposition: the event metrics of the node's worker
   * processes, where its jobs run (operator review of 7 December 2026: with WORKER_PROCESSES
   * the job, notification and KRR metrics stayed at nothing, and their alerts could not fire).
   */
  addPeers(peers: () => Promise<MetricsJson[]>): void {
    this.#peers = peers;
  }

  /** The exposition in Prometheus' text format. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    const scrape = readScrapeSources(this.#sources);
    this.#scrape = scrape;
    try {
      if (this.#peers === undefined)
        return { contentType: this.registry.contentType, body: await this.registry.metrics() };
      const [own, peers] = await Promise.all([this.registry.getMetricsAsJSON(), this.#peers()]);
      const all = AggregatorRegistry.aggregate<typeof this.registry.contentType>([own, ...peers]);
      return { contentType: this.registry.contentType, body: await all.metrics() };
    } finally {
      if (this.#scrape === scrape) this.#scrape = undefined;
    }
  }
}
