/**
 * Whether a cookie set in answer to this request gets the Secure flag. Behind a
 * TLS-terminating proxy the request reaches us as http and its X-Forwarded-Proto tells.
 * Trusting that header is harmless: Secure only ever narrows where a cookie goes.
 */
import type { Context } from 'hono';

/** True when the request came over https, directly or through a proxy that says so. */
export function cameOverHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}
