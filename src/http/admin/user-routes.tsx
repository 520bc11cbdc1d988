/**
 * Access to an avsender (users and roles): who may use it, adding a user as local admin
 * or sender-only (admins may also add admins), and deactivating a user. The rules are the
 * application layer's (src/app/admin/admin-config.ts); this door reads the forms.
 */
import type { Hono } from 'hono';
import type { UserInput } from '../../app/admin/admin-config.js';
import { ValidationError, type FieldProblem } from '../../domain/errors.js';
import type { Avsender } from '../../storage/ports.js';
import {
  audit,
  configPath,
  currentUser,
  formOf,
  type AdminContext,
  type AdminDeps,
  type AdminEnv,
} from './admin-context.js';

/** Values typed into the new-user form. */
export interface UserFormValues {
  readonly brukernavn?: string;
  readonly rolle?: string;
}

/** Maps the service's field names to the form's. */
function formField(field: string): string {
  return field === 'username' ? 'nyttBrukernavn' : field === 'password' ? 'nyttPassord' : 'rolle';
}

/** Registers POST /konfigurasjon/:navn/brukere and …/brukere/deaktiver. */
export function userRoutes(
  app: Hono<AdminEnv>,
  deps: AdminDeps,
  showProblems: (
    c: AdminContext,
    avsender: Avsender,
    problems: FieldProblem[],
    values: UserFormValues,
  ) => Promise<Response>,
): void {
  app.post('/konfigurasjon/:navn/brukere', async (c) => {
    const actor = currentUser(c);
    const avsender = await deps.admin.avsender(actor, c.req.param('navn'));
    const form = formOf(c);
    const input: UserInput = {
      brukernavn: (form.get('nyttBrukernavn') ?? '').trim(),
      passord: form.get('nyttPassord') ?? '',
      rolle: form.get('rolle'),
    };
    const values = { brukernavn: input.brukernavn, rolle: input.rolle };
    let saved: Awaited<ReturnType<typeof deps.admin.saveUser>>;
    try {
      saved = await deps.admin.saveUser(actor, avsender, input);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return showProblems(
        c,
        avsender,
        error.problems.map((p) => ({ field: formField(p.field), message: p.message.replace(/--sender/g, 'avsender') })),
        values,
      );
    }
    const { rolle } = saved;
    await audit(c, deps, {
      handling: saved.existed ? 'bruker.endret' : 'bruker.opprettet',
      objekt: input.brukernavn,
      detaljer: `Rolle ${rolle}${rolle === 'sender-only' ? ` for avsender ${avsender.navn}` : rolle === 'local-admin' ? ` for orgnr ${avsender.orgnr ?? ''}` : ''}`,
    });
    // The avsender's own path, encoded: c.req.path is decoded, and "Ålesund kommune" went
    // into Location as a raw Latin-1 byte that the browser followed to a 404.
    return c.redirect(`${configPath(avsender.navn)}?ok=bruker#tilgang`, 303);
  });

  app.post('/konfigurasjon/:navn/brukere/deaktiver', async (c) => {
    const actor = currentUser(c);
    const avsender = await deps.admin.avsender(actor, c.req.param('navn'));
    const brukernavn = formOf(c).get('brukernavn') ?? '';
    const deactivated = await deps.admin.deactivateUser(actor, avsender, brukernavn);
    if (deactivated !== undefined) await audit(c, deps, { handling: 'bruker.deaktivert', objekt: deactivated });
    return c.redirect(`${configPath(avsender.navn)}?ok=deaktivert#tilgang`, 303);
  });
}
