/**
 * One Budbringer node: storage, actors, the application service, job workers and HTTP,
 * started in that order and stopped in reverse (SIGTERM: stop intake, finish in-flight
 * work, close queues). Built only by src/main.ts and by tests that start a real node.
 */
import { serve, type ServerType } from '@hono/node-server';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { ForsendelseActors } from '../actors/forsendelse-registry.js';
import { journalPersistenceEngine } from '../actors/journal-persistence.js';
import { startActorSystem, stopActorSystem } from '../actors/runtime.js';
import { ForsendelseServiceImpl } from '../app/forsendelse-service-impl.js';
import { maxForsendelseBytes, type Settings } from '../config/schema.js';
import type { WorkPolicy } from '../domain/pending-work.js';
import { addIsoDuration, parseIsoDuration } from '../domain/time/index.js';
import { InboxLinks } from '../app/inbox-links.js';
import { printDeadline } from '../domain/calendar/index.js';
import { createHttpApp } from '../http/app.js';
import { RequestsInFlight } from '../http/requests-in-flight.js';
import { trustedProxies } from '../http/client-address.js';
import { keyedAttemptCounter } from '../http/keyed-attempt-counter.js';
import { createInboxApp } from '../http/inbox/inbox-routes.js';
import { createAdminApp } from '../http/admin/index.js';
import { AdminService, varselResender } from '../app/admin/index.js';
import { InboxService } from '../app/inbox-service.js';
import { printReceiptRegistrar } from '../app/print-receipts.js';
import { createHomeApp } from '../http/home/index.js';
import { createPrintReceiptApp } from '../http/print-receipts.js';
import { createSoapApp, DEFAULT_SOAP_LIMITS, type SoapLimits } from '../http/soap/index.js';
import { createRestV1App } from '../http/rest/v1-routes.js';
import { jobHandlers } from '../jobs/registry.js';
import { startPdfWorkers } from '../pdf/index.js';
import type { JobWorker } from '../storage/ports.js';
import { startBlobCollector, type BlobCollector } from './blob-collector.js';
import { buildChannels } from './channels.js';
import { pdfDocumentInspector } from './document-inspector.js';
import { reconcileRecent, startRepairSweep } from './reconcile.js';
import type { PeriodicTask } from './periodic-task.js';
import { openStorage, type Storage } from './storage.js';
import { observeEvents, observeIntake, observeJobs } from './observability.js';
import { nodeMetrics, operationsMounts } from './operations.js';
import { packageVersion } from './package-version.js';

/** A running node. */
export interface BudbringerNode {
  readonly settings: Settings;
  readonly storage: Storage;
  readonly actors: ForsendelseActors;
  readonly service: ForsendelseServiceImpl;
  /** Base URL of the HTTP server (with the real port when PORT=0). */
  readonly url: string;
  /** Resolves when the start-up repair has run. */
  readonly reconciled: Promise<number>;
  close(): Promise<void>;
}

/** How far back start-up repair looks for interrupted projections. */
const RECONCILE_WINDOW_MS = 24 * 3600_000;

/** The work policy from the settings. */
export function workPolicy(settings: Settings): WorkPolicy {
  const retention = parseIsoDuration(settings.RETENTION);
  const reminder = settings.REMINDER_BEFORE === undefined ? undefined : parseIsoDuration(settings.REMINDER_BEFORE);
  return {
    purgeAt: (sentAt) => addIsoDuration(sentAt, retention),
    reminderBeforeMs: reminder === undefined ? undefined : addIsoDuration(0, reminder),
  };
}

/** PDF worker threads: PDF_WORKERS, else one fewer than the CPUs (the main thread keeps one), at least 1. */
export function pdfWorkerThreads(settings: Pick<Settings, 'PDF_WORKERS'>): number {
  return settings.PDF_WORKERS ?? Math.max(1, availableParallelism() - 1);
}

/**
 * Timeouts of the HTTP server. REQUEST_TIMEOUT_MS: SvarUt lets a call run 15 minutes
 * (API.md §1), Node's defaults would cut large uploads; it also ends a request whose
 * Content-Length promised more than was sent. HEADERS_TIMEOUT_MS bounds slowly sent
 * headers. Idle keep-alive connections are closed by the client or proxy, not by us first:
 * with Node's 5 s a client reusing a connection just as we close it gets ECONNRESET on a
 * send it cannot safely repeat, and a load balancer (60 s idle) answers 502. Node checks
 * the timeouts every `connectionsCheckingInterval` (30 s by default), so a short timeout
 * is checked more often.
 */
export function httpServerOptions(settings: Pick<Settings, 'HEADERS_TIMEOUT_MS' | 'REQUEST_TIMEOUT_MS'>): import('node:http').ServerOptions {
  const requestTimeout = Math.max(settings.REQUEST_TIMEOUT_MS, settings.HEADERS_TIMEOUT_MS);
  return {
    requestTimeout,
    headersTimeout: settings.HEADERS_TIMEOUT_MS,
    keepAliveTimeout: 65_000,
    connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(Math.min(settings.HEADERS_TIMEOUT_MS, requestTimeout) / 4))),
  };
}

/**
 * The SOAP door's byte limits for a forsendelse limit: the MTOM attachments together get
 * the forsendelse limit; the body may also carry it as inline base64 (a third larger) and
 * the envelope.
 */
function soapLimitsFor(maxDocuments: number, maxInline: number): Partial<SoapLimits> {
  const maxXmlChars = DEFAULT_SOAP_LIMITS.maxXmlChars;
  return {
    maxAttachmentBytes: maxDocuments,
    maxBodyBytes: Math.ceil((maxDocuments * 4) / 3) + maxXmlChars,
    maxInlineBase64Bytes: Math.min(maxInline, maxDocuments),
  };
}

/** Starts a node. */
export async function startNode(settings: Settings, log: Logger, now: () => number = Date.now): Promise<BudbringerNode> {
  const storage = await openStorage(settings);
  const pdf = startPdfWorkers(pdfWorkerThreads(settings), {
    onThreadError: (err) => log.error({ err }, 'PDF worker thread failed'),
    budget: { inspectMs: settings.PDF_TASK_BUDGET_MS, composeMs: settings.PDF_TASK_BUDGET_MS, perMbMs: 1_000 },
  });
  // Read at scrape time, once the actors exist (they need the metrics for their events).
  const metrics = nodeMetrics(settings, storage, () => actors, log);
  const system = startActorSystem(`budbringer-${randomUUID()}`, journalPersistenceEngine(storage.journal));
  const actors = new ForsendelseActors(
    system,
    {
      journal: storage.journal,
      readModel: storage.readModel,
      jobs: storage.jobs,
      policy: workPolicy(settings),
      onEvents: observeEvents(log, metrics),
    },
    { idleMs: settings.ACTOR_IDLE_MS, askTimeoutMs: settings.ASK_TIMEOUT_MS, snapshotEvery: 50 },
  );
  let url = settings.PUBLIC_URL ?? '';
  const service = new ForsendelseServiceImpl({
    actors,
    readModel: storage.readModel,
    config: storage.config,
    blobs: storage.blobs,
    inspectDocument: pdfDocumentInspector(storage.blobs, pdf),
    now,
    publicUrl: () => url,
    forsendelseTyper: settings.FORSENDELSE_TYPER,
    mottakersystemer: settings.MOTTAKERSYSTEMER,
  });

  const channels = buildChannels(settings, log);
  const links = new InboxLinks(channels.secret);
  const attempts = keyedAttemptCounter(storage.attempts, channels.secret);
  const fallback = settings.PRINT_FALLBACK_AFTER === undefined ? undefined : parseIsoDuration(settings.PRINT_FALLBACK_AFTER);
  const linkTtl = parseIsoDuration(settings.INBOX_LINK_TTL);
  const inFlight = new RequestsInFlight();
  let worker: JobWorker | undefined;
  let blobCollector: BlobCollector | undefined;
  let repairSweep: PeriodicTask | undefined;
  if (settings.BUDBRINGER_ROLES.includes('worker')) {
    const handlers = observeJobs(jobHandlers({
      actors,
      blobs: storage.blobs,
      config: storage.config,
      pdf,
      ...channels,
      links,
      mottakersystemer: settings.MOTTAKERSYSTEMER,
      publicUrl: () => url,
      from: settings.NOTIFY_FROM,
      now,
      printDeadline: (at) => (fallback === undefined ? printDeadline(at) : addIsoDuration(at, fallback)),
      linkExpiry: (at) => addIsoDuration(at, linkTtl),
    }), log, metrics);
    worker = storage.jobs.work(handlers, { concurrency: settings.JOB_CONCURRENCY, foregroundBusy: () => inFlight.count > 0 });
    blobCollector = startBlobCollector(storage.blobs, log);
    repairSweep = startRepairSweep({ journal: storage.journal, readModel: storage.readModel, actors, log }, settings.REPAIR_INTERVAL_MS, now);
  }

  let accepting = true;
  let server: ServerType | undefined;
  const maxDocuments = maxForsendelseBytes(settings);
  if (settings.BUDBRINGER_ROLES.includes('web')) {
    const ops = await operationsMounts({ settings, storage, metrics, secret: channels.secret, audit: storage.audit, log, now });
    // Built again once the real port is known (PORT=0): the WSDL carries the public URL.
    const proxies = trustedProxies(settings.TRUSTED_PROXIES);
    const buildApp = (publicUrl: string) => createHttpApp({
      ready: () => accepting,
      version: packageVersion(),
      trustedProxies: proxies,
      inFlight,
      mounts: [
        ...ops.mounts,
        {
          path: '/tjenester/forsendelseservice',
          app: createSoapApp({
            service: observeIntake(service, 'soap', log, metrics),
            blobs: storage.blobs,
            publicUrl,
            limits: soapLimitsFor(maxDocuments, settings.SOAP_INLINE_LIMIT),
            onUnexpectedError: (err) => log.error({ err }, 'SOAP request failed'),
          }),
        },
        {
          path: '/tjenester/api/forsendelse/v1',
          app: createRestV1App({ service: observeIntake(service, 'rest', log, metrics), blobs: storage.blobs, log, maxForsendelseBytes: maxDocuments }),
        },
        {
          path: '/tjenester/api/print/v1',
          app: createPrintReceiptApp({
            register: printReceiptRegistrar({ actors, readModel: storage.readModel, now }),
            user: settings.PRINT_RECEIPT_USER,
            password: settings.PRINT_RECEIPT_PASSWORD,
            now,
            log,
          }),
        },
        {
          path: '/innboks',
          app: createInboxApp({ inbox: new InboxService({ links, readModel: storage.readModel, actors, blobs: storage.blobs, now }), sms: channels.sms, attempts, now, log }),
        },
        {
          path: '/forvaltning',
          app: createAdminApp({
            service: observeIntake(service, 'admin', log, metrics),
            admin: new AdminService({
              actors,
              readModel: storage.readModel,
              blobs: storage.blobs,
              config: storage.config,
              audit: storage.audit,
              now,
              resendVarsel: varselResender({
                state: (id) => actors.state(id),
                execute: (id, command) => actors.execute(id, command),
                config: storage.config,
                email: channels.email,
                sms: channels.sms,
                links,
                publicUrl: () => url,
                from: settings.NOTIFY_FROM,
                now,
                linkExpiry: (at) => addIsoDuration(at, linkTtl),
              }),
            }),
            blobs: storage.blobs,
            config: storage.config,
            audit: storage.audit,
            attempts,
            queueBoardPath: ops.queueBoardPath,
            secret: channels.secret,
            log,
            now,
            maxForsendelseBytes: maxDocuments,
          }),
        },
        { path: '/', app: createHomeApp() },
      ],
    });
    let app = buildApp(url);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve(
        { fetch: (req, env) => app.fetch(req, env), port: settings.PORT, hostname: settings.HOST, serverOptions: httpServerOptions(settings) },
        () => resolve(s),
      );
    });
    const port = (server.address() as AddressInfo).port;
    if (settings.PUBLIC_URL === undefined || settings.PORT === 0) {
      url = `http://${settings.HOST}:${port}`;
      app = buildApp(url);
    }
    log.info({ url, mode: storage.mode }, 'Budbringer is listening');
  }

  const reconciled = reconcileRecent({ journal: storage.journal, readModel: storage.readModel, actors, log }, now() - RECONCILE_WINDOW_MS).catch(
    (error: unknown) => {
      log.error({ err: error }, 'start-up repair failed');
      return 0;
    },
  );

  return {
    settings,
    storage,
    actors,
    service,
    url,
    reconciled,
    async close() {
      accepting = false;
      if (server !== undefined) {
        const s = server;
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      await worker?.stop();
      await blobCollector?.stop();
      await repairSweep?.stop();
      // After the job worker: its in-flight compose jobs have had their files built.
      await pdf.close();
      channels.close();
      await reconciled;
      actors.stopAll();
      stopActorSystem(system);
      await storage.close();
    },
  };
}
