/**
 * SvarUt REST v2 (`/api/v2`, KS's OpenAPI files in src/http/openapi/ks/, docs/interfaces.md
 * "REST v2 and v3"): every operation, JSON exactly as the specs. Calls on an account need a
 * grant for it (403); a letter of an account the integration has no grant for answers 404
 * exactly like an unknown id.
 */
import type { Hono } from 'hono';
import type { LestAvEksterntSystem } from '../../app/forsendelse-service.js';
import {
  BudbringerError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldProblem,
} from '../../domain/errors.js';
import { formatIsoWithOffset, tryParseXsdDateTime } from '../../domain/time/index.js';
import { readTimeProblems, systemnavnProblems } from '../../domain/validation/index.js';
import { blobResponse } from '../blob-download.js';
import { mottakersystemQuery } from '../mottakersystem-query.js';
import { setDocumentHeaders } from '../security-headers.js';
import { forsendelseFromV2Json } from './fiks-forsendelse-json.js';
import { documentIndex } from '../document-index.js';
import {
  fiksApp,
  fiksNotFound,
  forsendelseAvsender,
  idList,
  kontoAvsender,
  readJson,
  sendMultipart,
  statusJson,
  type FiksDeps,
  type FiksEnv,
} from './fiks-common.js';

const SLETTETYPER = ['ORIGINALDOKUMENTER', 'ALLE'];

/** Builds the REST v2 sub-app, mounted at `/api/v2`. */
export function createFiksV2App(deps: FiksDeps): Hono<FiksEnv> {
  const { service } = deps;
  const app = fiksApp(deps);

  // KS's Java client posts to `…/forsendelser/` (trailing slash); the spec has none.
  for (const path of ['/kontoer/:kontoId/forsendelser', '/kontoer/:kontoId/forsendelser/']) {
    app.post(path, async (c) => sendMultipart(deps, c, await kontoAvsender(deps, c), forsendelseFromV2Json, 'v2'));
  }
  app.post('/kontoer/:kontoId/forsendelser/status-sok', async (c) => {
    const avsender = await kontoAvsender(deps, c);
    const ids = idList(await readJson(c), 'forsendelseIds');
    return c.json({ statuser: (await service.statuses(avsender, ids)).map(statusJson) });
  });
  const eksternRef = (q: string | undefined): string => {
    if (q === undefined || q === '')
      throw new ValidationError([{ field: 'eksternRef', message: 'Mangler spørreparameteren eksternRef' }]);
    return q;
  };
  app.get('/kontoer/:kontoId/forsendelser', async (c) => {
    const avsender = await kontoAvsender(deps, c);
    return c.json({ forsendelseIds: await service.idsByEksternref(avsender, eksternRef(c.req.query('eksternRef'))) });
  });
  app.get('/kontoer/:kontoId/forsendelser/metadata', async (c) => {
    const avsender = await kontoAvsender(deps, c);
    const treff = await deps.lookups.eksternrefTreff(avsender, eksternRef(c.req.query('eksternRef')));
    return c.json({
      forsendelser: treff.map((t) => ({
        id: t.id,
        dato: formatIsoWithOffset(t.mottattAt),
        ...(t.avgivendeSystem === undefined ? {} : { avgivendeSystem: t.avgivendeSystem }),
      })),
    });
  });

  app.get('/forsendelser/:forsendelseId/hendelser', async (c) => {
    const avsender = await forsendelseAvsender(deps, c);
    const logg = await service.historikk(avsender, c.req.param('forsendelseId'));
    return c.json({ hendelser: logg.map((h) => ({ tidspunkt: formatIsoWithOffset(h.at), hendelse: h.hendelse })) });
  });
  app.get('/forsendelser/:forsendelseId/signeringshendelser', async (c) => {
    const avsender = await forsendelseAvsender(deps, c);
    const logg = await service.signeringshistorikk(avsender, c.req.param('forsendelseId'));
    return c.json({
      hendelser: logg.map((h) => ({ tidspunkt: h.tidspunkt, status: h.type, hendelse: h.hendelse })),
    });
  });
  app.get('/forsendelser/:forsendelseId/metadata', async (c) => {
    const avsender = await forsendelseAvsender(deps, c);
    const id = c.req.param('forsendelseId').toLowerCase();
    const docs = await service.dokumentMetadata(avsender, id);
    return c.json({
      dokumenter: docs.map((d, i) => ({
        filnavn: d.filnavn,
        mimeType: d.mimetype,
        dokumentType: d.dokumentType ?? '',
        storrelse: d.sizeInBytes,
        sha256Hash: d.sha256hash,
        // Answered with the same authentication as every call here (the route below).
        nedlasningUrl: `${deps.publicUrl()}/api/v2/forsendelser/${id}/dokumenter/${i}`,
        kanSigneres: d.kanSigneres,
        ekstraMetadata: d.ekstraMetadata,
        inneholderPersonsensitivInformasjon: d.inneholderPersonsensitivInformasjon,
      })),
    });
  });
  app.get('/forsendelser/:forsendelseId/dokumenter/:index', async (c) => {
    const avsender = await forsendelseAvsender(deps, c);
    const docs = await service.dokumentMetadata(avsender, c.req.param('forsendelseId'));
    const index = documentIndex(c.req.param('index'));
    const doc = index === undefined ? undefined : docs[index];
    if (doc === undefined) throw new NotFoundError('Dokumentet');
    if (doc.ikkeTilgjengelig === 'slettet') throw new BudbringerError('SLETTET', 'Dokumentet er slettet', 410);
    if (doc.ikkeTilgjengelig === 'kryptert')
      throw new ForbiddenError('Dokumentet er sendt kryptert og kan bare åpnes av mottakeren');
    return blobResponse(
      c,
      () => deps.files.open({ sha256: doc.sha256hash, size: doc.sizeInBytes }),
      (body) => {
        setDocumentHeaders(c, { filename: doc.filnavn, mimetype: doc.mimetype, inlinePdf: false });
        c.header('Content-Length', String(doc.sizeInBytes));
        return c.body(body);
      },
      { length: doc.sizeInBytes },
    );
  });
  app.post('/forsendelser/:forsendelseId/lest', async (c) => {
    const avsender = await forsendelseAvsender(deps, c);
    const lest = lestAv((await readJson(c)) as Record<string, unknown> | null, Date.now());
    await service.markerLestEksternt(avsender, c.req.param('forsendelseId'), lest);
    return c.body(null, 204);
  });
  app.delete('/forsendelser/:forsendelseId/dokumenter', async (c) => {
    const avsender = await forsendelseAvsender(deps, c);
    const slettetype = c.req.query('slettetype') ?? 'ORIGINALDOKUMENTER';
    if (!SLETTETYPER.includes(slettetype))
      throw new ValidationError([
        {
          field: 'slettetype',
          message: `Ugyldig slettetype '${slettetype.slice(0, 100)}': må være ORIGINALDOKUMENTER eller ALLE`,
        },
      ]);
    // Both delete every stored file of the letter: the originals are all Budbringer keeps
    // (the printed letter is composed from them when needed).
    await service.slettFiler(avsender, [c.req.param('forsendelseId')]);
    return c.body(null, 204);
  });

  app.get('/forsendelsestyper', async (c) => c.json({ forsendelsestyper: await service.forsendelseTyper() }));
  app.get('/mottakersystem', async (c) => {
    const query = mottakersystemQuery(
      {
        orgnr: c.req.query('organisasjonsnummer'),
        forsendelseType: c.req.query('forsendelseType'),
        niva: c.req.query('niva'),
      },
      { orgnr: 'organisasjonsnummer', forsendelseType: 'forsendelseType', typePattern: true },
    );
    const list = await service.mottakersystemer(query);
    return c.json({
      mottakersystemer: list.map((m) => ({
        id: m.mottakerId,
        navn: m.mottakersystem,
        organisasjonsnummer: m.orgnr,
        forsendelseType: m.forsendelseType ?? '',
        niva: m.niva,
      })),
    });
  });
  fiksNotFound(app);
  return app;
}

/** An RFC 3339 date-time: date, time and offset (a fraction of a second allowed). */
// RFC 3339: hours 00–23 (xsd's 24:00:00, which tryParseXsdDateTime takes, is not one; review).
const RFC3339_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt](?:[01]\d|2[0-3]):\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The `LestAv` body of v2 `lest` (forsendelse-lest-api-v2.json): `fnr` (11 digits) and
 * `tidspunkt` (date-time) are required, `eksterntSystemnavn` one line of text; each problem
 * is named by its v2 field (the rules: src/domain/validation/read-report-rules.ts).
 */
function lestAv(body: Record<string, unknown> | null, now: number): LestAvEksterntSystem {
  const problems: FieldProblem[] = [];
  const fnr = body?.fnr;
  if (typeof fnr !== 'string' || !/^[0-9]{11}$/.test(fnr))
    problems.push({ field: 'fnr', message: 'Ugyldig fnr: må være et fødselsnummer på 11 siffer' });
  const tidspunkt = body?.tidspunkt;
  // `format: date-time` (RFC 3339 §5.6), which KS reads as an OffsetDateTime: a time and its
  // offset are required, where the lenient xsd:dateTime reading took a bare date as Oslo midnight.
  const at =
    typeof tidspunkt === 'string' && RFC3339_DATE_TIME.test(tidspunkt) ? tryParseXsdDateTime(tidspunkt) : undefined;
  if (tidspunkt === undefined || tidspunkt === null)
    problems.push({ field: 'tidspunkt', message: 'Mangler tidspunkt: tidspunkt må fylles ut (ISO 8601 dato og tid)' });
  else if (at === undefined)
    problems.push({
      field: 'tidspunkt',
      message: `Ugyldig tidspunkt: tidspunkt må være ISO 8601 dato og tid som 2026-12-05T10:15:00+01:00 (fikk ${JSON.stringify(tidspunkt).slice(0, 100)})`,
    });
  else problems.push(...readTimeProblems(at, now, 'tidspunkt'));
  const systemnavn = body?.eksterntSystemnavn;
  problems.push(...systemnavnProblems(systemnavn, 'eksterntSystemnavn'));
  if (problems.length > 0) throw new ValidationError(problems);
  return { fnr: fnr as string, systemnavn: typeof systemnavn === 'string' ? systemnavn : '', at };
}
