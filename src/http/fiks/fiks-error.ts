/**
 * The Fiks error shape every REST v2/v3 error answers with (KS's `ErrorMessage` schema, in
 * each OpenAPI file of src/http/openapi/ks/; docs/interfaces.md "REST v2 and v3"):
 * `{timestamp, status, error, errorId, path, originalPath, message, errorCode, errorJson}`.
 * A validation error's field problems travel in `errorJson`, a JSON object from field to
 * message, as a string: KS's published schema types it so (fiks-svarut-klient 4.8.0 reads
 * a map instead; docs/interfaces.md "REST v2 and v3" says what that client then shows).
 */
import { routePath } from 'hono/route';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import { BudbringerError, ValidationError } from '../../domain/errors.js';

/** The Fiks `ErrorMessage`. */
export interface FiksErrorBody {
  readonly timestamp: number;
  readonly status: number;
  readonly error: string;
  readonly errorId: string;
  readonly path: string;
  readonly originalPath: string;
  readonly message: string;
  readonly errorCode: string;
  readonly errorJson?: string;
}

/** The status and body for `error` at `path`. */
export function fiksErrorOf(error: unknown, path: string, now: number): FiksErrorBody {
  const known = error instanceof BudbringerError;
  const status = known ? error.httpStatus : 500;
  const problems = error instanceof ValidationError ? error.problems : [];
  return {
    timestamp: now,
    status,
    error: STATUS_CODES[status] ?? 'Error',
    errorId: randomUUID(),
    path,
    originalPath: path,
    message: known ? error.message : 'En intern feil oppstod. Prøv igjen senere.',
    errorCode: known ? error.code : 'INTERN_FEIL',
    ...(problems.length === 0 ? {} : { errorJson: JSON.stringify(messagesByField(problems)) }),
  };
}

/** Field → message, the object `errorJson` holds; two problems of one field are joined with "; ", none dropped. */
function messagesByField(problems: readonly { field: string; message: string }[]): Record<string, string> {
  const byField = new Map<string, string>();
  for (const p of problems) {
    const before = byField.get(p.field);
    byField.set(p.field, before === undefined ? p.message : `${before}; ${p.message}`);
  }
  return Object.fromEntries(byField);
}

/** Answers `error` in the Fiks shape; logs it when it is not the caller's fault (with its errorId). */
export function respondFiksError(c: Context, error: unknown, log: Logger): Response {
  const body = fiksErrorOf(error, c.req.path, Date.now());
  // 501 answers a call for something this service does not offer (NHN): the caller's choice, not an outage.
  if (body.status === 501) log.info({ route: routePath(c), errorId: body.errorId }, 'not supported');
  else if (body.status >= 500) log.error({ err: error, route: routePath(c), errorId: body.errorId }, 'request failed');
  if (body.status === 401) c.header('WWW-Authenticate', 'Bearer realm="SvarUt"');
  return c.json(body, body.status as 400);
}
