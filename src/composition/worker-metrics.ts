/**
 * The metrics of a node's worker processes (WORKER_PROCESSES), over their IPC channel: at a
 * scrape the node asks each for its event metrics (node-metrics.ts, EVENT_METRICS) and adds
 * them to its own. The sums only ever go up, as Prometheus reads a counter that goes down as a
 * reset: a process that does not answer within a second counts with its last answer, and the
 * last answer of one that ended stays in the sum, its replacement counting from 0 beside it
 * (reviews of 7 December 2026: a busy or restarted worker made the sums fall, and a worker
 * that ended during a scrape was counted twice in it).
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry } from 'prom-client';
import type { MetricsJson } from './node-metrics.js';

/** The node's request for a worker process's event metrics, and the answer. */
const METRICS_REQUEST = 'budbringer:metrics';
const METRICS_ANSWER = 'budbringer:metrics-answer';

/** How long a scrape waits for a worker process's answer. */
const METRICS_WAIT_MS = 1000;

/** The worker processes' answers: each running one's last, and the ended ones' summed. */
export class WorkerMetricsSums {
  readonly #answers = new Map<ChildProcess, MetricsJson>();
  readonly #exited = new WeakSet<ChildProcess>();
  #ended: MetricsJson | undefined;
  /** Ended processes are folded into #ended one after another, so none is lost. */
  #folding: Promise<void> = Promise.resolve();

  /** Asks each of `running`; every process's last answer, and the ended ones' sum. */
  async collect(running: readonly ChildProcess[]): Promise<MetricsJson[]> {
    await Promise.all(
      running.map(async (child) => {
        const answer = await askMetrics(child);
        if (answer !== undefined && !this.#exited.has(child)) this.#answers.set(child, answer);
      }),
    );
    return [...this.#answers.values(), ...(this.#ended === undefined ? [] : [this.#ended])];
  }

  /** `child` ended: its last answer moves into the ended sum (in one step, never counted twice). */
  ended(child: ChildProcess): void {
    this.#exited.add(child);
    this.#folding = this.#folding
      .then(async () => {
        const last = this.#answers.get(child);
        if (last === undefined) return;
        const sum = AggregatorRegistry.aggregate(this.#ended === undefined ? [last] : [this.#ended, last]);
        const json = await sum.getMetricsAsJSON();
        this.#ended = json;
        this.#answers.delete(child);
      })
      .catch(() => undefined);
  }
}

/** Asks one worker process for its event metrics; undefined when it does not answer in time. */
function askMetrics(child: ChildProcess): Promise<MetricsJson | undefined> {
  if (!child.connected) return Promise.resolve(undefined);
  const id = randomUUID();
  return new Promise((resolve) => {
    const done = (metrics: MetricsJson | undefined): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(metrics);
    };
    const onMessage = (message: unknown): void => {
      const m = message as { type?: unknown; id?: unknown; metrics?: unknown } | null;
      if (m?.type === METRICS_ANSWER && m.id === id && Array.isArray(m.metrics)) done(m.metrics as MetricsJson);
    };
    const timer = setTimeout(() => done(undefined), METRICS_WAIT_MS);
    child.on('message', onMessage);
    child.send({ type: METRICS_REQUEST, id }, (error) => {
      if (error !== null) done(undefined);
    });
  });
}

/** In a worker process: answers its node's requests for this process's event metrics. */
export function answerMetricsRequests(read: () => Promise<MetricsJson>): void {
  if (process.send === undefined) return;
  process.on('message', (message: unknown) => {
    const m = message as { type?: unknown; id?: unknown } | null;
    if (m?.type !== METRICS_REQUEST) return;
    read().then(
      (metrics) => process.send?.({ type: METRICS_ANSWER, id: m.id, metrics }),
      () => process.send?.({ type: METRICS_ANSWER, id: m.id, metrics: [] }),
    );
  });
}
