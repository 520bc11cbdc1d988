/**
 * SvarUt REST API v1 (`/tjenester/api/forsendelse/v1`, docs/interfaces.md §9): every endpoint, JSON
 * shaped as jsonschema-rest-v1/, HTTP Basic as the avsender. Another avsender's id
 * answers 404 exactly like an unknown id.
 */
import { Hono, type Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Logger } from 'pino';
import type { ForsendelseService } from '../../app/forsendelse-service.js';
import type { LetterFiles } from '../../app/letter-files.js';
import { BadRequestError, NotFoundError, ValidationError, type FieldProblem } from '../../domain/errors.js';
import { formatOsloTimestamp } from '../../domain/time/index.js';
import { isForsendelseId, quote } from '../../domain/validation/index.js';
import type { BlobStore } from '../../storage/ports.js';
import { withIntakeLease } from '../../app/intake-lease.js';
import { requireAvsender } from '../basic-auth.js';
import { respondRestError } from '../on-error.js';
import { requestBodyStream } from '../request-body.js';
import { setDocumentHeaders } from '../security-headers.js';
import { blobResponse } from '../blob-download.js';
import { BodyLimit, MAX_JSON_BYTES, MAX_METADATA_BYTES } from '../body-limit.js';
import type { FormLimits } from './multipart-form.js';
import { withMultipartSend } from './multipart-send.js';
import { inRestV1Terms } from './v1-field-names.js';
import { mottakersystemQuery } from '../mottakersystem-query.js';
import { forsendelseFromV1Json, v1DateValue, v1KreverDigitalMottaker } from './v1-forsendelse-json.js';
import { parseRequestJson, RequestJsonError } from '../request-json.js';
import { documentIndex } from '../document-index.js';

/** What the REST v1 routes need. */
export interface RestV1Deps {
  readonly service: ForsendelseService;
  readonly blobs: BlobStore;
  /** A stored document read back, checked against its address (LetterFiles.open). */
  readonly files: Pick<LetterFiles, 'open'>;
  readonly log: Logger;
  /** The documents of one forsendelse together (MAX_FORSENDELSE_BYTES). */
  readonly maxForsendelseBytes: number;
}

type Env = { Bindings: HttpBindings; Variables: { avsender: string } };

/** The statusResult JSON of REST v1. */
function statusJson(s: { id: string; status: string; sisteStatusEndring: number }): object {
  return { forsendelsesId: { id: s.id }, sisteStatusEndring: s.sisteStatusEndring, status: s.status };
}

/** At most this many entries of a list are named in a refusal: 500 000 made a 48 MB answer (found in review). */
const MAX_NAMED = 10;

/**
 * A v1 list of forsendelse ids: {"id": "<uuid>"} objects (KS's ForsendelsesId) or bare id
 * strings. Another shape, or an id that is no UUID (KS binds it to java.util.UUID), is the
 * caller's error, named, not looked up as an id that "finnes ikke" (it was left out of the
 * answer, as if it did not exist; found in review).
 */
function idList(body: unknown, notAList: string): string[] {
  if (!Array.isArray(body)) throw new ValidationError([{ field: 'forsendelseIder', message: notAList }]);
  const ids: string[] = [];
  const problems: FieldProblem[] = [];
  for (const [i, b] of body.entries()) {
    const id = typeof b === 'string' ? b : (b as { id?: unknown } | null)?.id;
    const field = `forsendelseIder[${i}]`;
    if (typeof id === 'string' && isForsendelseId(id.trim())) ids.push(id.trim());
    else if (typeof id === 'string')
      problems.push({ field, message: `Ugyldig forsendelses-id: ${field} må være en UUID (fikk ${quote(id)})` });
    else
      problems.push({
        field,
        message: `Ugyldig verdi i ${field}: forventet {"id": "<forsendelses-id>"} eller en id`,
      });
  }
  if (problems.length > MAX_NAMED) {
    const more = problems.length - MAX_NAMED;
    problems.splice(MAX_NAMED, more, {
      field: 'forsendelseIder',
      message: `… og ${more} ${more === 1 ? 'ugyldig verdi' : 'ugyldige verdier'} til i forsendelseIder`,
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return ids;
}

/** Builds the REST v1 sub-app, to be mounted at `/tjenester/api/forsendelse/v1`. */
export function createRestV1App(deps: RestV1Deps): Hono<Env> {
  const { service } = deps;
  const app = new Hono<Env>();
  const formLimits: FormLimits = {
    maxFileBytes: deps.maxForsendelseBytes,
    maxFieldBytes: MAX_METADATA_BYTES,
    maxParts: 1000,
  };
  app.onError((error, c) =>
    respondRestError(c, error instanceof ValidationError ? inRestV1Terms(error) : error, deps.log),
  );
  app.use('*', async (c, next) => {
    c.set('avsender', await requireAvsender(c.req.header('authorization'), (u, p) => service.authenticate(u, p)));
    await next();
  });

  // The files are stored as they stream in, under the request's lease: a refused send's
  // documents are deleted before the answer goes out (src/app/intake-lease.ts).
  const send = (c: Context<Env>, id?: string): Promise<Response> =>
    withIntakeLease(
      deps.blobs,
      (blobs) => sendWith(c, blobs, id),
      (err) => deps.log.warn({ err }, 'could not release an intake lease'),
    );
  const sendWith = (c: Context<Env>, blobs: BlobStore, id?: string): Promise<Response> =>
    withMultipartSend(c, blobs, formLimits, forsendelseFromV1Json, 'filene', async ({ input, documents, json }) => {
      const newId = await service.send(
        c.get('avsender'),
        input,
        documents.map((d) => d.blob),
        {
          documentBytes: documents.map((d) => d.bytes),
          ...(id === undefined ? {} : { id }),
          ...(v1KreverDigitalMottaker(json) ? { kreverDigitalMottaker: true } : {}),
        },
      );
      return c.json({ id: newId });
    });

  app.post('/sendForsendelse', (c) => send(c));
  app.post('/startNyForsendelse', (c) => c.json({ id: service.newId() }));
  app.post('/statuser', async (c) => {
    // KS's Java client sends id strings; KS's page types the list as List<ForsendelsesId>,
    // {"id": …} objects (found comparing with ks-no.github.io): both are taken.
    const ids = idList(await readJson(c), 'Forventet en JSON-liste med forsendelse-id-er');
    const statuser = await service.statuses(c.get('avsender'), ids);
    return c.json({ statuser: statuser.map(statusJson) });
  });
  app.post('/slettFiler', async (c) => {
    const ids = idList(await readJson(c), 'Forventet en JSON-liste av {"id": ...}');
    await service.slettFiler(c.get('avsender'), ids);
    return c.body(null, 204);
  });
  app.get('/forsendelseTyper', async (c) => c.json({ forsendelseTyper: await service.forsendelseTyper() }));
  const treff = async (c: Context<Env>, orgnr: string | undefined): Promise<Response> => {
    const list = await service.mottakersystemer(
      mottakersystemQuery(
        { orgnr, forsendelseType: c.req.query('forsendelsesType'), niva: c.req.query('niva') },
        // v1 has no pattern for the type (a type may hold a space: "Innkommende dokument").
        { orgnr: 'organisasjonsNummer', forsendelseType: 'forsendelsesType', typePattern: false },
      ),
    );
    return c.json({
      treff: list.map((m) => ({
        organisasjonsNummer: m.orgnr,
        forsendelsesType: m.forsendelseType ?? null,
        mottakerSystem: m.mottakersystem,
        mottakerId: m.mottakerId,
        niva: m.niva,
      })),
    });
  };
  app.get('/mottakersystem', (c) => treff(c, c.req.query('organisasjonsNummer')));
  app.get('/mottakersystem/:orgnr', (c) => treff(c, c.req.param('orgnr')));
  // The ref is everything after /eksternref/: KS's v1 client puts it in the path as it is,
  // so a ref like "sak-2026/42" arrives with its slash (or as %2F from other clients).
  app.get('/eksternref/:ref{.+}', async (c) => {
    const ids = await service.idsByEksternref(c.get('avsender'), c.req.param('ref'));
    return c.json({ forsendelseIder: ids.map((id) => ({ id })) });
  });
  app.post('/:id/sendForsendelse', (c) => send(c, c.req.param('id')));
  app.get('/:id/status', async (c) => c.json(statusJson(await service.status(c.get('avsender'), c.req.param('id')))));
  app.get('/:id/historikk', async (c) => {
    const log = await service.historikk(c.get('avsender'), c.req.param('id'));
    return c.json({
      hendelsesLogger: log.map((h) => ({ tidspunkt: formatOsloTimestamp(h.at), hendelse: h.hendelse })),
    });
  });
  app.get('/:id/dokumentMetadata', async (c) => {
    const docs = await service.dokumentMetadata(c.get('avsender'), c.req.param('id'));
    return c.json({
      dokumentMetadata: docs.map((d) => ({
        mimeType: d.mimetype,
        filnavn: d.filnavn,
        kanSigneres: d.kanSigneres,
        inneholderPersonsensitivInformasjon: d.inneholderPersonsensitivInformasjon,
        sizeInBytes: d.sizeInBytes,
        sha256hash: d.sha256hash,
        dokumentType: d.dokumentType ?? null,
        nedlasningsUrl: d.nedlasningsUrl ?? null,
        signeringsUrl: null,
        ekstraMetadata: d.ekstraMetadata,
      })),
    });
  });
  app.get('/:id/dokumenter/:index', async (c) => {
    const docs = await service.dokumentMetadata(c.get('avsender'), c.req.param('id'));
    const index = documentIndex(c.req.param('index'));
    const doc = index === undefined ? undefined : docs[index];
    if (doc?.nedlasningsUrl === undefined) throw new NotFoundError('Dokument');
    return blobResponse(
      c,
      () => deps.files.open({ sha256: doc.sha256hash, size: doc.sizeInBytes }),
      (body) => {
        // An archive client saves it; a browser that follows nedlasningsUrl must not render it.
        setDocumentHeaders(c, { filename: doc.filnavn, mimetype: doc.mimetype, inlinePdf: false });
        c.header('Content-Length', String(doc.sizeInBytes));
        return c.body(body);
      },
      { length: doc.sizeInBytes },
    );
  });
  app.get('/:id/signeringhistorikk', async (c) => {
    const id = c.req.param('id');
    const logg = await service.signeringshistorikk(c.get('avsender'), id);
    // The id as every other answer writes it: a lower-case UUID (docs/interfaces.md §4).
    return c.json({ forsendelsesId: { id: id.toLowerCase() }, logg });
  });
  app.post('/:id/settLest', async (c) => {
    const body = (await readJson(c)) as Record<string, unknown> | null;
    const { lestAvFodselsNummer: fnr, navnPaEksterntSystem: systemnavn, datoLest } = body ?? {};
    // jsonschema-rest-v1/lestav.json: two strings and a number (null for now); another type is named, not turned into text.
    const problems: FieldProblem[] = [
      ...(fnr === undefined || fnr === null || typeof fnr === 'string'
        ? []
        : [{ field: 'lestAvFodselsNummer', message: 'Ugyldig verdi: lestAvFodselsNummer må være tekst' }]),
      ...(systemnavn === undefined || systemnavn === null || typeof systemnavn === 'string'
        ? []
        : [{ field: 'navnPaEksterntSystem', message: 'Ugyldig verdi: navnPaEksterntSystem må være tekst' }]),
      ...(datoLest === undefined || datoLest === null || typeof datoLest === 'number' || typeof datoLest === 'string'
        ? []
        : [{ field: 'datoLest', message: 'Ugyldig verdi: datoLest må være millisekunder siden 1970' }]),
      // A number or text that is no time (v1DateValue: epoch ms, its digits or ISO 8601).
      ...((typeof datoLest === 'number' || (typeof datoLest === 'string' && datoLest !== '')) &&
      v1DateValue(datoLest) === undefined
        ? [{ field: 'datoLest', message: 'Ugyldig datoLest: må være et gyldig tidspunkt' }]
        : []),
    ];
    if (problems.length > 0) throw new ValidationError(problems);
    try {
      await service.markerLestEksternt(c.get('avsender'), c.req.param('id'), {
        fnr: typeof fnr === 'string' ? fnr : '',
        systemnavn: typeof systemnavn === 'string' ? systemnavn : '',
        at: v1DateValue(datoLest),
      });
    } catch (error) {
      throw error instanceof ValidationError ? inRestV1Terms(error) : error;
    }
    return c.body(null, 200);
  });
  return app;
}

const JSON_LIMIT = new BodyLimit(MAX_JSON_BYTES, 'JSON-innholdet er for stort');

/** Parses a small JSON body, read within MAX_JSON_BYTES; a syntax error names the problem. */
async function readJson(c: Context<Env>): Promise<unknown> {
  JSON_LIMIT.checkDeclared(c.req.header('content-length'));
  const text = await JSON_LIMIT.readText(requestBodyStream(c));
  try {
    return parseRequestJson(text === '' ? 'null' : text);
  } catch (error) {
    if (!(error instanceof RequestJsonError)) throw error;
    throw new BadRequestError(`Ugyldig JSON: ${error.message}`);
  }
}
