/**
 * The HTTP application: health endpoints plus the doors mounted by the composition root
 * (REST v1, SOAP V9, the recipients' inbox, the admin web, print receipts, metrics).
 */
import type { BlockList } from 'node:net';
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { accessLog, type AccessEntry } from './access-log.js';
import { clientAddressMiddleware } from './client-address.js';
import {
  allowHeader,
  answerOptions,
  methodNotAllowedText,
  methodsOfKnownPath,
  RouteMethods,
  routeMethodsMiddleware,
} from './method-not-allowed.js';
import type { RequestsInFlight } from './requests-in-flight.js';

/** A sub-application and where it is mounted. */
export interface Mount {
  readonly path: string;
  readonly app: Hono<never> | Hono<any>;
}

/** /readyz's answer: ready; draining (SIGTERM); or unavailable, with why (its store does not answer). */
export type Readiness =
  | { readonly status: 'ready' }
  | { readonly status: 'draining' }
  | { readonly status: 'unavailable'; readonly reason: string };

/** What the app needs. */
export interface HttpAppDeps {
  readonly mounts: readonly Mount[];
  /** Whether the node takes work now: /readyz (503 unless ready). */
  readonly readiness: () => Promise<Readiness>;
  /** Proxies whose X-Forwarded-For names the client (TRUSTED_PROXIES). */
  readonly trustedProxies: BlockList;
  /** Counts the requests being answered (background jobs yield to them). */
  readonly inFlight?: RequestsInFlight;
  /** Budbringer's version (package.json), shown by /healthz. */
  readonly version?: string;
  /** Told of every finished request (the access log and the HTTP metrics). */
  readonly onRequest?: (entry: AccessEntry) => void;
}

/** Builds the app. `/healthz` answers while the process lives; `/readyz` 200 only while it takes work. */
export function createHttpApp(deps: HttpAppDeps): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  // Built once every door is mounted (below); read per request by the doors' catch-alls.
  let routeMethods: RouteMethods | undefined;
  app.use(
    '*',
    routeMethodsMiddleware(() => routeMethods),
  );
  if (deps.onRequest !== undefined) app.use('*', accessLog(deps.onRequest));
  if (deps.inFlight !== undefined) app.use('*', deps.inFlight.middleware());
  // Without trusted proxies the socket's peer is the client: nothing to resolve per request.
  if (deps.trustedProxies.rules.length > 0) app.use('*', clientAddressMiddleware(deps.trustedProxies));
  app.get('/healthz', (c) => c.json({ status: 'ok', version: deps.version }));
  app.get('/readyz', async (c) => {
    const readiness = await deps.readiness();
    return c.json(readiness, readiness.status === 'ready' ? 200 : 503);
  });
  // Browsers ask for it on every page of the admin web and the inbox: no icon, and no 404 in their consoles.
  app.get('/favicon.ico', (c) => c.body(null, 204, { 'cache-control': 'public, max-age=86400' }));
  for (const m of deps.mounts) app.route(m.path, m.app as Hono<{ Bindings: HttpBindings }>);
  routeMethods = new RouteMethods(app.routes);
  // A known path asked with a method it does not take: 405 and the methods it does (Allow).
  app.notFound((c) => {
    const allowed = methodsOfKnownPath(c);
    if (allowed !== undefined)
      return (
        answerOptions(c, allowed) ??
        c.json({ errorcode: 'METODE_IKKE_TILLATT', message: methodNotAllowedText(c, allowed) }, 405, {
          allow: allowHeader(allowed),
        })
      );
    return c.json({ errorcode: 'IKKE_FUNNET', message: `Finnes ikke: ${c.req.method} ${c.req.path}` }, 404);
  });
  return app;
}
