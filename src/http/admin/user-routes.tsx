/**
 * Access to an avsender (users and roles): who may use it, adding a user as local admin
 * or sender-only (admins may also add admins), and deactivating a user. The ConfigStore
 * has no delete, so deactivation replaces the password hash with one nothing verifies
 * against (see the report for the proposed `deleteUser`).
 */
import type { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { putUser } from '../../app/accounts.js';
import { ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../../domain/errors.js';
import type { AdminUser, Avsender, ConfigStore } from '../../storage/ports.js';
import { DEAKTIVERT_PREFIX, isDeaktivert, managedAvsender, mayAdministerUser } from '../../app/admin/access.js';
import { audit, currentUser, formOf, type AdminContext, type AdminDeps, type AdminEnv } from './admin-context.js';

/** Values typed into the new-user form. */
export interface UserFormValues {
  readonly brukernavn?: string;
  readonly rolle?: string;
}

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

/** Maps putUser's field names to the form's. */
function formField(field: string): string {
  return field === 'username' ? 'nyttBrukernavn' : field === 'password' ? 'nyttPassord' : 'rolle';
}

/** Registers POST /konfigurasjon/:navn/brukere and …/brukere/deaktiver. */
export function userRoutes(
  app: Hono<AdminEnv>,
  deps: AdminDeps,
  showProblems: (c: AdminContext, avsender: Avsender, problems: FieldProblem[], values: UserFormValues) => Promise<Response>,
): void {
  const now = deps.now ?? Date.now;

  app.post('/konfigurasjon/:navn/brukere', async (c) => {
    const actor = currentUser(c);
    const avsender = await managedAvsender(actor, deps.config, c.req.param('navn'));
    const form = formOf(c);
    const brukernavn = (form.get('nyttBrukernavn') ?? '').trim();
    const passord = form.get('nyttPassord') ?? '';
    const rolle = form.get('rolle');
    const values = { brukernavn, rolle };
    if (rolle !== 'admin' && rolle !== 'local-admin' && rolle !== 'sender-only') {
      return showProblems(c, avsender, [{ field: 'rolle', message: 'Velg en rolle' }], values);
    }
    if (rolle === 'local-admin' && avsender.orgnr === undefined) {
      return showProblems(c, avsender, [{ field: 'rolle', message: 'Avsenderen har ikke organisasjonsnummer, så den kan ikke ha lokale administratorer' }], values);
    }
    const target: Pick<AdminUser, 'rolle' | 'orgnr'> = { rolle, orgnr: rolle === 'admin' ? undefined : avsender.orgnr };
    const existing = brukernavn === '' ? undefined : await deps.config.getUser(brukernavn);
    if (!mayAdministerUser(actor, target) || (existing !== undefined && !mayAdministerUser(actor, existing))) {
      throw new ForbiddenError(existing !== undefined ? `Ingen tilgang: brukernavnet «${brukernavn}» er i bruk av en bruker du ikke forvalter` : 'Ingen tilgang: du kan ikke gi denne rollen');
    }
    try {
      await putUser(deps.config, {
        brukernavn,
        passord,
        rolle,
        avsender: rolle === 'sender-only' ? avsender.navn : undefined,
        orgnr: rolle === 'local-admin' ? avsender.orgnr : undefined,
        now: now(),
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showProblems(c, avsender, error.problems.map((p) => ({ field: formField(p.field), message: p.message.replace(/--sender/g, 'avsender') })), values);
    }
    await audit(c, deps, {
      handling: existing === undefined ? 'bruker.opprettet' : 'bruker.endret',
      objekt: brukernavn,
      detaljer: `Rolle ${rolle}${rolle === 'sender-only' ? ` for avsender ${avsender.navn}` : rolle === 'local-admin' ? ` for orgnr ${avsender.orgnr ?? ''}` : ''}`,
    });
    return c.redirect(`${c.req.path.replace(/\/brukere$/, '')}?ok=bruker#tilgang`, 303);
  });

  app.post('/konfigurasjon/:navn/brukere/deaktiver', async (c) => {
    const actor = currentUser(c);
    const avsender = await managedAvsender(actor, deps.config, c.req.param('navn'));
    const brukernavn = formOf(c).get('brukernavn') ?? '';
    const user = await deps.config.getUser(brukernavn);
    const related = user !== undefined && (await usersOf(deps.config, avsender)).some((u) => u.brukernavn === user.brukernavn);
    if (user === undefined || !related) throw new NotFoundError(`Brukeren «${brukernavn}»`);
    if (!mayAdministerUser(actor, user)) throw new ForbiddenError('Ingen tilgang: du kan ikke deaktivere denne brukeren');
    if (user.brukernavn === actor.brukernavn) throw new ForbiddenError('Du kan ikke deaktivere deg selv');
    if (!isDeaktivert(user)) {
      await deps.config.putUser({ ...user, passordHash: `${DEAKTIVERT_PREFIX}${randomBytes(16).toString('base64url')}` });
      await audit(c, deps, { handling: 'bruker.deaktivert', objekt: user.brukernavn });
    }
    return c.redirect(`${c.req.path.replace(/\/brukere\/deaktiver$/, '')}?ok=deaktivert#tilgang`, 303);
  });
}
