/**
 * Admin web sessions as signed cookies (so they survive restarts and work on every node
 * that shares the secret). The cookie holds a random session id, the user name, a
 * fingerprint of the user's password hash, role and session key — changing any of them
 * ends every session of that user; logging out rotates the key, stored with the user in
 * the shared ConfigStore — and two times: absolute start and last activity.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdminUser } from '../../storage/ports.js';

/** What a session cookie carries. */
export interface SessionData {
  /** Random id; the CSRF token is derived from it, and it changes at login. */
  readonly sid: string;
  /** Logged-in user, absent before login. */
  readonly user?: string;
  /** Fingerprint of the user's credentials and role at login. */
  readonly fp?: string;
  /** Epoch ms when the session started. */
  readonly iat: number;
  /** Epoch ms of the last request seen. */
  readonly seen: number;
}

/** Name of the cookie; scoped to the admin web's path. */
export const SESSION_COOKIE = 'budbringer_forvaltning';
/** A login lasts at most this long. */
export const SESSION_MAX_MS = 10 * 3600_000;
/** …and ends after this long without a request. */
export const SESSION_IDLE_MS = 60 * 60_000;

/** How long `session` may still last at its longest (SESSION_MAX_MS from its login), from `now`. */
export function sessionLeftMs(session: SessionData, now = Date.now()): number {
  return Math.max(session.iat + SESSION_MAX_MS - now, 0);
}

/** Derives a purpose-bound key so the session and CSRF MACs never share one. */
export function subkey(secret: Uint8Array, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`budbringer-forvaltning:${purpose}`).digest();
}

/** Signs and verifies session cookies. */
export class SessionCodec {
  private readonly key: Buffer;
  private readonly fpKey: Buffer;

  constructor(secret: Uint8Array) {
    if (secret.length < 16) throw new Error('Hemmeligheten for økter må være minst 16 byte');
    this.key = subkey(secret, 'session-v1');
    this.fpKey = subkey(secret, 'user-fingerprint-v1');
  }

  /** A fresh, anonymous session. */
  fresh(now: number): SessionData {
    return { sid: randomBytes(18).toString('base64url'), iat: now, seen: now };
  }

  /** The cookie value for `data`. */
  encode(data: SessionData): string {
    const body = Buffer.from(JSON.stringify(data)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The session in `value`, or undefined when missing, forged, malformed or expired. */
  decode(value: string | undefined, now: number): SessionData | undefined {
    if (value === undefined || value.length > 2048) return undefined;
    const dot = value.indexOf('.');
    if (dot <= 0) return undefined;
    const body = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let data: unknown;
    try {
      data = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (!isSessionData(data)) return undefined;
    if (now - data.iat > SESSION_MAX_MS || now - data.seen > SESSION_IDLE_MS || data.iat > now + 60_000)
      return undefined;
    return data;
  }

  /** Fingerprint of what a session depends on: password hash, role, scope and session key (rotated at logout). */
  fingerprint(user: AdminUser): string {
    // A user whose key was never rotated fingerprints as before it existed (sessions survive the upgrade).
    const key = user.sesjonsnokkel === undefined ? [] : [user.sesjonsnokkel];
    return createHmac('sha256', this.fpKey)
      .update(
        JSON.stringify([
          user.brukernavn,
          user.passordHash,
          user.rolle,
          user.orgnr ?? null,
          user.avsender ?? null,
          ...key,
        ]),
      )
      .digest('base64url')
      .slice(0, 22);
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

function isSessionData(v: unknown): v is SessionData {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.sid === 'string' &&
    typeof o.iat === 'number' &&
    typeof o.seen === 'number' &&
    (o.user === undefined || typeof o.user === 'string') &&
    (o.fp === undefined || typeof o.fp === 'string')
  );
}
