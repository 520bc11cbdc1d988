/**
 * The worker part of a node (BUDBRINGER_ROLES contains `worker`): the job worker, the
 * repair sweep, the check that the job queue holds the letters' work (requeue.ts), the blob
 * collector and the webhook dispatcher. It opens no HTTP listener; the web part hands it
 * nothing but the shared storage, so web and worker nodes can run as separate processes
 * on one DATA_DIR (docs/cluster.md).
 */
import type { Logger } from 'pino';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import type { InboxLinks } from '../app/inbox-links.js';
import type { MottakersystemService } from '../app/mottakersystemer.js';
import type { LetterFiles } from '../app/letter-files.js';
import type { Settings } from '../config/schema.js';
import { printDeadline } from '../domain/calendar/index.js';
import { addIsoDuration, parseIsoDuration } from '../domain/time/index.js';
import { jobHandlers } from '../jobs/registry.js';
import type { PdfWorkers } from '../pdf/index.js';
import { ByteBudget } from '../jobs/byte-budget.js';
import { warnUnfetchedSvarInn } from '../app/svarinn-warnings.js';
import { startBlobCollector } from './blob-collector.js';
import { checkPrintDir, printDir, type Channels } from './channels.js';
import type { NodeMetrics } from './node-metrics.js';
import { observeJobs } from './observability.js';
import { startPeriodicTask } from './periodic-task.js';
import { repairGraceMs, startRepairSweep } from './reconcile.js';
import { queueLostRecentWork } from './recent-work-check.js';
import { keepQueueFilled, takeRestoreMark } from './requeue.js';
import { startWebhooks } from './webhooks.js';
import type { Storage } from './storage.js';
import type { JobHandler, JobQueue, JobWorker, WorkOptions } from '../storage/ports.js';
import type { WorkPolicy } from '../domain/pending-work.js';

/** What the worker part is built from. */
export interface WorkerPartDeps {
  readonly settings: Settings;
  readonly storage: Storage;
  /** The letters' pending work (work-policy.ts), to fill a job queue that lost it. */
  readonly policy: WorkPolicy;
  readonly actors: ForsendelseActors;
  readonly pdf: PdfWorkers;
  readonly channels: Channels;
  readonly links: InboxLinks;
  /** The receiving systems (SvarInn): routing and the unfetched-letter warnings. */
  readonly mottakersystemer: MottakersystemService;
  /** Stored files as plaintext (encrypted letters' files are kept encrypted). */
  readonly files: LetterFiles;
  readonly metrics: NodeMetrics | undefined;
  readonly log: Logger;
  readonly now: () => number;
  /** The node's public URL at the time of asking (links in notifications). */
  readonly publicUrl: () => string;
  /** True while HTTP requests are being answered: background jobs yield to them. */
  readonly foregroundBusy: () => boolean;
}

/** A running worker part. */
export interface WorkerPart {
  /** Stops taking jobs, waits for those in flight, then stops the collector and the sweep. */
  stop(): Promise<void>;
}

/** Repair intervals between two checks for work a Redis that went back in time lost. */
const RECENT_WORK_CHECKS = 12;
/**
 * Starts the job worker, the blob collector and the repair sweep. A restore's mark is taken
 * first (requeue.ts): a job queue in Redis is then paused until its old jobs are removed, so
 * this node's worker runs none of them.
 */
export async function startWorkerPart(deps: WorkerPartDeps): Promise<WorkerPart> {
  const { settings, storage, log } = deps;
  await takeRestoreMark({ jobs: storage.jobs, dataDir: settings.DATA_DIR, log });
  await checkPrintDir(printDir(settings), log);
  const workers = startJobWorkers(storage.jobs, workerJobHandlers(deps), {
    concurrency: settings.JOB_CONCURRENCY,
    foregroundBusy: deps.foregroundBusy,
  });
  const blobCollector = startBlobCollector(storage.blobs, log);
  const repairSweep = startRepairSweep(
    { journal: storage.journal, readModel: storage.readModel, actors: deps.actors, log },
    settings.REPAIR_INTERVAL_MS,
    deps.now,
    repairGraceMs(storage),
  );
  let stopping = false;
  let recentCheckedAt: number | undefined;
  const queueFill = startPeriodicTask(
    async () => {
      const outcome = await keepQueueFilled({
        ...storage,
        policy: deps.policy,
        log,
        dataDir: settings.DATA_DIR,
        stopping: () => stopping,
        now: deps.now,
      });
      // The work a Redis that went back in time lost: checked at start and then every
      // RECENT_WORK_CHECKS repair intervals (a minute by default), while no fill is under way.
      const due =
        recentCheckedAt === undefined ||
        deps.now() - recentCheckedAt >= RECENT_WORK_CHECKS * settings.REPAIR_INTERVAL_MS;
      if ((outcome === 'held' || outcome === 'filled') && due && !stopping) {
        recentCheckedAt = deps.now();
        await queueLostRecentWork({ ...storage, policy: deps.policy, log, now: deps.now });
      }
    },
    settings.REPAIR_INTERVAL_MS,
    (err) => log.error({ err }, 'filling the job queue from the stored letters failed'),
  );
  const webhooks = startWebhooks(deps);
  // Letters stranded by an older version are looked for once a start (the node's first check):
  // the sweep reads up to 10 000 views, which every check did (review of 7 December 2026).
  let strandedSwept = false;
  const svarInnWarnings = startPeriodicTask(
    async () => {
      const sent = await warnUnfetchedSvarInn({
        readModel: storage.readModel,
        register: storage.mottakersystemer,
        email: deps.channels.email,
        afterMs: addIsoDuration(0, parseIsoDuration(settings.SVARINN_WARN_AFTER)),
        now: deps.now,
        ...(strandedSwept ? {} : { wake: (id: string) => deps.actors.state(id) }),
      });
      strandedSwept = true;
      if (sent > 0) log.info({ sent }, 'warned receiving systems of unfetched SvarInn letters');
    },
    settings.SVARINN_WARN_INTERVAL_MS,
    (err) => log.error({ err }, 'SvarInn warning check failed'),
    { runNow: false },
  );
  return {
    async stop() {
      stopping = true;
      await queueFill.stop();
      await webhooks.stop();
      await Promise.all(workers.map((w) => w.stop()));
      await svarInnWarnings.stop();
      await blobCollector.stop();
      await repairSweep.stop();
    },
  };
}

/**
 * The job types that wait on a mail server or an SMS gateway for one recipient. They run in
 * slots of their own: one address whose server never answers held its notification jobs for
 * a minute each, retried, and with every shared slot taken no other sender's letter was
 * composed, routed or printed (found in review).
 */
const MESSAGE_KINDS: ReadonlySet<string> = new Set(['notify', 'reminder']);

/** A worker for the message jobs and one for the rest, each with `options.concurrency` slots. */
function startJobWorkers(
  jobs: JobQueue,
  handlers: Readonly<Record<string, JobHandler>>,
  options: WorkOptions,
): JobWorker[] {
  const entries = Object.entries(handlers);
  const messages = Object.fromEntries(entries.filter(([type]) => MESSAGE_KINDS.has(type)));
  const rest = Object.fromEntries(entries.filter(([type]) => !MESSAGE_KINDS.has(type)));
  return [messages, rest].filter((h) => Object.keys(h).length > 0).map((h) => jobs.work(h, options));
}

/** The job handlers with their channels, deadlines and metrics. */
function workerJobHandlers(deps: WorkerPartDeps): Record<string, JobHandler> {
  const { settings, storage, channels, now } = deps;
  const fallback =
    settings.PRINT_FALLBACK_AFTER === undefined ? undefined : parseIsoDuration(settings.PRINT_FALLBACK_AFTER);
  const linkTtl = parseIsoDuration(settings.INBOX_LINK_TTL);
  const handlers = jobHandlers({
    actors: deps.actors,
    blobs: storage.blobs,
    files: deps.files,
    config: storage.config,
    pdf: deps.pdf,
    composeMemory: new ByteBudget(settings.COMPOSE_MEMORY_MB * 1024 * 1024),
    ...channels,
    links: deps.links,
    mottakersystemer: deps.mottakersystemer,
    publicUrl: deps.publicUrl,
    from: settings.NOTIFY_FROM,
    now,
    printDeadline: (at) => (fallback === undefined ? printDeadline(at) : addIsoDuration(at, fallback)),
    linkExpiry: (at) => addIsoDuration(at, linkTtl),
  });
  return observeJobs(handlers, deps.log, deps.metrics);
}
