/**
 * The one place that turns errors into HTTP answers for REST (`{"errorcode","message"}`,
 * jsonschema-rest-v1/error.json). SOAP faults are shaped by src/http/soap/soap-fault.ts.
 * Unexpected errors are logged with the request and answered without internals.
 */
import { routePath } from 'hono/route';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import { BudbringerError } from '../domain/errors.js';
import { BASIC_REALM } from './basic-auth.js';

/** The REST error body. */
export interface RestErrorBody {
  readonly errorcode: string;
  readonly message: string;
}

/** Maps an error to an HTTP status and REST body. */
export function restErrorOf(error: unknown): { status: number; body: RestErrorBody } {
  if (error instanceof BudbringerError)
    return { status: error.httpStatus, body: { errorcode: error.code, message: error.message } };
  return { status: 500, body: { errorcode: 'INTERN_FEIL', message: 'En intern feil oppstod. Prøv igjen senere.' } };
}

/** Answers `error` as REST JSON; logs it when it is not the caller's fault. */
export function respondRestError(c: Context, error: unknown, log: Logger): Response {
  const { status, body } = restErrorOf(error);
  // 501 refuses what the caller sent (a transfer coding we do not implement), as the Fiks door logs it.
  if (status === 501) log.info({ route: routePath(c), reason: body.message }, 'not supported');
  else if (status >= 500) log.error({ err: error, route: routePath(c) }, 'request failed');
  if (status === 401) c.header('WWW-Authenticate', `Basic realm="${BASIC_REALM}", charset="UTF-8"`);
  return c.json(body, status as 400);
}
