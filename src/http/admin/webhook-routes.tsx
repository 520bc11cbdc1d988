/**
 * Webhooks per avsender in the admin web: list, add (the signing key shown once), remove,
 * the delivery log of each subscription with "send again" for failed deliveries. Who may
 * configure the avsender may do this; every change is audited.
 */
import type { Hono } from 'hono';
import { pageOffset } from '../../app/admin/query-rules.js';
import { BadRequestError, ValidationError, type FieldProblem } from '../../domain/errors.js';
import type { WebhookDeliveryState } from '../../storage/ports.js';
import { audit, currentUser, formOf, type AdminContext, type AdminDeps, type AdminEnv } from './admin-context.js';
import { WebhookLogPage, WebhooksPage, webhooksPath } from './views/webhooks-page.js';

const PAGE = 50;
const STATES: readonly WebhookDeliveryState[] = ['pending', 'delivered', 'failed'];

/** Messages after an action, by code. */
const MELDINGER: Readonly<Record<string, string>> = {
  slettet: 'Abonnementet er slettet.',
};

/** Registers the webhook pages (only when the node offers webhooks). */
export function webhookRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  const webhooks = deps.webhooks;
  if (webhooks === undefined) return;

  /** The avsender's name, after checking that the user may configure it. */
  const avsenderOf = async (c: AdminContext): Promise<string> =>
    (await deps.admin.avsender(currentUser(c), c.req.param('navn') ?? '')).navn;
  const ctx = (c: AdminContext) => ({ user: currentUser(c), csrf: c.get('csrf') });

  app.get('/konfigurasjon/:navn/webhooks', async (c) => {
    const navn = await avsenderOf(c);
    const ok = c.req.query('ok');
    return c.html(
      <WebhooksPage
        ctx={ctx(c)}
        avsender={navn}
        subscriptions={await webhooks.list(navn)}
        melding={ok === undefined ? undefined : MELDINGER[ok]}
      />,
    );
  });

  app.post('/konfigurasjon/:navn/webhooks', async (c) => {
    const navn = await avsenderOf(c);
    const url = (formOf(c).get('url') ?? '').trim();
    try {
      const created = await webhooks.create(navn, { url });
      await audit(c, deps, { handling: 'webhook.opprettet', objekt: navn, detaljer: `${created.id} → ${created.url}` });
      return c.html(
        <WebhooksPage
          ctx={ctx(c)}
          avsender={navn}
          subscriptions={await webhooks.list(navn)}
          melding="Abonnementet er opprettet."
          nyHemmelighet={{ id: created.id, secret: created.secret }}
        />,
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return c.html(
        <WebhooksPage
          ctx={ctx(c)}
          avsender={navn}
          subscriptions={await webhooks.list(navn)}
          problems={error.problems}
          url={url}
        />,
        400,
      );
    }
  });

  app.post('/konfigurasjon/:navn/webhooks/:id/slett', async (c) => {
    const navn = await avsenderOf(c);
    const removed = await webhooks.delete(navn, c.req.param('id'));
    await audit(c, deps, { handling: 'webhook.slettet', objekt: navn, detaljer: `${removed.id} → ${removed.url}` });
    return c.redirect(`${webhooksPath(navn)}?ok=slettet`, 303);
  });

  app.get('/konfigurasjon/:navn/webhooks/:id', async (c) => {
    const navn = await avsenderOf(c);
    const subscription = await webhooks.get(navn, c.req.param('id'));
    const status = c.req.query('status');
    const state = STATES.find((s) => s === status);
    // As every list of the admin web (query-rules.ts): a bad offset is a 400 naming it, not a
    // database error (`fra=1e20` reached SQLite as a float and answered 500).
    const problems: FieldProblem[] = [];
    const offset = pageOffset(c.req.query('fra'), problems, 'fra');
    if (problems.length > 0) throw new BadRequestError(problems.map((p) => p.message).join('; '));
    const page = await webhooks.deliveries(navn, subscription.id, { state, limit: PAGE, offset });
    const sendt = c.req.query('sendt');
    return c.html(
      <WebhookLogPage
        ctx={ctx(c)}
        avsender={navn}
        subscription={subscription}
        state={state}
        deliveries={page.items}
        total={page.total}
        limit={PAGE}
        offset={offset}
        melding={sendt === undefined ? undefined : `${Number(sendt) || 0} leveranser sendes på nytt.`}
      />,
    );
  });

  app.post('/konfigurasjon/:navn/webhooks/:id/send-igjen', async (c) => {
    const navn = await avsenderOf(c);
    const id = c.req.param('id');
    const form = formOf(c);
    const forsendelseId = form.get('forsendelseId');
    const seq = Number(form.get('seq'));
    const one = forsendelseId !== undefined && Number.isInteger(seq) ? { forsendelseId, seq } : undefined;
    const antall = await webhooks.resend(navn, id, one);
    await audit(c, deps, {
      handling: 'webhook.sendt-igjen',
      objekt: navn,
      detaljer: `${id}: ${one === undefined ? 'alle feilede' : `${one.forsendelseId}.${one.seq}`} (${antall})`,
    });
    return c.redirect(`${webhooksPath(navn)}/${id}?sendt=${antall}`, 303);
  });
}
