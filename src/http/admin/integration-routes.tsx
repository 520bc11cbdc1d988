/**
 * The admin web's Fiks integrations (REST v2/v3), for admins only (an integration may act
 * for any organisation's account): create (password shown once), grant and revoke access to
 * an account, authorise the organisations that may call with it, new password. The rules are the application layer's
 * (src/app/fiks/integrasjoner.ts); every change is audited.
 */
import type { Hono } from 'hono';
import { requireAdmin } from '../../app/admin/access.js';
import { messageFor } from '../../app/admin/query-rules.js';
import {
  createIntegrasjon,
  rotateIntegrasjonPassord,
  setOrganisasjon,
  setTilgang,
} from '../../app/fiks/integrasjoner.js';
import { NotFoundError, ValidationError, type FieldProblem } from '../../domain/errors.js';
import type { AdminUser } from '../../storage/ports.js';
import { audit, currentUser, formOf, type AdminContext, type AdminDeps, type AdminEnv } from './admin-context.js';
import { INTEGRASJONER, IntegrationPasswordPage, IntegrationsPage } from './views/integrations-page.js';

const MELDINGER: Readonly<Record<string, string>> = {
  tilgang: 'Integrasjonen har fått tilgang til kontoen.',
  fjernet: 'Tilgangen er fjernet. Integrasjonen kan ikke lenger bruke kontoen.',
  organisasjon: 'Organisasjonen kan nå kalle med integrasjonen.',
  'organisasjon-fjernet': 'Organisasjonen kan ikke lenger kalle med integrasjonen.',
};

/** Registers /integrasjoner and its actions. */
export function integrationRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  const now = deps.now ?? Date.now;
  const admin = (c: AdminContext): AdminUser => {
    const user = currentUser(c);
    requireAdmin(user);
    return user;
  };
  const page = async (c: AdminContext, extra: { problems?: FieldProblem[]; navn?: string } = {}, status = 200) =>
    c.html(
      <IntegrationsPage
        ctx={{ user: currentUser(c), csrf: c.get('csrf') }}
        integrasjoner={await deps.config.listIntegrasjoner()}
        avsendere={await deps.config.listAvsendere()}
        melding={messageFor(MELDINGER, c.req.query('ok'))}
        {...extra}
      />,
      status as 200,
    );
  const integrasjon = async (id: string) => {
    const found = await deps.config.getIntegrasjon(id);
    if (found === undefined) throw new NotFoundError('Integrasjonen');
    return found;
  };

  app.get('/integrasjoner', async (c) => {
    admin(c);
    return page(c);
  });

  app.post('/integrasjoner/ny', async (c) => {
    const user = admin(c);
    const form = formOf(c);
    const navn = (form.get('navn') ?? '').trim();
    const avsender = form.get('avsender') || undefined;
    try {
      const r = await createIntegrasjon(deps.config, { navn, avsender, now: now() });
      await audit(c, deps, {
        handling: 'integrasjon.opprettet',
        objekt: r.integrasjon.id,
        detaljer: `${r.integrasjon.navn}${avsender === undefined ? '' : `, tilgang til ${avsender}`}`,
      });
      return c.html(
        <IntegrationPasswordPage
          ctx={{ user, csrf: c.get('csrf') }}
          integrasjon={r.integrasjon}
          passord={r.passord}
          kontoId={r.kontoId}
          ny
        />,
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return page(c, { problems: [...error.problems], navn }, 400);
    }
  });

  for (const [path, tilgang] of [
    ['gi-tilgang', true],
    ['fjern-tilgang', false],
  ] as const) {
    app.post(`/integrasjoner/:id/${path}`, async (c) => {
      admin(c);
      const i = await integrasjon(c.req.param('id'));
      const avsender = formOf(c).get('avsender') ?? '';
      await setTilgang(deps.config, { integrasjonId: i.id, avsender, tilgang });
      await audit(c, deps, {
        handling: tilgang ? 'integrasjon.tilgang-gitt' : 'integrasjon.tilgang-fjernet',
        objekt: i.id,
        detaljer: `${i.navn}: ${avsender}`,
      });
      return c.redirect(`${INTEGRASJONER}?ok=${tilgang ? 'tilgang' : 'fjernet'}`, 303);
    });
  }

  for (const [path, autorisert] of [
    ['legg-til-organisasjon', true],
    ['fjern-organisasjon', false],
  ] as const) {
    app.post(`/integrasjoner/:id/${path}`, async (c) => {
      admin(c);
      const i = await integrasjon(c.req.param('id'));
      const orgnr = (formOf(c).get('orgnr') ?? '').trim();
      try {
        await setOrganisasjon(deps.config, { integrasjonId: i.id, orgnr, autorisert });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return page(c, { problems: [...error.problems] }, 400);
      }
      await audit(c, deps, {
        handling: autorisert ? 'integrasjon.organisasjon-lagt-til' : 'integrasjon.organisasjon-fjernet',
        objekt: i.id,
        detaljer: `${i.navn}: ${orgnr}`,
      });
      return c.redirect(`${INTEGRASJONER}?ok=${autorisert ? 'organisasjon' : 'organisasjon-fjernet'}`, 303);
    });
  }

  app.post('/integrasjoner/:id/nytt-passord', async (c) => {
    const user = admin(c);
    const i = await integrasjon(c.req.param('id'));
    const passord = await rotateIntegrasjonPassord(deps.config, i.id);
    await audit(c, deps, { handling: 'integrasjon.nytt-passord', objekt: i.id, detaljer: i.navn });
    return c.html(
      <IntegrationPasswordPage ctx={{ user, csrf: c.get('csrf') }} integrasjon={i} passord={passord} ny={false} />,
    );
  });
}
