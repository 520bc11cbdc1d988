/**
 * Whether a cookie set in answer to this request gets the Secure flag. Behind a
 * TLS-terminating proxy the request reaches us as http and the proxy says how it came:
 * `X-Forwarded-Proto` (its first value, any case) or RFC 7239 `Forwarded: proto=https`.
 * Trusting those headers is harmless: Secure only ever narrows where a cookie goes. A
 * service whose PUBLIC_URL is https sets Secure on every cookie whatever the headers say
 * (the composition root passes that as the apps' `secureCookies`).
 */
import type { Context } from 'hono';

/** True when the request came over https, directly or through a proxy that says so. */
export function cameOverHttps(c: Context): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  const forwardedProto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwardedProto === 'https') return true;
  // Forwarded: for=…;proto=https, …: the first element is the client's side of the first proxy.
  const forwarded = c.req.header('forwarded')?.split(',')[0] ?? '';
  return /(^|;)\s*proto\s*=\s*"?https"?\s*(;|$)/i.test(forwarded);
}

/** The `secureCookies` setting for a service reached at `publicUrl`: always Secure when it is https. */
export function secureCookiesFor(publicUrl: string): true | undefined {
  return publicUrl.toLowerCase().startsWith('https:') ? true : undefined;
}
