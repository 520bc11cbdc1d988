/**
 * CSRF protection for every form of the admin web: a token bound to the session id by an
 * HMAC (synchronizer token without server state), checked on every unsafe request, plus
 * an Origin check as a second line (SameSite=Lax already keeps the cookie off cross-site
 * POSTs in current browsers; links from other sites carry it, so they open the page logged in).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { subkey } from './session.js';

/** Name of the form field (and query parameter, for multipart forms) carrying the token. */
export const CSRF_FIELD = '_csrf';

/** Issues and checks CSRF tokens. */
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(secret: Uint8Array) {
    this.key = subkey(secret, 'csrf-v1');
  }

  /** The token for session `sid`. */
  tokenFor(sid: string): string {
    return createHmac('sha256', this.key).update(sid).digest('base64url');
  }

  /** True when `token` belongs to session `sid`. */
  verify(sid: string, token: string | undefined): boolean {
    if (token === undefined || token === '') return false;
    const given = Buffer.from(token, 'base64url');
    const expected = Buffer.from(this.tokenFor(sid), 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/**
 * True when the request's Origin (or, lacking it, Referer) is absent or this host. Browsers
 * send Origin on every POST; a mismatch means a form posted from another site.
 */
export function sameOrigin(requestUrl: string, origin: string | undefined, referer: string | undefined): boolean {
  const own = new URL(requestUrl);
  const from = origin ?? referer;
  if (from === undefined || from === '') return true;
  if (from === 'null') return false;
  try {
    return new URL(from).host === own.host;
  } catch {
    return false;
  }
}
