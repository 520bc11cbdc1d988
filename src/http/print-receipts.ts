/**
 * Print receipts (DESIGN.md step 8): `POST /tjenester/api/print/v1/kvitteringer`,
 * authenticated as the print provider. One receipt or a list, applied all or nothing by
 * src/app/print-receipts.ts: each moves its forsendelse to PRINTET and is stored (in the
 * event) for statistics; a bad entry refuses the list (400, naming the entry); a repeated
 * receipt changes nothing. The provider confirms only letters sent to its channel.
 */
import { Hono } from 'hono';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { ForsendelseActors } from '../actors/forsendelse-registry.js';
import { registerPrintReceipts, parseReceipts } from '../app/print-receipts.js';
import { AuthenticationError, ValidationError } from '../domain/errors.js';
import type { ReadModel } from '../storage/ports.js';
import { parseBasicAuth } from './basic-auth.js';
import { respondRestError } from './on-error.js';

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
export function createPrintReceiptApp(deps: PrintReceiptDeps): Hono {
  const app = new Hono();
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
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ValidationError([{ field: 'kvittering', message: 'Ugyldig JSON i printkvitteringen' }]);
    }
    const receipts = parseReceipts(body, deps.now());
    // The provider behind PRINT_RECEIPT_USER is the one the filedrop channel hands letters to.
    const results = await registerPrintReceipts(deps, 'filedrop', receipts);
    return c.json({ kvitteringer: results });
  });
  return app;
}
