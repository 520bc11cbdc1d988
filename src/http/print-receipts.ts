/**
 * Print receipts (docs/architecture.md step 8): `POST /tjenester/api/print/v1/kvitteringer`,
 * authenticated as the print provider. One receipt or a list, applied all or nothing by
 * src/app/print-receipts.ts: each moves its forsendelse to PRINTET and is stored (in the
 * event) for statistics; a bad entry refuses the list (400, naming the entry); a repeated
 * receipt changes nothing. The provider confirms only letters sent to its channel.
 */
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { parseReceipts, type PrintReceiptRegistrar } from '../app/print-receipts.js';
import { AuthenticationError, ValidationError } from '../domain/errors.js';
import type { AttemptCounter } from '../storage/ports.js';
import { AttemptThrottle, DEFAULT_THROTTLE, type ThrottleOptions } from './attempt-throttle.js';
import { parseBasicAuth } from './basic-auth.js';
import { clientAddress } from './client-address.js';
import { respondRestError } from './on-error.js';
import { BodyLimit, MIB } from './body-limit.js';
import { requestBodyStream } from './request-body.js';
import { parseRequestJson, RequestJsonError } from './request-json.js';

/** A receipt is ~300 bytes and a list holds at most 10 000 (src/app/print-receipts.ts): 4 MiB holds the longest list. */
const RECEIPTS = new BodyLimit(4 * MIB, 'Printkvitteringene er for store');

/** Compares two passwords as their exact UTF-8 bytes, in constant time for equal lengths. */
function sameBytes(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What the receipts endpoint needs. */
export interface PrintReceiptDeps {
  /** Applies a checked list of receipts, all or nothing (src/app/print-receipts.ts). */
  readonly register: PrintReceiptRegistrar;
  readonly user: string;
  /** Without a password the endpoint refuses everyone. */
  readonly password: string | undefined;
  readonly now: () => number;
  readonly log: Logger;
  /** Where failed logins are counted (shared by the nodes in cluster mode). */
  readonly attempts: AttemptCounter;
}

/**
 * Wrong passwords from one address before it must wait: the password is the operator's (8
 * characters at least), compared in a moment, so without a limit 800 guesses a second went
 * through (found in review); a guessed one posts receipts that mark letters PRINTET. Counted
 * per address only, so nobody can lock the provider out from elsewhere.
 */
const RECEIPT_LOGINS: ThrottleOptions = { ...DEFAULT_THROTTLE, perSubject: 10, perAddress: 10 };

/** The receipts app, mounted at `/tjenester/api/print/v1`. */
export function createPrintReceiptApp(deps: PrintReceiptDeps): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.onError((error, c) => respondRestError(c, error, deps.log));
  const logins = new AttemptThrottle(deps.attempts, 'print-receipt', RECEIPT_LOGINS);
  app.post('/kvitteringer', async (c) => {
    // A request without credentials is the challenge round trip of clients that send the
    // password only after a 401 (urllib, .NET, Java): answered without counting. Only a wrong
    // password counts; a right one is never held up by the requests in flight beside it
    // (found in review: counting first locked a provider with the right password out).
    const creds = parseBasicAuth(c.req.header('authorization'));
    if (creds === undefined) throw new AuthenticationError();
    const address = clientAddress(c);
    const subject = `adresse:${address}`;
    const locked = (wait: number): Response => {
      const seconds = Math.ceil(wait / 1000);
      return c.json(
        {
          errorcode: 'FOR_MANGE_FORSOK',
          message: `For mange mislykkede innlogginger. Vent ${seconds} sekunder før du prøver igjen.`,
        },
        429,
        { 'retry-after': String(seconds) },
      );
    };
    const waiting = await logins.waitMs(subject, address, deps.now());
    if (waiting > 0) return locked(waiting);
    const ok = deps.password !== undefined && creds.user === deps.user && sameBytes(creds.password, deps.password);
    if (!ok) {
      const wait = await logins.attempt(subject, address, deps.now());
      if (wait > 0) return locked(wait);
      throw new AuthenticationError();
    }
    RECEIPTS.checkDeclared(c.req.header('content-length'));
    const text = await RECEIPTS.readText(requestBodyStream(c));
    let body: unknown;
    try {
      body = parseRequestJson(text);
    } catch (error) {
      if (!(error instanceof RequestJsonError)) throw error;
      throw new ValidationError([
        { field: 'kvittering', message: `Ugyldig JSON i printkvitteringen: ${error.message}` },
      ]);
    }
    const receipts = parseReceipts(body, deps.now());
    // The provider behind PRINT_RECEIPT_USER is the one the filedrop channel hands letters to.
    const results = await deps.register('filedrop', receipts);
    return c.json({ kvitteringer: results });
  });
  return app;
}
