/**
 * SvarInn, Mottaksservice v1 (`/tjenester/svarinn`, docs/interfaces.md §11): a receiving
 * system's four calls, HTTP Basic with its id and service password (401 with a challenge
 * otherwise). Another system's letter answers 404 exactly like an unknown id. The door only
 * translates; SvarInnService does the work.
 */
import type { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Logger } from 'pino';
import type { MottakersystemService } from '../../app/mottakersystemer.js';
import type { SvarInnService } from '../../app/svarinn-service.js';
import { AuthenticationError, BadRequestError } from '../../domain/errors.js';
import type { Mottakersystem } from '../../storage/ports.js';
import { parseBasicAuth } from '../basic-auth.js';
import { BodyLimit, KIB } from '../body-limit.js';
import { respondRestError } from '../on-error.js';
import { requestBodyStream } from '../request-body.js';
import { contentDisposition, DOCUMENT_CSP, servedMediaType } from '../security-headers.js';
import { svarInnForsendelseJson } from './svarinn-json.js';
import { parseRequestJson, RequestJsonError } from '../request-json.js';
import { allowHeader, answerOptions, methodNotAllowedText, methodsOfKnownPath } from '../method-not-allowed.js';

/** What the SvarInn door needs. */
export interface SvarInnDeps {
  readonly svarinn: SvarInnService;
  readonly mottakersystemer: Pick<MottakersystemService, 'authenticate'>;
  /** Base URL for `downloadUrl` (known once the server listens). */
  readonly publicUrl: () => string;
  readonly log: Logger;
}

type Env = { Bindings: HttpBindings; Variables: { system: Mottakersystem } };

/** mottakFeilet's body is two small fields. */
const FEIL_LIMIT = new BodyLimit(64 * KIB, 'mottakFeilet-innholdet er for stort');
/** kvitterMottak takes no body (clients send none or `""`): what comes is read, within a limit, and dropped. */
const KVITTER_LIMIT = new BodyLimit(64 * KIB, 'kvitterMottak-innholdet er for stort');

/** Builds the SvarInn sub-app, to be mounted at `/tjenester/svarinn`. */
export function createSvarInnApp(deps: SvarInnDeps): Hono<Env> {
  const { svarinn } = deps;
  const app = new Hono<Env>();
  app.onError((error, c) => respondRestError(c, error, deps.log));
  app.use('*', async (c, next) => {
    const credentials = parseBasicAuth(c.req.header('authorization'));
    if (credentials === undefined) throw new AuthenticationError();
    const system = await deps.mottakersystemer.authenticate(credentials.user, credentials.password);
    if (system === undefined) throw new AuthenticationError('Ugyldig brukernavn eller passord');
    c.set('system', system);
    await next();
  });

  app.get('/mottaker/hentNyeForsendelser', async (c) => {
    const base = `${deps.publicUrl()}/tjenester/svarinn/forsendelse/`;
    const list = await svarinn.nyeForsendelser(c.get('system'));
    const json = JSON.stringify(list.map((f) => svarInnForsendelseJson(f, `${base}${f.id}`)));
    return c.body(json, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  });

  app.get('/forsendelse/:id', async (c) => {
    const download = await svarinn.lastNed(c.get('system'), c.req.param('id'));
    return c.body(pulledBody(c, download.body), 200, {
      'Content-Type': servedMediaType(download.contentType),
      'Content-Disposition': contentDisposition('attachment', download.filnavn),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': DOCUMENT_CSP,
      'Cache-Control': 'no-store',
    });
  });

  app.post('/kvitterMottak/forsendelse/:id', async (c) => {
    await drain(c);
    await svarinn.kvitterMottak(c.get('system'), c.req.param('id'));
    return c.body(null, 200);
  });

  app.post('/mottakFeilet/forsendelse/:id', async (c) => {
    FEIL_LIMIT.checkDeclared(c.req.header('content-length'));
    const text = await FEIL_LIMIT.readText(requestBodyStream(c));
    let body: unknown;
    try {
      body = parseRequestJson(text);
    } catch (error) {
      if (!(error instanceof RequestJsonError)) throw error;
      throw new BadRequestError(`Ugyldig JSON: ${error.message}`);
    }
    const { feilmelding, permanent } = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    const problem = (field: string, kind: string, value: unknown): BadRequestError =>
      new BadRequestError(
        value === undefined || value === null
          ? `Ugyldig mottakFeilet: ${field} (${kind}) mangler`
          : `Ugyldig mottakFeilet: ${field} må være ${kind} (fikk ${JSON.stringify(value).slice(0, 40)})`,
      );
    if (typeof feilmelding !== 'string') throw problem('feilmelding', 'tekst', feilmelding);
    if (typeof permanent !== 'boolean') throw problem('permanent', 'true/false', permanent);
    await svarinn.mottakFeilet(c.get('system'), c.req.param('id'), { feilmelding, permanent });
    return c.body(null, 200);
  });

  app.all('*', (c) => {
    const allowed = methodsOfKnownPath(c);
    if (allowed === undefined) return c.json({ errorcode: 'IKKE_FUNNET', message: `Fant ikke ${c.req.path}` }, 404);
    return (
      answerOptions(c, allowed) ??
      c.json({ errorcode: 'METODE_IKKE_TILLATT', message: methodNotAllowedText(c, allowed) }, 405, {
        allow: allowHeader(allowed),
      })
    );
  });
  return app;
}

/**
 * The stream as a response body read only as fast as the client takes it: each chunk is
 * pulled when the connection wants the next (Readable.toWeb reads ahead without limit in
 * Node 20, so a slow receiver of a 300 MB letter would have it buffered in memory). The
 * source is destroyed when the response closes before its end (the receiver went away).
 */
function pulledBody(c: Context<Env>, stream: Readable): ReadableStream<Uint8Array> {
  const chunks = stream[Symbol.asyncIterator]();
  const release = (): void => {
    stream.destroy();
  };
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  if (outgoing !== undefined) outgoing.once('close', release);
  else c.req.raw.signal.addEventListener('abort', release, { once: true });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done === true) {
          controller.close();
          return;
        }
        const chunk = next.value as Buffer;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      },
      cancel() {
        release();
      },
    },
    { highWaterMark: 1 },
  );
}

/** Reads and drops kvitterMottak's body, whatever its bytes (it carries nothing). */
async function drain(c: Context<Env>): Promise<void> {
  KVITTER_LIMIT.checkDeclared(c.req.header('content-length'));
  await KVITTER_LIMIT.read(requestBodyStream(c));
}
