/**
 * One access-log line per request (issue #18 "Logs and metrics an on-call person needs"):
 * method, the route *pattern* (`/forvaltning/forsendelser/:id`, never the raw path, which
 * may carry a token or an id), status, milliseconds to the response headers, and the
 * avsender that authenticated with HTTP Basic (REST, SOAP). Query strings, bodies,
 * addresses and headers other than that name are never logged: no personal data.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { parseBasicAuth } from './basic-auth.js';

/** What is recorded of one request. */
export interface AccessEntry {
  readonly method: string;
  /** The route pattern that answered; `*`-patterns for middleware that answered itself. */
  readonly route: string;
  readonly status: number;
  /** Milliseconds from the request to its response headers (a download's body may take longer). */
  readonly ms: number;
  /** The authenticated avsender (HTTP Basic user of REST and SOAP), when it was accepted. */
  readonly avsender?: string;
}

/** The pattern standing for requests no route matched. */
export const UNMATCHED_ROUTE = '(ingen rute)';

/** Middleware that hands every finished request to `record`. */
export function accessLog(
  record: (entry: AccessEntry) => void,
  clock: () => number = () => performance.now(),
): MiddlewareHandler {
  return async (c, next) => {
    const started = clock();
    try {
      await next();
    } finally {
      const status = c.res.status;
      const route = routePath(c);
      // The top-level middleware itself ('/*' here) means nothing more specific answered.
      const pattern = route === '' || (route === '/*' && status === 404) ? UNMATCHED_ROUTE : route;
      const varAvsender: unknown = (c.var as Record<string, unknown>).avsender;
      const basicUser = status !== 401 ? parseBasicAuth(c.req.header('authorization'))?.user : undefined;
      const avsender = typeof varAvsender === 'string' ? varAvsender : basicUser;
      record({
        method: c.req.method,
        route: pattern,
        status,
        ms: Math.round((clock() - started) * 10) / 10,
        ...(avsender === undefined ? {} : { avsender }),
      });
    }
  };
}
