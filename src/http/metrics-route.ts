/**
 * GET /metrics: the node's Prometheus exposition. The labels hold no personal data
 * (composition/node-metrics.ts), so the endpoint is open unless a token is configured;
 * operators scrape nodes on an internal network and keep /metrics off the public side of
 * the load balancer (deploy/nginx.conf answers it with 404).
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';

/** What the route needs. */
export interface MetricsRouteDeps {
  readonly exposition: () => Promise<{ contentType: string; body: string }>;
  /** Bearer token required when set (METRICS_TOKEN). */
  readonly token?: string;
}

/** True when `header` is `Bearer <token>` (constant-time compare). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '', 'utf8');
  const expected = Buffer.from(token, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Builds the app, to be mounted at /metrics. */
export function createMetricsApp(deps: MetricsRouteDeps): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    if (deps.token !== undefined && !bearerMatches(c.req.header('authorization'), deps.token)) {
      return c.json(
        {
          errorcode: 'IKKE_AUTENTISERT',
          message: 'Mangler eller ugyldig token for /metrics (Authorization: Bearer …)',
        },
        401,
        {
          'WWW-Authenticate': 'Bearer realm="metrics"',
        },
      );
    }
    const { contentType, body } = await deps.exposition();
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });
  return app;
}
