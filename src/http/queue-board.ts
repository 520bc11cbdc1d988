/**
 * bull-board at /admin/queues (issue #6): the BullMQ queues of every node, for logged-in
 * administrators only. Queues span all organisations, so only the role `admin` gets in —
 * not local-admin, not sender-only. The session is the admin web's own (AdminSessions):
 * one login covers both, through a copy of the cookie scoped to this path that the admin
 * web writes for admins only. Built only in cluster-style setups with REDIS_URL.
 *
 * Every request that changes something (retry, clean, pause, …) must come from this
 * origin (the cookie is SameSite=Lax as well: no cross-site POST carries it) and is written to the audit log.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import { Hono, type Context } from 'hono';
import type { Logger } from 'pino';
import type { AuditLog, ConfigStore } from '../storage/ports.js';
import { AdminSessions } from './admin/admin-sessions.js';
import { clientAddress } from './client-address.js';
import { BASE as ADMIN_BASE } from './admin/admin-context.js';
import { sameOrigin } from './admin/csrf.js';

/** Where the board is mounted. */
export const QUEUE_BOARD_PATH = '/admin/queues';

/** How often the list of queues is re-read from Redis (new job types, other nodes' types). */
const REFRESH_MS = 10_000;

/** What the board needs. */
export interface QueueBoardDeps {
  /** The BullMQ queues (BullmqJobQueue.queuesForBoard). */
  readonly queues: () => Promise<Queue[]>;
  readonly secret: Uint8Array;
  readonly config: Pick<ConfigStore, 'getUser'>;
  readonly audit: AuditLog;
  readonly log: Logger;
  readonly now?: () => number;
  readonly secureCookies?: boolean;
}

/**
 * The directory of @bull-board/ui that @bull-board/api will use, resolved as the api
 * resolves it (from its own location), so the views and static files are the same version
 * in a checkout and in the Docker image (both /app/node_modules/…; the image's cwd is /app).
 */
function bullBoardUiDir(): string {
  const requireFromApi = createRequire(createRequire(import.meta.url).resolve('@bull-board/api'));
  return dirname(requireFromApi.resolve('@bull-board/ui/package.json'));
}

/** Builds the board app, to be mounted at QUEUE_BOARD_PATH. */
export async function createQueueBoardApp(deps: QueueBoardDeps): Promise<Hono> {
  const now = deps.now ?? Date.now;
  const sessions = new AdminSessions({ ...deps, boardPath: QUEUE_BOARD_PATH });
  const adapter = new HonoAdapter(serveStatic).setBasePath(QUEUE_BOARD_PATH);
  const adapt = (queue: Queue) => new BullMQAdapter(queue, { allowRetries: true, description: 'Budbringer-jobber' });
  let known = await deps.queues();
  const board = createBullBoard({
    queues: known.map(adapt),
    serverAdapter: adapter,
    options: {
      uiBasePath: bullBoardUiDir(),
      uiConfig: {
        boardTitle: 'Budbringer – jobbkøer',
        miscLinks: [{ text: 'Forvaltning', url: ADMIN_BASE }],
        hideDocsLink: true,
      },
    },
  });
  let refreshedAt = now();
  const refresh = async (): Promise<void> => {
    // A board that knows no queue yet asks at once: a node starts its web part before its
    // worker registers the job types (node.ts, startParts).
    if (known.length > 0 && now() - refreshedAt < REFRESH_MS) return;
    refreshedAt = now();
    const queues = await deps.queues();
    if (queues.length === known.length && queues.every((q, i) => q === known[i])) return;
    known = queues;
    board.replaceQueues(queues.map(adapt));
  };

  const app = new Hono();
  app.use('*', async (c, next) => {
    const t = now();
    const read = await sessions.read(c, t);
    if (read.user === undefined) return refuseAnonymous(c);
    if (read.user.rolle !== 'admin') {
      return c.json(
        { errorcode: 'INGEN_TILGANG', message: 'Ingen tilgang: jobbkøene krever rollen administrator' },
        403,
      );
    }
    const changing = !['GET', 'HEAD'].includes(c.req.method);
    if (changing && !sameOrigin(c.req.url, c.req.header('origin'), c.req.header('referer'))) {
      return c.json(
        { errorcode: 'INGEN_TILGANG', message: 'Ingen tilgang: forespørselen kommer fra et annet nettsted' },
        403,
      );
    }
    await refresh().catch((error: unknown) => deps.log.warn({ err: error }, 'could not refresh the queue list'));
    if (changing) {
      await deps.audit.record({
        at: t,
        bruker: read.user.brukernavn,
        handling: 'jobbkø.endring',
        objekt: c.req.path.slice(QUEUE_BOARD_PATH.length),
        detaljer: c.req.method,
        adresse: clientAddress(c),
      });
    }
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('X-Frame-Options', 'SAMEORIGIN');
    c.res.headers.set('Referrer-Policy', 'same-origin');
    // The board's page asks for Google Fonts: the policy keeps the admin's browser from
    // telling a third party about it (the system fonts are used instead).
    if ((c.res.headers.get('content-type') ?? '').startsWith('text/html')) {
      c.res.headers.set(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'",
      );
    }
    sessions.write(c, read, read.session ?? sessions.codec.fresh(t), t, read.user);
  });
  app.route('/', adapter.registerPlugin());
  return app;
}

/** A page is sent to the admin login (and back here); anything else gets 401. */
function refuseAnonymous(c: Context): Response {
  const wantsPage = c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html');
  if (wantsPage) {
    const target = new URL(c.req.url).pathname;
    return c.redirect(`${ADMIN_BASE}/logg-inn?neste=${encodeURIComponent(target)}`, 303);
  }
  return c.json({ errorcode: 'IKKE_INNLOGGET', message: 'Ikke innlogget: logg inn i forvaltningen først' }, 401, {
    'WWW-Authenticate': 'Cookie realm="Budbringer forvaltning"',
  });
}
