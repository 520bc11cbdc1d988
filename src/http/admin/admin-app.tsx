/**
 * The admin web ("Forvaltningsweb", issue): server-rendered pages under /forvaltning with
 * hono's JSX, sessions in signed HttpOnly SameSite=Lax cookies, a CSRF token on every
 * form, login throttling, and an audit log of every action. Middleware order matters:
 * security headers → session → CSRF → login routes → the login guard → the pages.
 */
import { routePath } from 'hono/route';
import { Hono } from 'hono';
import { contextStorage } from 'hono/context-storage';
import { HTTPException } from 'hono/http-exception';
import { BudbringerError, ForbiddenError, UnavailableError } from '../../domain/errors.js';
import { BASE, currentUser, type AdminContext, type AdminDeps, type AdminEnv } from './admin-context.js';
import { auditRoutes } from './audit-routes.js';
import { configRoutes } from './config-routes.js';
import { integrationRoutes } from './integration-routes.js';
import { CSRF_FIELD, CsrfTokens, sameOrigin } from './csrf.js';
import { detailRoutes } from './detail-routes.js';
import { jobRoutes } from './job-routes.js';
import { readUrlEncoded } from './form-data.js';
import { requestBodyStream } from '../request-body.js';
import { listRoutes } from './list-routes.js';
import { loginRoutes } from './login-routes.js';
import { mottakersystemRoutes } from './mottakersystem-routes.js';
import { printRoutes } from './print-routes.js';
import { sendRoutes } from './send-routes.js';
import { AdminSessions } from './admin-sessions.js';
import type { SessionData } from './session.js';
import { FORVALTNING_CSS, FORVALTNING_JS } from './static-assets.js';
import { statsRoutes } from './stats-routes.js';
import { webhookRoutes } from './webhook-routes.js';
import { HelpPage } from './views/help-page.js';
import { ErrorPage } from './views/simple-pages.js';
import { applySecurityHeaders } from '../security-headers.js';
import { allowHeader, answerOptions, methodNotAllowedText, methodsOfKnownPath } from '../method-not-allowed.js';

/**
 * Content-Security-Policy of the pages: everything from this origin, nothing inline. No
 * `sandbox` here: these pages need their script and their origin (forms, cookies), and a
 * sandboxed page may not show a PDF in a frame (Chromium refuses; the cover-page preview).
 * What a sender supplied is never one of these pages: it is a file under DOCUMENT_CSP.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** Builds the admin web, to be mounted at `/forvaltning`. */
export function createAdminApp(deps: AdminDeps): Hono<AdminEnv> {
  const now = deps.now ?? Date.now;
  const sessions = new AdminSessions({ ...deps, boardPath: deps.queueBoardPath });
  const csrf = new CsrfTokens(deps.secret);
  const app = new Hono<AdminEnv>();

  app.onError((error, c) => renderError(c, error, deps));
  // The page frame reads request-wide values (the board link) without every page passing them.
  app.use('*', contextStorage());
  app.use('*', async (c, next) => {
    c.set('queueBoardPath', deps.queueBoardPath);
    await next();
  });

  // Every response: pages get CSP above; files (downloads, PDFs, CSV, CSS, JS) the sandboxing DOCUMENT_CSP.
  app.use('*', async (c, next) => {
    await next();
    applySecurityHeaders(c.res, { pageCsp: CSP, referrerPolicy: 'same-origin', frameOptions: 'SAMEORIGIN' });
    if (!c.req.path.startsWith(`${BASE}/static/`)) c.res.headers.set('Cache-Control', 'no-store');
  });

  app.get('/static/forvaltning.css', (c) =>
    c.body(FORVALTNING_CSS, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    }),
  );
  app.get('/static/forvaltning.js', (c) =>
    c.body(FORVALTNING_JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    }),
  );

  // Session: read and verify the cookie; write it back when it changed or its activity time is stale.
  app.use('*', async (c, next) => {
    const t = now();
    const read = await sessions.read(c, t);
    const session = read.session ?? sessions.codec.fresh(t);
    c.set('session', session);
    c.set('user', read.user);
    c.set('csrf', csrf.tokenFor(session.sid));
    // The safe methods change nothing (RFC 9110 §9.2.1): OPTIONS too, which answers only Allow.
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) await checkCsrf(c, csrf, read.session);
    await next();
    sessions.write(c, read, c.get('session'), t, c.get('user'));
  });

  loginRoutes(app, deps, sessions.codec);

  // Everything below needs a logged-in user.
  app.use('*', async (c, next) => {
    if (c.get('user') !== undefined) return next();
    const target = c.req.method === 'GET' ? new URL(c.req.url).pathname + new URL(c.req.url).search : undefined;
    return c.redirect(
      `${BASE}/logg-inn${target === undefined || target === BASE ? '' : `?neste=${encodeURIComponent(target)}`}`,
      303,
    );
  });
  app.get('/', (c) =>
    c.redirect(c.get('user')?.rolle === 'sender-only' ? `${BASE}/send` : `${BASE}/forsendelser`, 303),
  );
  listRoutes(app, deps);
  detailRoutes(app, deps);
  sendRoutes(app, deps);
  printRoutes(app, deps);
  configRoutes(app, deps);
  integrationRoutes(app, deps);
  webhookRoutes(app, deps);
  statsRoutes(app, deps);
  auditRoutes(app, deps);
  if (deps.mottakersystemer !== undefined) mottakersystemRoutes(app, deps, deps.mottakersystemer);
  jobRoutes(app, deps);
  // "Fortsett å være innlogget" (the layout's session warning): a request is activity, which
  // the session middleware records; nothing else happens.
  app.get('/okt', (c) => {
    currentUser(c);
    c.header('Cache-Control', 'no-store');
    return c.body(null, 204);
  });
  app.get('/hjelp', (c) => {
    const user = c.get('user');
    if (user?.rolle === 'sender-only')
      throw new ForbiddenError('Ingen tilgang: brukeren har bare tilgang til å sende forsendelser');
    return c.html(<HelpPage ctx={{ user, csrf: c.get('csrf') }} />);
  });
  app.all('*', (c) => {
    if (c.req.path === `${BASE}/`) return c.redirect(BASE, 301);
    const allowed = methodsOfKnownPath(c);
    if (allowed !== undefined) {
      const options = answerOptions(c, allowed);
      if (options !== undefined) return options;
      c.header('allow', allowHeader(allowed));
    }
    const status = allowed === undefined ? 404 : 405;
    return c.html(
      <ErrorPage
        ctx={{ user: c.get('user'), csrf: c.get('csrf') }}
        status={status}
        message={allowed === undefined ? `Siden ${c.req.path} finnes ikke.` : methodNotAllowedText(c, allowed)}
      />,
      status,
    );
  });
  return app;
}

/**
 * Refuses an unsafe request without a valid token for an existing session, or from
 * another origin. Multipart forms (uploads) carry the token in the query string, so it is
 * checked before a single uploaded byte is stored.
 */
async function checkCsrf(c: AdminContext, tokens: CsrfTokens, session: SessionData | undefined): Promise<void> {
  const refused = new ForbiddenError(
    'Skjemaet mangler gyldig sikkerhetsnøkkel (CSRF-token). Last siden på nytt og send skjemaet igjen.',
  );
  if (!sameOrigin(c.req.url, c.req.header('origin'), c.req.header('referer'))) throw refused;
  if (session === undefined) throw refused;
  const contentType = c.req.header('content-type') ?? '';
  let token: string | undefined;
  if (/^multipart\/form-data/i.test(contentType)) {
    token = c.req.query(CSRF_FIELD);
  } else if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
    const form = await readUrlEncoded(requestBodyStream(c), undefined, c.req.header('content-length'));
    c.set('form', form);
    token = form.get(CSRF_FIELD);
  } else {
    token = c.req.header('x-csrf-token');
  }
  if (!tokens.verify(session.sid, token)) throw refused;
}

/** The one place that turns errors into pages. */
function renderError(c: AdminContext, error: Error, deps: AdminDeps): Response | Promise<Response> {
  const status =
    error instanceof BudbringerError ? error.httpStatus : error instanceof HTTPException ? error.status : 500;
  if (status >= 500) deps.log.error({ err: error, route: routePath(c) }, 'admin request failed');
  if (status === 401) return c.redirect(`${BASE}/logg-inn`, 303);
  // A temporary outage we can name (UnavailableError) is said as it is; other 5xx stay internal.
  const message =
    status >= 500 && !(error instanceof UnavailableError)
      ? 'En intern feil oppstod. Prøv igjen senere.'
      : error.message;
  const ctx = { user: c.get('user'), csrf: c.get('csrf') ?? '' };
  return c.html(<ErrorPage ctx={ctx} status={status} message={message} />, status as 400);
}
