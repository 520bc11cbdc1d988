/**
 * Budbringer's own extension beside REST v1 (not part of SvarUt): the sender manages its
 * webhook subscriptions with its REST v1 credentials (HTTP Basic as the avsender), under
 * `/tjenester/api/forsendelse/v1/abonnementer` (docs/interfaces.md "Webhooks"). Another
 * avsender's subscription answers 404 like an unknown one.
 */
import { Hono, type Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Logger } from 'pino';
import type { WebhookSubscriptions } from '../../app/webhooks/webhook-subscriptions.js';
import { BadRequestError, ValidationError } from '../../domain/errors.js';
import { requireAvsender } from '../basic-auth.js';
import { BodyLimit, KIB } from '../body-limit.js';
import { respondRestError } from '../on-error.js';
import { requestBodyStream } from '../request-body.js';
import { parseRequestJson, RequestJsonError } from '../request-json.js';

/** What the routes need. */
export interface WebhookRoutesDeps {
  readonly subscriptions: WebhookSubscriptions;
  readonly authenticate: (user: string, password: string) => Promise<string | undefined>;
  readonly log: Logger;
}

type Env = { Bindings: HttpBindings; Variables: { avsender: string } };
type Subscription = Awaited<ReturnType<WebhookSubscriptions['get']>>;
type Delivery = Awaited<ReturnType<WebhookSubscriptions['deliveries']>>['items'][number];

/** The wire names of delivery states. */
const STATE_NAMES = { pending: 'VENTER', delivered: 'LEVERT', failed: 'FEILET' } as const;
const STATES_BY_NAME = new Map(Object.entries(STATE_NAMES).map(([k, v]) => [v, k as keyof typeof STATE_NAMES]));

const JSON_LIMIT = new BodyLimit(16 * KIB, 'JSON-innholdet er for stort');

/** A subscription as answered (the secret only when just created). */
export function subscriptionJson(s: Subscription, withSecret = false): Record<string, unknown> {
  return {
    id: s.id,
    url: s.url,
    opprettet: new Date(s.createdAt).toISOString(),
    ...(withSecret ? { secret: s.secret } : {}),
  };
}

/** One entry of the delivery log as answered. */
export function deliveryJson(d: Delivery): Record<string, unknown> {
  const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    eventId: d.eventId,
    type: d.eventType,
    forsendelseId: d.forsendelseId,
    sekvensnummer: d.seq,
    status: STATE_NAMES[d.state],
    forsok: d.attempts,
    opprettet: iso(d.createdAt),
    nesteForsok: d.state === 'pending' ? iso(d.nextAttemptAt) : null,
    gisOppEtter: iso(d.giveUpAt),
    sisteForsok: iso(d.lastAttemptAt),
    sisteResultat: d.lastResult ?? null,
    levert: iso(d.deliveredAt),
  };
}

/** Builds the sub-app, mounted at `/tjenester/api/forsendelse/v1/abonnementer`. */
export function createWebhookApp(deps: WebhookRoutesDeps): Hono<Env> {
  const { subscriptions } = deps;
  const app = new Hono<Env>();
  app.onError((error, c) => respondRestError(c, error, deps.log));
  app.use('*', async (c, next) => {
    c.set('avsender', await requireAvsender(c.req.header('authorization'), deps.authenticate));
    await next();
  });
  app.get('/', async (c) =>
    c.json({ abonnementer: (await subscriptions.list(c.get('avsender'))).map((s) => subscriptionJson(s)) }),
  );
  app.post('/', async (c) => {
    const body = await readJsonObject(c);
    const url = body['url'];
    const secret = body['secret'];
    if (typeof url !== 'string')
      throw new ValidationError([{ field: 'url', message: 'url mangler eller er ikke tekst' }]);
    if (secret !== undefined && secret !== null && typeof secret !== 'string')
      throw new ValidationError([{ field: 'secret', message: 'secret må være tekst' }]);
    const created = await subscriptions.create(c.get('avsender'), { url, secret: secret ?? undefined });
    return c.json(subscriptionJson(created, true), 201);
  });
  app.get('/:id', async (c) =>
    c.json(subscriptionJson(await subscriptions.get(c.get('avsender'), subscriptionId(c.req.param('id'))))),
  );
  app.delete('/:id', async (c) => {
    await subscriptions.delete(c.get('avsender'), subscriptionId(c.req.param('id')));
    return c.body(null, 204);
  });
  app.get('/:id/leveranser', async (c) => {
    const statusName = c.req.query('status');
    const state = statusName === undefined ? undefined : STATES_BY_NAME.get(statusName as 'VENTER');
    if (statusName !== undefined && state === undefined)
      throw new ValidationError([{ field: 'status', message: 'status må være VENTER, LEVERT eller FEILET' }]);
    const limit = intParam(c.req.query('antall'), 'antall', 50, 1, 500);
    const offset = intParam(c.req.query('fra'), 'fra', 0, 0, 1_000_000_000);
    const page = await subscriptions.deliveries(c.get('avsender'), subscriptionId(c.req.param('id')), {
      state,
      limit,
      offset,
    });
    return c.json({ totalt: page.total, leveranser: page.items.map(deliveryJson) });
  });
  app.post('/:id/leveranser/send-igjen', async (c) => {
    const antall = await subscriptions.resend(c.get('avsender'), subscriptionId(c.req.param('id')));
    return c.json({ antall });
  });
  return app;
}

/** A subscription id as written in a path: any case, as letter ids are taken (ids are lower-case UUIDs). */
function subscriptionId(param: string): string {
  return param.toLowerCase();
}

/** A whole-number query parameter within bounds, or a ValidationError naming it. */
function intParam(raw: string | undefined, field: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ValidationError([{ field, message: `${field} må være et heltall fra ${min} til ${max}` }]);
  return n;
}

/** A small JSON object body. */
async function readJsonObject(c: Context<Env>): Promise<Record<string, unknown>> {
  JSON_LIMIT.checkDeclared(c.req.header('content-length'));
  const text = await JSON_LIMIT.readText(requestBodyStream(c));
  let body: unknown;
  try {
    body = parseRequestJson(text);
  } catch (error) {
    if (!(error instanceof RequestJsonError)) throw error;
    throw new BadRequestError(`Ugyldig JSON: ${error.message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequestError('Forventet et JSON-objekt med url og eventuelt secret');
  return body as Record<string, unknown>;
}
