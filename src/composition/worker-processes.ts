/**
 * WORKER_PROCESSES (embedded mode): extra processes on the node's DATA_DIR that run only
 * the worker part. They share the SQLite file as the processes of docs/cluster.md do (a
 * job is claimed by one process in a BEGIN IMMEDIATE transaction; an actor that finds the
 * journal ahead of it reloads), so a letter's background work runs on more cores than the
 * node's one main thread. Each is started as this process was (same entry, same Node
 * options), with BUDBRINGER_ROLES=worker and its share of the PDF threads; it ends when
 * this process ends, also by kill -9 (its IPC channel closes: see `endWithParent`), and
 * one that dies is started again.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import type { MetricsJson } from './node-metrics.js';
import { WorkerMetricsSums } from './worker-metrics.js';

/** How the worker processes are started. */
export interface WorkerProcessOptions {
  readonly count: number;
  /** The script this process was started with (process.argv[1]). */
  readonly entry: string;
  /** The environment this process was started with. */
  readonly env: NodeJS.ProcessEnv;
  /** PDF threads of each worker process. */
  readonly pdfThreads: number;
  readonly log: Logger;
  /** Wait before starting a process again that ended; default 1000 ms. */
  readonly restartDelayMs?: number;
}

/** The running worker processes. */
export interface WorkerProcesses {
  /** Process ids now running. */
  readonly pids: () => number[];
  /**
   * The event metrics of the processes, so that each counter only goes up: a process that does
   * not answer within a second counts with its last answer, and the last answer of one that
   * ended stays in (its replacement counts from 0 beside it).
   */
  metrics(): Promise<MetricsJson[]>;
  /** SIGTERM to each (they finish their jobs in flight) and waits for them to exit. */
  stop(): Promise<void>;
}

/** Starts `count` worker processes. */
export function startWorkerProcesses(options: WorkerProcessOptions): WorkerProcesses {
  const children = new Map<number, ChildProcess>();
  const sums = new WorkerMetricsSums();
  let stopping = false;
  const start = (index: number): void => {
    const child = fork(options.entry, [], {
      env: {
        ...options.env,
        BUDBRINGER_ROLES: 'worker',
        WORKER_PROCESSES: '0',
        PDF_WORKERS: String(options.pdfThreads),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.set(index, child);
    options.log.info({ index, workerPid: child.pid }, 'worker process started');
    child.once('exit', (code, signal) => {
      if (children.get(index) === child) children.delete(index);
      sums.ended(child);
      if (stopping) return;
      options.log.error({ index, code, signal }, 'worker process ended; starting it again');
      setTimeout(() => {
        if (!stopping) start(index);
      }, options.restartDelayMs ?? 1000).unref();
    });
  };
  for (let i = 0; i < options.count; i++) start(i);
  return {
    pids: () => [...children.values()].flatMap((c) => (c.pid === undefined ? [] : [c.pid])),
    metrics: () => sums.collect([...children.values()]),
    async stop() {
      stopping = true;
      await Promise.all(
        [...children.values()].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

/**
 * In a worker process (forked with an IPC channel): no worker outlives its node. From this
 * call on the process ends at once when the parent's channel closes (the parent ended,
 * however, also while this one still starts); the returned call, made once the node runs,
 * hands that ending to `stop` instead. A disconnect during start-up used to go unheard, and
 * the worker went on to take jobs and then died of `process.channel` being null (found in
 * review). A process without a channel does nothing.
 */
export function endWithParent(): (stop: () => void) => void {
  if (process.send === undefined) return () => {};
  const gone = (): never => process.exit(0);
  if (!process.connected) gone();
  process.once('disconnect', gone);
  return (stop) => {
    process.off('disconnect', gone);
    if (!process.connected) return stop();
    process.once('disconnect', stop);
    // The channel alone must not keep a worker alive that decided to end.
    process.channel?.unref();
  };
}
