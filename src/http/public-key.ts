/**
 * GET /forsendelse/publickey/hent: the certificate senders encrypt documents to (kryptert=true;
 * docs/interfaces.md §12, "PEM X.509"), at the path KS's documentation links to. No login, like KS's.
 * The body is the current key's certificate as PEM text; what KS sends besides the PEM body
 * (content type) is not documented, so it is plain text, which every client reading PEM accepts.
 */
import { Hono } from 'hono';

/** What the door needs: the current certificate (PEM). */
export interface PublicKeyDeps {
  readonly certificatePem: () => Promise<string>;
}

/** The public-key door, mounted at /forsendelse/publickey. */
export function createPublicKeyApp(deps: PublicKeyDeps): Hono {
  const app = new Hono();
  app.get('/hent', async (c) => {
    const pem = await deps.certificatePem();
    c.header('Content-Type', 'text/plain; charset=utf-8');
    // Rotation (docs/operations.md) shows within a minute.
    c.header('Cache-Control', 'public, max-age=60');
    return c.body(pem);
  });
  return app;
}
