/**
 * One Budbringer node: storage, actors, the application service, then the worker part
 * (jobs, repair sweep, blob collector) and the web part (HTTP doors) as BUDBRINGER_ROLES
 * asks, started in that order and stopped in reverse (SIGTERM: stop intake, finish in-flight
 * work, close queues). Built only by src/main.ts and by tests that start a real node.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { ForsendelseActors } from '../actors/forsendelse-registry.js';
import { journalPersistenceEngine } from '../actors/journal-persistence.js';
import { startActorSystem, stopActorSystem } from '../actors/runtime.js';
import { ForsendelseServiceImpl } from '../app/forsendelse-service-impl.js';
import { InboxLinks } from '../app/inbox-links.js';
import { MottakersystemService } from '../app/mottakersystemer.js';
import { LetterFiles } from '../app/letter-files.js';
import type { ContactRegister } from '../channels/krr/index.js';
import { publicUrlWarning, retentionWarning } from '../config/load-settings.js';
import type { Settings } from '../config/schema.js';
import { keyedAttemptCounter } from '../http/keyed-attempt-counter.js';
import { RequestsInFlight } from '../http/requests-in-flight.js';
import { addressWarnings, startPdfWorkers, unprintableAddressProblems, type PdfWorkers } from '../pdf/index.js';
import { buildChannels, previousSecrets } from './channels.js';
import { checkGates, pdfDocumentInspector } from './document-inspector.js';
import { encryptedDocumentInspector } from './encrypted-document-inspector.js';
import { installationKeys } from './installation-key-store.js';
import type { InstallationKeys } from '../app/installation-keys.js';
import type { NodeMetrics } from './node-metrics.js';
import { observeEvents, observeKrr } from './observability.js';
import { nodeMetrics } from './operations.js';
import { PublicUrl } from './public-url.js';
import { reconcileRecent, repairGraceMs } from './reconcile.js';
import { sweepStaleTempFiles } from './temp-files.js';
import { openStorage, type Storage } from './storage.js';
import { startWebPart, type WebPart } from './web-part.js';
import { startWorkerPart, type WorkerPart } from './worker-part.js';
import { workPolicy } from './work-policy.js';

export { httpServerOptions } from './web-part.js';

/** A running node. */
export interface BudbringerNode {
  readonly settings: Settings;
  readonly storage: Storage;
  readonly actors: ForsendelseActors;
  readonly service: ForsendelseServiceImpl;
  /** Base URL of the HTTP server (with the real port when PORT=0). */
  readonly url: string;
  /** The node's metrics (undefined with METRICS=false). */
  readonly metrics: NodeMetrics | undefined;
  /** Resolves when the start-up repair has run. */
  readonly reconciled: Promise<number>;
  /** Resolves, with how many, when the temp files a stopped process left are removed. */
  readonly tempFilesSwept: Promise<number>;
  close(): Promise<void>;
}

/** How far back start-up repair looks for interrupted projections. */
const RECONCILE_WINDOW_MS = 24 * 3600_000;

/**
 * PDF worker threads of one process: PDF_WORKERS, else one fewer than the CPUs (the main
 * thread keeps one), shared out among the node and its WORKER_PROCESSES, at least 1.
 */
export function pdfWorkerThreads(
  settings: Pick<Settings, 'PDF_WORKERS'> & Partial<Pick<Settings, 'WORKER_PROCESSES'>>,
): number {
  const processes = 1 + (settings.WORKER_PROCESSES ?? 0);
  return settings.PDF_WORKERS ?? Math.max(1, Math.floor((availableParallelism() - 1) / processes));
}

/** Starts a node: the core, then the worker part and the web part as BUDBRINGER_ROLES asks. */
export async function startNode(
  settings: Settings,
  log: Logger,
  now: () => number = Date.now,
): Promise<BudbringerNode> {
  const storage = await openStorage(settings, log);
  const pdf = startPdfWorkers(pdfWorkerThreads(settings), {
    onThreadError: (err) => log.error({ err }, 'PDF worker thread failed'),
    budget: { inspectMs: settings.PDF_TASK_BUDGET_MS, composeMs: settings.PDF_TASK_BUDGET_MS, perMbMs: 1_000 },
  });
  // Read at scrape time, once the actors exist (they need the metrics for their events).
  const metrics = nodeMetrics(settings, storage, () => actors, log);
  const { system, actors } = startActors(settings, storage, metrics, log);
  const publicUrl = new PublicUrl(settings);
  const mottakersystemer = new MottakersystemService({ register: storage.mottakersystemer, now });
  if (settings.MOTTAKERSYSTEMER.length > 0) {
    log.warn('MOTTAKERSYSTEMER is no longer read: register receiving systems with `budbringer mottakersystem create`');
  }
  const loopback = publicUrlWarning(settings);
  if (loopback !== undefined) log.warn({ warning: loopback }, 'PUBLIC_URL names this machine itself');
  const retention = retentionWarning(settings);
  if (retention !== undefined)
    log.warn({ warning: retention }, 'RETENTION is shorter than the print deadline and the print');
  // The installation's CMS key is made the first time it is needed (by whichever node is first).
  const keys = installationKeys(settings, storage.keys, now);
  const files = new LetterFiles(storage.blobs, keys);
  const built = buildChannels(settings, log);
  const channels = { ...built, krr: observeKrr(built.krr, metrics) };
  const krr = channels.krr;
  const service = applicationService({ settings, storage, pdf, actors, keys, mottakersystemer, publicUrl, now, krr });
  const links = new InboxLinks(channels.secret, previousSecrets(settings));
  const inFlight = new RequestsInFlight();
  const shared = { settings, storage, actors, channels, links, metrics, log, now, mottakersystemer, files };
  const { web, worker } = await startParts(
    settings,
    () =>
      startWebPart({
        ...shared,
        service,
        keys,
        pdf,
        attempts: keyedAttemptCounter(storage.attempts, channels.secret),
        inFlight,
        publicUrl,
      }),
    () =>
      startWorkerPart({
        ...shared,
        pdf,
        policy: workPolicy(settings),
        publicUrl: publicUrl.get,
        foregroundBusy: () => inFlight.count > 0,
      }),
    { pdf, channels, reconciled: Promise.resolve(0), actors, system, storage },
  );
  const reconciled = startUpRepair(storage, actors, log, now);
  // Not awaited at close: on a print share that hangs, a stop must not hang with it.
  const tempFilesSwept = sweepStaleTempFiles(settings, log);
  return {
    settings,
    storage,
    actors,
    service,
    url: publicUrl.get(),
    metrics,
    reconciled,
    tempFilesSwept,
    async close() {
      await web?.close();
      await worker?.stop();
      // After the job worker: its in-flight compose jobs have had their files built.
      await closeCore({ pdf, channels, reconciled, actors, system, storage });
    },
  };
}

/**
 * The parts BUDBRINGER_ROLES asks for, the web part first: a node that cannot listen (a port
 * in use) stops before its job worker has claimed anything, and closes the core it opened
 * (found in review: a second node started by mistake claimed jobs, then exited with their
 * leases held).
 */
async function startParts(
  settings: Settings,
  startWeb: () => Promise<WebPart>,
  startWorker: () => Promise<WorkerPart>,
  core: CoreParts,
): Promise<{ web: WebPart | undefined; worker: WorkerPart | undefined }> {
  let web: WebPart | undefined;
  try {
    web = settings.BUDBRINGER_ROLES.includes('web') ? await startWeb() : undefined;
    const worker = settings.BUDBRINGER_ROLES.includes('worker') ? await startWorker() : undefined;
    return { web, worker };
  } catch (error) {
    await web?.close().catch(() => undefined);
    await closeCore(core).catch(() => undefined);
    throw error;
  }
}

/** The application service behind every door (src/app/forsendelse-service.ts). */
function applicationService(parts: {
  settings: Settings;
  storage: Storage;
  pdf: PdfWorkers;
  actors: ForsendelseActors;
  keys: InstallationKeys;
  mottakersystemer: MottakersystemService;
  publicUrl: PublicUrl;
  now: () => number;
  krr: ContactRegister;
}): ForsendelseServiceImpl {
  const { settings, storage, pdf, keys, now } = parts;
  // One admission for the checks of plain and encrypted documents together.
  const gates = checkGates(pdfWorkerThreads(settings));
  return new ForsendelseServiceImpl({
    actors: parts.actors,
    readModel: storage.readModel,
    config: storage.config,
    blobs: storage.blobs,
    sendAttempts: storage.sendAttempts,
    inspectDocument: pdfDocumentInspector(storage.blobs, pdf, gates),
    inspectEncryptedDocument: encryptedDocumentInspector(storage.blobs, pdf, keys, gates),
    now,
    publicUrl: parts.publicUrl.get,
    forsendelseTyper: settings.FORSENDELSE_TYPER,
    mottakersystemer: parts.mottakersystemer,
    addressWarnings,
    unprintableAddress: unprintableAddressProblems,
    krr: parts.krr,
  });
}

/** The actor system and the forsendelse actors on the node's journal. */
function startActors(
  settings: Settings,
  storage: Storage,
  metrics: NodeMetrics | undefined,
  log: Logger,
): { system: ReturnType<typeof startActorSystem>; actors: ForsendelseActors } {
  const system = startActorSystem(`budbringer-${randomUUID()}`, journalPersistenceEngine(storage.journal));
  const actors = new ForsendelseActors(
    system,
    {
      journal: storage.journal,
      readModel: storage.readModel,
      jobs: storage.jobs,
      changes: storage.changes,
      policy: workPolicy(settings),
      onEvents: observeEvents(log, metrics),
    },
    { idleMs: settings.ACTOR_IDLE_MS, askTimeoutMs: settings.ASK_TIMEOUT_MS, snapshotEvery: 50 },
  );
  return { system, actors };
}

/** Start-up repair of the last day, in the background so the node is ready at once. */
function startUpRepair(storage: Storage, actors: ForsendelseActors, log: Logger, now: () => number): Promise<number> {
  return reconcileRecent(
    { journal: storage.journal, readModel: storage.readModel, actors, log },
    now() - RECONCILE_WINDOW_MS,
    repairGraceMs(storage),
  ).then(
    (repaired) => {
      log.info({ repaired }, 'start-up repair done');
      return repaired;
    },
    (error: unknown) => {
      log.error({ err: error }, 'start-up repair failed');
      return 0;
    },
  );
}

/** What the core holds open, closed in reverse of start once both parts have stopped. */
interface CoreParts {
  readonly pdf: PdfWorkers;
  readonly channels: { close(): void };
  readonly reconciled: Promise<number>;
  readonly actors: ForsendelseActors;
  readonly system: ReturnType<typeof startActorSystem>;
  readonly storage: Storage;
}

/** Closes the core: PDF threads, channels, the start-up repair, the actors, then storage. */
async function closeCore(core: CoreParts): Promise<void> {
  await core.pdf.close();
  core.channels.close();
  await core.reconciled;
  core.actors.stopAll();
  stopActorSystem(core.system);
  await core.storage.close();
}
