/**
 * Configuration and access of avsendere in the admin web: the section writes, the users
 * with access to an avsender, adding or changing such a user, and deactivating one. The
 * ConfigStore has no delete, so deactivation replaces the password hash with one nothing
 * verifies against. The callers (AdminService) have checked that the actor manages the avsender.
 */
import { deactivateUserAccount, putUser } from '../accounts.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { AdminUser, Avsender, ConfigStore } from '../../storage/ports.js';
import { mayAdministerUser } from './access.js';

/** The sections of an avsender's configuration that the admin web edits one at a time. */
export type ConfigSectionName = 'forside' | 'varsling' | 'print' | 'mottakerside';

/** The users with access to `avsender`: admins, local admins of its orgnr, its sender-only users. */
export async function usersOf(config: ConfigStore, avsender: Avsender): Promise<AdminUser[]> {
  const users = await config.listUsers();
  return users
    .filter(
      (u) =>
        u.rolle === 'admin' ||
        (u.rolle === 'local-admin' && u.orgnr !== undefined && u.orgnr === avsender.orgnr) ||
        (u.rolle === 'sender-only' && u.avsender === avsender.navn),
    )
    .sort((a, b) => a.rolle.localeCompare(b.rolle) || a.brukernavn.localeCompare(b.brukernavn, 'nb'));
}

/**
 * Writes one section of `changed` onto the stored avsender. Re-read right before writing:
 * the form's other sections must not overwrite a concurrent change.
 */
export async function updateSection(
  config: ConfigStore,
  changed: Avsender,
  name: ConfigSectionName,
): Promise<{ before: Avsender; after: Avsender }> {
  const before = (await config.getAvsender(changed.navn)) ?? changed;
  const after: Avsender = { ...before, [name]: changed[name] };
  await config.updateAvsender(after);
  return { before, after };
}

/** A user to add to (or change for) an avsender, as typed. */
export interface UserInput {
  readonly brukernavn: string;
  readonly passord: string;
  readonly rolle: string | undefined;
}

/**
 * Adds or changes a user with access to `avsender`: a local admin of its orgnr, a
 * sender-only user of it, or (for admins) an admin. Refuses a role or an existing user the
 * actor may not administer (403); bad fields as ValidationError (fields `rolle`, `username`,
 * `password`). Resolves with whether the user existed.
 */
export async function saveUser(
  config: ConfigStore,
  actor: AdminUser,
  avsender: Avsender,
  input: UserInput,
  now: number,
): Promise<{ existed: boolean; rolle: AdminUser['rolle'] }> {
  const { brukernavn, passord, rolle } = input;
  if (rolle !== 'admin' && rolle !== 'local-admin' && rolle !== 'sender-only')
    throw new ValidationError([{ field: 'rolle', message: 'Velg en rolle' }]);
  if (rolle === 'local-admin' && avsender.orgnr === undefined) {
    throw new ValidationError([
      { field: 'rolle', message: 'Avsenderen har ikke organisasjonsnummer, så den kan ikke ha lokale administratorer' },
    ]);
  }
  const target: Pick<AdminUser, 'rolle' | 'orgnr'> = { rolle, orgnr: rolle === 'admin' ? undefined : avsender.orgnr };
  const existing = brukernavn === '' ? undefined : await config.getUser(brukernavn);
  if (!mayAdministerUser(actor, target) || (existing !== undefined && !mayAdministerUser(actor, existing))) {
    throw new ForbiddenError(
      existing !== undefined
        ? `Ingen tilgang: brukernavnet «${brukernavn}» er i bruk av en bruker du ikke forvalter`
        : 'Ingen tilgang: du kan ikke gi denne rollen',
    );
  }
  await putUser(config, {
    brukernavn,
    passord,
    rolle,
    avsender: rolle === 'sender-only' ? avsender.navn : undefined,
    orgnr: rolle === 'local-admin' ? avsender.orgnr : undefined,
    now,
  });
  return { existed: existing !== undefined, rolle };
}

/** Deactivates `brukernavn`, a user with access to `avsender`; resolves with the stored name, undefined when already deactivated. */
export async function deactivateUser(
  config: ConfigStore,
  actor: AdminUser,
  avsender: Avsender,
  brukernavn: string,
): Promise<string | undefined> {
  const user = await config.getUser(brukernavn);
  const related = user !== undefined && (await usersOf(config, avsender)).some((u) => u.brukernavn === user.brukernavn);
  if (user === undefined || !related) throw new NotFoundError(`Brukeren «${brukernavn}»`);
  if (!mayAdministerUser(actor, user)) throw new ForbiddenError('Ingen tilgang: du kan ikke deaktivere denne brukeren');
  if (user.brukernavn === actor.brukernavn) throw new ForbiddenError('Du kan ikke deaktivere deg selv');
  return (await deactivateUserAccount(config, user.brukernavn)) ? user.brukernavn : undefined;
}
