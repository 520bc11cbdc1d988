/**
 * Print receipts (DESIGN.md step 8): `POST /tjenester/api/print/v1/kvitteringer`,
 * authenticated as the print provider. One receipt or a list; each moves its forsendelse
 * to PRINTET and is stored (in the event) for statistics. Unknown id → 404; a repeated
 * receipt changes nothing.
 */
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import { AuthenticationError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { ReadModel } from '../storage/ports.js';
import { parseBasicAuth } from './basic-auth.js';
import { respondRestError } from './on-error.js';
import { BodyLimit, MAX_JSON_BYTES } from './body-limit.js';
import { requestBodyStream } from './request-body.js';

const amount = z.number().int().min(0);
const receipt = z.object({
  forsendelseId: z.string().uuid(),
  sider: amount,
  fargesider: amount.default(0),
  konvolutter: amount.default(1),
  ark: amount,
  /** Grams. */
  vekt: amount,
  /** Øre. */
  porto: amount,
  /** Øre. */
  produksjonskostnad: amount,
  konteringskode: z.string().max(20).optional(),
  /** ISO-8601; now when absent. */
  printetTidspunkt: z.string().datetime({ offset: true }).optional(),
});

/** A receipt is ~300 bytes: 1 MiB holds a batch of thousands. */
const RECEIPTS = new BodyLimit(MAX_JSON_BYTES, 'Printkvitteringene er for store');

/** What the receipts endpoint needs. */
export interface PrintReceiptDeps {
  readonly actors: ForsendelseActors;
  readonly readModel: ReadModel;
  readonly user: string;
  /** Without a password the endpoint refuses everyone. */
  readonly password: string | undefined;
  readonly now: () => number;
  readonly log: Logger;
}

/** The receipts app, mounted at `/tjenester/api/print/v1`. */
export function createPrintReceiptApp(deps: PrintReceiptDeps): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.onError((error, c) => respondRestError(c, error, deps.log));
  app.post('/kvitteringer', async (c) => {
    const creds = parseBasicAuth(c.req.header('authorization'));
    const ok =
      creds !== undefined &&
      deps.password !== undefined &&
      creds.user === deps.user &&
      creds.password.length === deps.password.length &&
      timingSafeEqual(Buffer.from(creds.password), Buffer.from(deps.password));
    if (!ok) throw new AuthenticationError();
    RECEIPTS.checkDeclared(c.req.header('content-length'));
    const text = await RECEIPTS.readText(requestBodyStream(c));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ValidationError([{ field: 'kvittering', message: 'Ugyldig JSON i printkvitteringen' }]);
    }
    const parsed = z.array(receipt).safeParse(Array.isArray(body) ? body : [body]);
    if (!parsed.success) {
      throw new ValidationError(
        parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: `Ugyldig printkvittering: ${i.path.join('.')} ${i.message}` })),
      );
    }
    const results = [];
    for (const r of parsed.data) {
      if ((await deps.readModel.get(r.forsendelseId)) === undefined) throw new NotFoundError();
      const at = deps.now();
      const { events } = await deps.actors.execute(r.forsendelseId, {
        type: 'RegistrerPrintkvittering',
        at,
        kvittering: {
          sider: r.sider,
          fargesider: r.fargesider,
          konvolutter: r.konvolutter,
          ark: r.ark,
          vekt: r.vekt,
          porto: r.porto,
          produksjonskostnad: r.produksjonskostnad,
          konteringskode: r.konteringskode,
          printetAt: r.printetTidspunkt === undefined ? at : Date.parse(r.printetTidspunkt),
        },
      });
      results.push({ forsendelseId: r.forsendelseId, registrert: events.length > 0 });
    }
    return c.json({ kvitteringer: results });
  });
  return app;
}
