/**
 * The web part of a node (BUDBRINGER_ROLES contains `web`): the HTTP server with the health
 * endpoints, the operators' endpoints and the doors. It runs no jobs. The app is built
 * once, before listening; the doors read the public URL late (PORT=0 knows its port only
 * once listening), so nothing is rebuilt.
 */
import { serve, type ServerType } from '@hono/node-server';
import { statfs } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maxForsendelseBytes, type Settings } from '../config/schema.js';
import { createHttpApp } from '../http/app.js';
import { trustedProxies } from '../http/client-address.js';
import type { AccessEntry } from '../http/access-log.js';
import { answerClientErrors } from '../http/client-error.js';
import { answerExpectContinue } from '../http/expect-continue.js';
import { endSlowBodies, SLOW_BODY_RULE } from '../http/slow-body-guard.js';
import type { RequestsInFlight } from '../http/requests-in-flight.js';
import { doorMounts, type DoorDeps } from './doors.js';
import { operationsMounts } from './operations.js';
import { probeWrite, readinessCheck } from './readiness.js';
import { packageVersion } from './package-version.js';
import { StartError } from './start-error.js';
import type { PublicUrl } from './public-url.js';

/** What the web part is built from: the doors' dependencies plus the URL to bind. */
export interface WebPartDeps extends Omit<DoorDeps, 'publicUrl'> {
  readonly publicUrl: PublicUrl;
  readonly inFlight: RequestsInFlight;
}

/** A listening web part. */
export interface WebPart {
  /** Tells /readyz and the load balancer to send no more work, then stops the server after its requests. */
  close(): Promise<void>;
}

/** Builds the HTTP app once and listens; resolves when listening, with the URL bound. */
export async function startWebPart(deps: WebPartDeps): Promise<WebPart> {
  const { settings, storage, log } = deps;
  const ops = await operationsMounts({
    settings,
    storage,
    metrics: deps.metrics,
    secret: deps.channels.secret,
    audit: storage.audit,
    log,
    now: deps.now,
  });
  let accepting = true;
  const access = log.child({ component: 'http' });
  const onRequest = (entry: AccessEntry): void => {
    access.info(entry, 'request');
    deps.metrics?.httpRequest(entry.method, entry.route, entry.status, entry.ms / 1000);
  };
  const app = createHttpApp({
    onRequest,
    readiness: readinessCheck({
      accepting: () => accepting,
      ping: () => storage.ping(),
      log,
      freeBytes: async () => {
        const fs = await statfs(settings.DATA_DIR);
        return fs.bavail * fs.bsize;
      },
      minFreeBytes: settings.READY_MIN_FREE_MB * 1024 * 1024,
      // Embedded mode keeps the letters in DATA_DIR; in cluster mode (MongoDB) a send writes nothing there.
      ...(settings.MONGODB_URI === undefined ? { writable: () => probeWrite(settings.DATA_DIR) } : {}),
    }),
    version: packageVersion(),
    trustedProxies: trustedProxies(settings.TRUSTED_PROXIES),
    inFlight: deps.inFlight,
    mounts: [...ops.mounts, ...doorMounts({ ...deps, publicUrl: deps.publicUrl.get }, ops.queueBoardPath)],
  });
  const server = await listen((req, env) => app.fetch(req, env), settings);
  // The most any door takes: inline base64 of the largest letter and its envelope, with room to spare.
  answerExpectContinue(
    server as Server,
    Math.ceil((maxForsendelseBytes(settings) * 4) / 3) + 64 * 1024 * 1024,
    onRequest,
  );
  answerClientErrors(server as Server);
  endSlowBodies(server as Server, SLOW_BODY_RULE, slowBodyLog(log));
  deps.publicUrl.bindListening((server.address() as AddressInfo).port);
  log.info({ url: deps.publicUrl.get(), mode: storage.mode }, 'Budbringer is listening');
  return {
    async close() {
      accepting = false;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Logs the requests ended for a body that came too slowly: the first at once, then at most one
 * line a minute with how many, so a thousand held sockets (slowloris) are one line, not a
 * thousand (docs/operations.md, "Alerts").
 */
function slowBodyLog(log: WebPartDeps['log']): (req: import('node:http').IncomingMessage) => void {
  let quietUntil = 0;
  let unlogged = 0;
  return (req) => {
    unlogged += 1;
    const now = Date.now();
    if (now < quietUntil) return;
    quietUntil = now + 60_000;
    // No path: an inbox link's path is the letter's key.
    log.warn(
      { method: req.method, ended: unlogged, minBytesPerSecond: SLOW_BODY_RULE.minBytesPerSecond },
      'request bodies ended: they came slower than the minimum rate',
    );
    unlogged = 0;
  };
}

/**
 * Starts the HTTP server on PORT and HOST; resolves once it listens. A port taken or an
 * address not on this host rejects with a StartError naming the settings (was: an unhandled
 * 'error' event with a stack trace).
 */
function listen(fetch: Parameters<typeof serve>[0]['fetch'], settings: Settings): Promise<ServerType> {
  return new Promise<ServerType>((resolve, reject) => {
    const server = serve(
      { fetch, port: settings.PORT, hostname: settings.HOST, serverOptions: httpServerOptions(settings) },
      () => resolve(server),
    );
    server.once('error', (error: NodeJS.ErrnoException) => {
      const at = `${settings.HOST}:${settings.PORT}`;
      if (error.code === 'EADDRINUSE')
        reject(new StartError(`PORT: ${at} er allerede i bruk av en annen prosess; velg en annen PORT`, error));
      else if (error.code === 'EADDRNOTAVAIL')
        reject(new StartError(`HOST: ${settings.HOST} er ingen adresse på denne maskinen`, error));
      else if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN')
        reject(new StartError(`HOST: ${settings.HOST} kan ikke slås opp (${error.code}); bruk en IP-adresse`, error));
      else if (error.code === 'EACCES')
        reject(new StartError(`PORT: ${at} krever rettigheter prosessen ikke har; velg en PORT over 1023`, error));
      else reject(error);
    });
  });
}

/**
 * Timeouts of the HTTP server. REQUEST_TIMEOUT_MS: SvarUt lets a call run 15 minutes
 * (docs/interfaces.md §1), Node's defaults would cut large uploads; it also ends a request whose
 * Content-Length promised more than was sent. HEADERS_TIMEOUT_MS bounds slowly sent
 * headers. Idle keep-alive connections are closed by the client or proxy, not by us first:
 * with Node's 5 s a client reusing a connection just as we close it gets ECONNRESET on a
 * send it cannot safely repeat, and a load balancer (60 s idle) answers 502. Node checks
 * the timeouts every `connectionsCheckingInterval` (30 s by default), so a short timeout
 * is checked more often.
 */
export function httpServerOptions(
  settings: Pick<Settings, 'HEADERS_TIMEOUT_MS' | 'REQUEST_TIMEOUT_MS'>,
): import('node:http').ServerOptions {
  const requestTimeout = Math.max(settings.REQUEST_TIMEOUT_MS, settings.HEADERS_TIMEOUT_MS);
  return {
    requestTimeout,
    headersTimeout: settings.HEADERS_TIMEOUT_MS,
    keepAliveTimeout: 65_000,
    connectionsCheckingInterval: Math.min(
      30_000,
      Math.max(250, Math.floor(Math.min(settings.HEADERS_TIMEOUT_MS, requestTimeout) / 4)),
    ),
  };
}
