/**
 * What the REST v2 and v3 doors share: the authentication of every call (bearer token and
 * integration, src/app/fiks/fiks-auth.ts), the account or letter it may touch, small JSON
 * bodies, the multipart send, status lists and timestamps.
 */
import { Hono, type Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Logger } from 'pino';
import type { FiksAuthenticator, FiksCaller } from '../../app/fiks/fiks-auth.js';
import type { ForsendelseService, StatusView } from '../../app/forsendelse-service.js';
import type { LetterFiles } from '../../app/letter-files.js';
import { withIntakeLease } from '../../app/intake-lease.js';
import { BadRequestError, BudbringerError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { ForsendelseInput } from '../../domain/model.js';
import { isForsendelseId, quote } from '../../domain/validation/index.js';
import { formatIsoWithOffset } from '../../domain/time/index.js';
import type { BlobStore } from '../../storage/ports.js';
import { BodyLimit, MAX_JSON_BYTES, MAX_METADATA_BYTES } from '../body-limit.js';
import { requestBodyStream } from '../request-body.js';
import type { FormLimits } from '../rest/multipart-form.js';
import { withMultipartSend } from '../rest/multipart-send.js';
import { respondFiksError } from './fiks-error.js';
import { inFiksTerms, type FiksVersion } from './fiks-field-names.js';
import { parseRequestJson, RequestJsonError } from '../request-json.js';
import { allowHeader, answerOptions, methodNotAllowedText, methodsOfKnownPath } from '../method-not-allowed.js';

/** Lookups the Fiks doors need beyond ForsendelseService (ForsendelseServiceImpl has them). */
export interface FiksLookups {
  /** The letter's avsender when it is one of `blant`; NotFoundError otherwise (unknown ids alike). */
  avsenderAv(id: string, blant: readonly string[]): Promise<string>;
  eksternrefTreff(
    avsender: string,
    eksternref: string,
  ): Promise<{ id: string; mottattAt: number; avgivendeSystem?: string }[]>;
}

/** What the REST v2/v3 doors need. */
export interface FiksDeps {
  readonly service: ForsendelseService;
  readonly lookups: FiksLookups;
  readonly auth: FiksAuthenticator;
  readonly blobs: BlobStore;
  /** A stored document read back, checked against its address (LetterFiles.open). */
  readonly files: Pick<LetterFiles, 'open'>;
  readonly log: Logger;
  readonly maxForsendelseBytes: number;
  /** The node's public URL (download links in metadata). */
  readonly publicUrl: () => string;
}

export type FiksEnv = { Bindings: HttpBindings; Variables: { caller: FiksCaller } };

/** A sub-app whose every call is authenticated and whose every error is in the Fiks shape. */
export function fiksApp(deps: FiksDeps): Hono<FiksEnv> {
  const app = new Hono<FiksEnv>();
  app.onError((error, c) => respondFiksError(c, error, deps.log));
  app.use('*', async (c, next) => {
    c.set(
      'caller',
      await deps.auth.authenticate({
        authorization: c.req.header('authorization'),
        integrasjonId: c.req.header('integrasjonid'),
        integrasjonPassord: c.req.header('integrasjonpassord'),
      }),
    );
    await next();
  });
  return app;
}

/** Answers every path the door does not know with 404 in the Fiks shape; a known path asked with another method 405. */
export function fiksNotFound(app: Hono<FiksEnv>): void {
  app.all('*', (c) => {
    const allowed = methodsOfKnownPath(c);
    if (allowed === undefined) throw new NotFoundError('Tjenesten');
    const options = answerOptions(c, allowed);
    if (options !== undefined) return options;
    c.header('allow', allowHeader(allowed));
    throw new BudbringerError('METODE_IKKE_TILLATT', methodNotAllowedText(c, allowed), 405);
  });
}

/** The avsender of the account in the path, if the caller has a grant for it (else 403). */
export function kontoAvsender(deps: FiksDeps, c: Context<FiksEnv>): Promise<string> {
  return deps.auth.avsenderForKonto(c.get('caller'), c.req.param('kontoId') ?? '');
}

/**
 * The avsender of the letter in the path, if it belongs to an account of the caller's (else
 * 404). Every spec types the path's forsendelseId `format: uuid` (KS binds it to
 * java.util.UUID, which Spring refuses with 400): one that is not is a malformed call, named
 * as such, not a letter that does not exist.
 */
export async function forsendelseAvsender(deps: FiksDeps, c: Context<FiksEnv>): Promise<string> {
  const id = c.req.param('forsendelseId') ?? '';
  if (!isForsendelseId(id))
    throw new ValidationError([
      { field: 'forsendelseId', message: `Ugyldig forsendelseId: forsendelseId må være en UUID (fikk ${quote(id)})` },
    ]);
  return deps.lookups.avsenderAv(id, c.get('caller').kontoer);
}

const JSON_LIMIT = new BodyLimit(MAX_JSON_BYTES, 'JSON-innholdet er for stort');

/** Parses a small JSON body within MAX_JSON_BYTES. */
export async function readJson(c: Context<FiksEnv>): Promise<unknown> {
  JSON_LIMIT.checkDeclared(c.req.header('content-length'));
  const text = await JSON_LIMIT.readText(requestBodyStream(c));
  try {
    return parseRequestJson(text === '' ? 'null' : text);
  } catch (error) {
    if (!(error instanceof RequestJsonError)) throw error;
    throw new BadRequestError(`Ugyldig JSON: ${error.message}`);
  }
}

/** The list of ids under `field` of a status search body. */
export function idList(body: unknown, field: string): string[] {
  const ids = (body as Record<string, unknown> | null)?.[field];
  if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string'))
    throw new ValidationError([{ field, message: `Forventet {"${field}": [forsendelse-id, …]}` }]);
  // The specs type each a UUID (KS binds them to java.util.UUID): one that is not is the
  // caller's error, not a letter that does not exist (an empty answer said so; found in review).
  const malformed = ids.flatMap((id, i) => (isForsendelseId(id) ? [] : [{ id, i }]));
  if (malformed.length > 0)
    throw new ValidationError(
      malformed.slice(0, 10).map(({ id, i }) => ({
        field: `${field}[${i}]`,
        message: `Ugyldig forsendelses-id: ${field}[${i}] må være en UUID (fikk ${quote(id)})`,
      })),
    );
  return ids;
}

/** A status as the v2/v3 `ForsendelseStatus` (our statuses are the 13 of v2, all among v3's 17). */
export function statusJson(s: StatusView): { id: string; sisteStatusEndring: string; status: string } {
  return { id: s.id, sisteStatusEndring: formatIsoWithOffset(s.sisteStatusEndring), status: s.status };
}

/**
 * The multipart send (part `forsendelse` with the JSON, then the documents, matched by
 * `filename` in order; part names ignored), stored under the request's lease.
 */
export function sendMultipart(
  deps: FiksDeps,
  c: Context<FiksEnv>,
  avsender: string,
  parse: (json: unknown) => ForsendelseInput,
  version: FiksVersion,
): Promise<Response> {
  const limits: FormLimits = {
    maxFileBytes: deps.maxForsendelseBytes,
    maxFieldBytes: MAX_METADATA_BYTES,
    maxParts: 1000,
  };
  return withIntakeLease(
    deps.blobs,
    async (blobs) => {
      try {
        return await withMultipartSend(c, blobs, limits, parse, 'dokumentene', async ({ input, documents }) => {
          const id = await deps.service.send(
            avsender,
            input,
            documents.map((d) => d.blob),
            { documentBytes: documents.map((d) => d.bytes), konteringskodeUnderscore: true },
          );
          return c.json({ id });
        });
      } catch (error) {
        // Every refusal names the field as the caller's JSON does.
        throw error instanceof ValidationError ? inFiksTerms(error, version) : error;
      }
    },
    (err) => deps.log.warn({ err }, 'could not release an intake lease'),
  );
}
