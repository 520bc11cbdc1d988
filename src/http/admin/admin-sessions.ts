/**
 * Reading and writing the admin session cookie, shared by the admin web (/forvaltning) and
 * the job-queue board (/admin/queues), so both trust exactly the same sessions: a valid
 * signature, an active user, and the fingerprint of that user's password, role and
 * session key (rotated at logout, so a copied cookie dies with the logout, on every node).
 *
 * The cookie is scoped to where it is needed (issue #13): Path=/forvaltning always, and
 * for administrators a second copy of the same value at the board's path — the board is
 * bull-board's own app with its own URLs, and only admins may use it. Both copies are
 * written together, so they expire together. Sessions from the version that used Path=/
 * are still read; a browser holding one sends it as well, and it is expired then.
 */
import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AdminUser, ConfigStore } from '../../storage/ports.js';
import { isDeaktivert } from '../../app/admin/access.js';
import { BASE } from './admin-context.js';
import { cameOverHttps } from '../secure-cookie.js';
import { SESSION_COOKIE, SessionCodec, type SessionData } from './session.js';

/** Where the session cookie is sent: the admin web (the board gets its own copy, see AdminSessionsDeps.boardPath). */
export const SESSION_COOKIE_PATH = BASE;
/** Where the cookie lived before it was scoped; such a copy is expired when seen. */
export const LEGACY_COOKIE_PATH = '/';

/** A request's verified session and user (both undefined when logged out or invalid). */
export interface VerifiedSession {
  readonly session: SessionData | undefined;
  readonly user: AdminUser | undefined;
  /** True when the request carried more than one value (one of them from the old Path=/). */
  readonly legacyCookie: boolean;
}

/** What AdminSessions needs. */
export interface AdminSessionsDeps {
  readonly secret: Uint8Array;
  readonly config: Pick<ConfigStore, 'getUser'>;
  readonly now?: () => number;
  /** Force the Secure cookie flag (default: when the request came over https). */
  readonly secureCookies?: boolean;
  /** Path of the job-queue board, when there is one: admins' sessions are written there too. */
  readonly boardPath?: string;
}

/** Verifies and writes admin session cookies. */
export class AdminSessions {
  readonly codec: SessionCodec;
  readonly #deps: AdminSessionsDeps;

  constructor(deps: AdminSessionsDeps) {
    this.#deps = deps;
    this.codec = new SessionCodec(deps.secret);
  }

  /** The session in the request's cookie, if valid, with its still-active, unchanged user. */
  async read(c: Context, now: number): Promise<VerifiedSession> {
    const values = cookieValues(c.req.header('cookie'), SESSION_COOKIE);
    let best: SessionData | undefined;
    for (const value of values) {
      const session = this.codec.decode(value, now);
      if (session !== undefined && (best === undefined || session.seen > best.seen)) best = session;
    }
    const legacyCookie = values.length > 1;
    if (best?.user === undefined) return { session: best, user: undefined, legacyCookie };
    const stored = await this.#deps.config.getUser(best.user);
    if (stored !== undefined && !isDeaktivert(stored) && this.codec.fingerprint(stored) === best.fp) {
      return { session: best, user: stored, legacyCookie };
    }
    return { session: undefined, user: undefined, legacyCookie };
  }

  /**
   * Writes `out` back when it differs from what came in or its activity time is a minute
   * old: at Path=/forvaltning, and at the board's path while `user` is an admin (else that
   * copy is expired). Expiries come first, so the last cookie set is the live one.
   */
  write(c: Context, read: VerifiedSession, out: SessionData, now: number, user: AdminUser | undefined): void {
    if (out === read.session && now - out.seen <= 60_000 && !read.legacyCookie) return;
    const secure = this.#deps.secureCookies ?? cameOverHttps(c);
    // Lax, not Strict: with Strict a clerk following a link into the admin web from a mail or a
    // ticket (another site) arrived without the cookie, was answered as a visitor, and that
    // answer's fresh cookie replaced the session: logged out (found in a review). Changes need
    // the CSRF token and this origin (csrf.ts); a cross-site POST still carries no cookie.
    const options = { httpOnly: true, sameSite: 'Lax', secure } as const;
    const value = this.codec.encode({ ...out, seen: now });
    if (read.legacyCookie) setCookie(c, SESSION_COOKIE, '', { ...options, path: LEGACY_COOKIE_PATH, maxAge: 0 });
    const board = this.#deps.boardPath;
    if (board !== undefined) {
      const admin = user?.rolle === 'admin' && out.user === user.brukernavn;
      setCookie(c, SESSION_COOKIE, admin ? value : '', { ...options, path: board, ...(admin ? {} : { maxAge: 0 }) });
    }
    setCookie(c, SESSION_COOKIE, value, { ...options, path: SESSION_COOKIE_PATH });
  }
}

/** Every value of cookie `name` in a Cookie header, in the order sent. */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (value !== '') values.push(value);
  }
  return values;
}
