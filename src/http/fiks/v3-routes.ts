/**
 * SvarUt REST v3 (`/api/v3`, KS's OpenAPI files in src/http/openapi/ks/, docs/interfaces.md
 * "REST v2 and v3"): send to a person, an organisation or to print (each checks that the
 * recipient is of its kind), and status search. The rest of v3's clients use v2's operations.
 * Norsk Helsenett (`/nhn`) is answered "not supported" (501) in the Fiks shape.
 */
import type { Hono } from 'hono';
import { BudbringerError } from '../../domain/errors.js';
import { requestBodyStream } from '../request-body.js';
import { forsendelseFromV3Json, type V3Kind } from './fiks-forsendelse-json.js';
import {
  fiksApp,
  fiksNotFound,
  idList,
  kontoAvsender,
  readJson,
  sendMultipart,
  statusJson,
  type FiksDeps,
  type FiksEnv,
} from './fiks-common.js';

const KINDS: readonly V3Kind[] = ['person', 'organisasjon', 'print'];

/** Builds the REST v3 sub-app, mounted at `/api/v3`. */
export function createFiksV3App(deps: FiksDeps): Hono<FiksEnv> {
  const app = fiksApp(deps);
  for (const kind of KINDS) {
    app.post(`/kontoer/:kontoId/forsendelser/${kind}`, async (c) =>
      sendMultipart(deps, c, await kontoAvsender(deps, c), (json) => forsendelseFromV3Json(kind, json), 'v3'),
    );
  }
  app.post('/kontoer/:kontoId/forsendelser/nhn', async (c) => {
    await kontoAvsender(deps, c);
    requestBodyStream(c).resume(); // read and dropped, so the client gets this answer instead of a reset
    throw new BudbringerError(
      'IKKE_STOTTET',
      'Forsendelser til Norsk Helsenett (NHN) støttes ikke av denne tjenesten. Send til person, organisasjon eller print.',
      501,
    );
  });
  app.post('/kontoer/:kontoId/forsendelser/status/sok', async (c) => {
    const avsender = await kontoAvsender(deps, c);
    const ids = idList(await readJson(c), 'id');
    return c.json({ statuser: (await deps.service.statuses(avsender, ids)).map(statusJson) });
  });
  fiksNotFound(app);
  return app;
}
