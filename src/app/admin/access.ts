/**
 * Who may do what in the admin web. Roles (issue; seed's "begrenset tilgang"):
 * `admin` everything; `local-admin` the avsendere of its organisation (same orgnr);
 * `sender-only` only the send form, as its one avsender. A forsendelse outside the
 * user's reach answers 404 like an unknown id, so ids of other organisations leak nothing.
 */
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { AdminUser, Avsender, ConfigStore, ForsendelseRecord } from '../../storage/ports.js';

/** Norwegian names of the roles, as the UI shows them. */
export const ROLLE_NAVN: Readonly<Record<AdminUser['rolle'], string>> = {
  admin: 'Administrator',
  'local-admin': 'Lokal administrator',
  'sender-only': 'Begrenset tilgang (kun sending)',
};

/** Password hashes of deactivated users start with this; no password verifies against it. */
export const DEAKTIVERT_PREFIX = 'deaktivert$';

/** True when the user has been deactivated in the admin web. */
export function isDeaktivert(user: AdminUser): boolean {
  return user.passordHash.startsWith(DEAKTIVERT_PREFIX);
}

/** True when `user` manages (sees letters of, configures) `avsender`. */
export function managesAvsender(user: AdminUser, avsender: Pick<Avsender, 'navn' | 'orgnr'>): boolean {
  if (user.rolle === 'admin') return true;
  if (user.rolle === 'local-admin') return user.orgnr !== undefined && avsender.orgnr === user.orgnr;
  return false;
}

/** The avsendere `user` manages, by name. */
export async function managedAvsendere(user: AdminUser, config: ConfigStore): Promise<Avsender[]> {
  if (user.rolle === 'sender-only') return [];
  const all = await config.listAvsendere();
  return all.filter((a) => managesAvsender(user, a)).sort((a, b) => a.navn.localeCompare(b.navn, 'nb'));
}

/** The avsendere `user` may send as (sender-only: its one avsender). */
export async function sendableAvsendere(user: AdminUser, config: ConfigStore): Promise<Avsender[]> {
  if (user.rolle !== 'sender-only') return managedAvsendere(user, config);
  const own = user.avsender === undefined ? undefined : await config.getAvsender(user.avsender);
  return own === undefined ? [] : [own];
}

/**
 * The avsender filter of a query: the chosen one if the user manages it, else all the
 * user manages — for admins no filter at all (also letters of avsendere since renamed).
 */
export function avsenderScope(
  user: AdminUser,
  managed: readonly string[],
  chosen: string,
): readonly string[] | undefined {
  if (chosen !== '' && managed.includes(chosen)) return [chosen];
  return user.rolle === 'admin' ? undefined : managed;
}

/** Refuses users below `admin` / `local-admin` (sender-only sees only the send form). */
export function requireManager(user: AdminUser): void {
  if (user.rolle === 'sender-only')
    throw new ForbiddenError('Ingen tilgang: brukeren har bare tilgang til å sende forsendelser');
}

/** Refuses everyone but admins. */
export function requireAdmin(user: AdminUser): void {
  if (user.rolle !== 'admin') throw new ForbiddenError('Ingen tilgang: krever rollen administrator');
}

/** The avsender `navn` if `user` manages it; NotFoundError otherwise (as for an unknown name). */
export async function managedAvsender(user: AdminUser, config: ConfigStore, navn: string): Promise<Avsender> {
  requireManager(user);
  const avsender = await config.getAvsender(navn);
  if (avsender === undefined || !managesAvsender(user, avsender)) throw new NotFoundError(`Avsender '${navn}'`);
  return avsender;
}

/** Checks that `record` belongs to one of the user's avsendere; NotFoundError otherwise. */
export async function requireRecordAccess(
  user: AdminUser,
  config: ConfigStore,
  record: ForsendelseRecord | undefined,
): Promise<ForsendelseRecord> {
  requireManager(user);
  if (record === undefined) throw new NotFoundError();
  if (user.rolle === 'admin') return record;
  const avsender = await config.getAvsender(record.avsender);
  if (avsender === undefined || !managesAvsender(user, avsender)) throw new NotFoundError();
  return record;
}

/** True when `actor` may create, change or deactivate `target` (an existing or new user). */
export function mayAdministerUser(actor: AdminUser, target: Pick<AdminUser, 'rolle' | 'orgnr'>): boolean {
  if (actor.rolle === 'admin') return true;
  if (actor.rolle !== 'local-admin' || actor.orgnr === undefined) return false;
  return target.rolle !== 'admin' && target.orgnr === actor.orgnr;
}
