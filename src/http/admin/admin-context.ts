/**
 * What every admin route shares: the hono environment (session, user, CSRF token), the
 * dependencies, the base path, and small helpers (current user, client address, audit).
 */
import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Logger } from 'pino';
import type { AdminService } from '../../app/admin/admin-service.js';
import type { JobAdmin } from '../../app/admin/job-admin.js';
import type { ForsendelseService } from '../../app/forsendelse-service.js';
import type { WebhookSubscriptions } from '../../app/webhooks/webhook-subscriptions.js';
import type { MottakersystemService } from '../../app/mottakersystemer.js';
import { AuthenticationError, BadRequestError, ForbiddenError } from '../../domain/errors.js';
import type { AdminUser, AttemptCounter, BlobStore, ConfigStore } from '../../storage/ports.js';
import type { AuditEntry, AuditLog } from './audit-log.js';
import type { FormFields } from './form-data.js';
import type { SessionData } from './session.js';
import { clientAddress } from '../client-address.js';

/** Where the admin web is mounted (the composition root mounts it here). */
export const BASE = '/forvaltning';

/** Path of an avsender's configuration page. */
export function configPath(navn: string): string {
  return `${BASE}/konfigurasjon/${encodeURIComponent(navn)}`;
}

/** What the admin web is built from. */
export interface AdminDeps {
  readonly service: ForsendelseService;
  /** The letters: searches, details, actions and manual print, with access checked. */
  readonly admin: AdminService;
  readonly blobs: BlobStore;
  readonly config: ConfigStore;
  readonly audit: AuditLog;
  /** Failed-login counts for the login throttle (shared by the nodes in cluster mode). */
  readonly attempts: AttemptCounter;
  /** Signs sessions and CSRF tokens; at least 16 bytes, the same on every node. */
  readonly secret: Uint8Array;
  readonly log: Logger;
  readonly now?: () => number;
  /** Largest upload of the send form, bytes. */
  readonly maxForsendelseBytes?: number;
  /** Force the Secure cookie flag (default: when the request came over https). */
  readonly secureCookies?: boolean;
  /** Failed and waiting jobs for the admins' Jobber page; the page is absent without it. */
  readonly jobs?: JobAdmin;
  /** Path of the job-queue board (bull-board), linked in the admins' menu when present. */
  readonly queueBoardPath?: string;
  /** Webhook subscriptions per avsender (their pages are absent without it). */
  readonly webhooks?: WebhookSubscriptions;
  /** The receiving systems (SvarInn); their pages are served when present. */
  readonly mottakersystemer?: MottakersystemService;
}

/** The hono environment of the admin routes. */
export type AdminEnv = {
  Bindings: HttpBindings;
  Variables: {
    session: SessionData;
    user: AdminUser | undefined;
    csrf: string;
    form: FormFields | undefined;
    queueBoardPath: string | undefined;
  };
};

/** A context of the admin app. */
export type AdminContext = Context<AdminEnv>;

/** The logged-in user; the auth guard has run, so absence is a programming error turned 401. */
export function currentUser(c: AdminContext): AdminUser {
  const user = c.get('user');
  if (user === undefined) throw new AuthenticationError('Ikke innlogget');
  return user;
}

/** The url-encoded form of this POST (read by the CSRF check). */
export function formOf(c: AdminContext): FormFields {
  const form = c.get('form');
  if (form === undefined) throw new BadRequestError('Forventet et skjema (application/x-www-form-urlencoded)');
  return form;
}

/** Records an action of the current user in the audit log. */
export async function audit(
  c: AdminContext,
  deps: AdminDeps,
  entry: Omit<AuditEntry, 'at' | 'bruker' | 'adresse'> & { bruker?: string },
): Promise<void> {
  const now = deps.now ?? Date.now;
  await deps.audit.record({
    at: now(),
    bruker: entry.bruker ?? c.get('user')?.brukernavn ?? 'ukjent',
    handling: entry.handling,
    objekt: entry.objekt,
    detaljer: entry.detaljer,
    adresse: clientAddress(c),
  });
}

/**
 * Refuses a download (a letter's file, the statistics export) that a page of another site
 * started. The session cookie is SameSite=Lax, so a link from elsewhere carries it: any site
 * could make a logged-in clerk's browser fetch a letter's file and so write a download under
 * the clerk's name in the audit log (the file itself went only to the clerk's own browser).
 * Browsers name the origin of a request in Sec-Fetch-Site; a request without it (an older
 * browser, a script with the cookie) is let through.
 */
export function refuseCrossSiteDownload(c: AdminContext): void {
  if (c.req.header('sec-fetch-site') === 'cross-site') {
    throw new ForbiddenError(
      'Filen lastes bare ned fra forvaltningsweben: lenken kom fra et annet nettsted. Åpne forsendelsen i forvaltningsweben og last ned filen derfra',
    );
  }
}
