/**
 * Whether a download comes from a browser that opened the letter's page. Mail security
 * scanners (link rewriting, URL sandboxes) fetch the notice's link and then every link on the
 * page it leads to, without keeping cookies: each such fetch of the letter's file marked it
 * read, and a letter nobody had read was then not printed (found in review). The letter's
 * page sets this cookie at the letter's own path, and a download counts as the recipient's
 * read only when it carries it (a level-4 letter's files are served only after its one-time
 * code, a person's act, so those count as before). The file is served either way.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

const OPENED_COOKIE = 'bb_apnet';
/** A week: long enough for a recipient who opens the page and reads the letter later that week. */
const OPENED_MAX_AGE_S = 7 * 24 * 3600;

/** Marks, in the browser that asked for it, that the letter's page behind `token` was opened. */
export function markPageOpened(c: Context, token: string, secure: boolean): void {
  setCookie(c, OPENED_COOKIE, '1', {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: `/innboks/${token}`,
    maxAge: OPENED_MAX_AGE_S,
  });
}

/** True when the request comes from a browser that opened the letter's page. */
export function cameFromPage(c: Context): boolean {
  return getCookie(c, OPENED_COOKIE) === '1';
}
