/** An avsender's webhook subscriptions, and one subscription's delivery log with "send again". */
import type { FieldProblem } from '../../../domain/errors.js';
import type { WebhookDelivery, WebhookDeliveryState, WebhookSubscription } from '../../../storage/ports.js';
import { BASE } from '../admin-context.js';
import { ErrorSummary, Pager, TextField } from './components.js';
import { tid } from './format.js';
import { CsrfField, Layout, type PageCtx } from './layout.js';

/** Norwegian names of the delivery states. */
export const LEVERING_TEKST: Readonly<Record<WebhookDeliveryState, string>> = {
  pending: 'Venter',
  delivered: 'Levert',
  failed: 'Feilet',
};

/** Path of an avsender's webhook page. */
export function webhooksPath(navn: string): string {
  return `${BASE}/konfigurasjon/${encodeURIComponent(navn)}/webhooks`;
}

/** The list of subscriptions with the form for a new one. */
export function WebhooksPage(props: {
  ctx: PageCtx;
  avsender: string;
  subscriptions: readonly WebhookSubscription[];
  problems?: readonly FieldProblem[];
  url?: string;
  melding?: string;
  /** The secret of a subscription just made (shown this once). */
  nyHemmelighet?: { id: string; secret: string };
}) {
  const base = webhooksPath(props.avsender);
  const errors = new Map((props.problems ?? []).map((p) => [p.field, p.message]));
  return (
    <Layout title={`Webhooks: ${props.avsender}`} ctx={props.ctx} active="konfigurasjon" melding={props.melding}>
      <p>
        <a href={`${BASE}/konfigurasjon/${encodeURIComponent(props.avsender)}`}>← Konfigurasjonen</a>
      </p>
      <p>
        Hver statusendring og hver hendelse i ekspederingsloggen for avsenderens forsendelser sendes som en signert
        CloudEvents-melding (HTTP POST) til adressene under. Mislykkede leveranser prøves på nytt i 24 timer og vises så
        som feilet.
      </p>
      {props.nyHemmelighet === undefined ? null : (
        <section aria-labelledby="hemmelighet">
          <h2 id="hemmelighet">Signeringsnøkkel</h2>
          <p class="engang" id="webhook-hemmelighet">
            {props.nyHemmelighet.secret}
          </p>
          <p>
            <strong>Kopier nøkkelen nå.</strong> Den vises bare denne ene gangen. Mottakeren bruker den til å sjekke
            signaturen i <code>Webhook-Signature</code>.
          </p>
        </section>
      )}
      <h2>Abonnementer</h2>
      {props.subscriptions.length === 0 ? (
        <p>Ingen abonnementer.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Adresse</th>
              <th scope="col">Opprettet</th>
              <th scope="col">Handlinger</th>
            </tr>
          </thead>
          <tbody>
            {props.subscriptions.map((s) => (
              <tr>
                <td>
                  <a href={`${base}/${s.id}`}>{s.url}</a>
                </td>
                <td>{tid(s.createdAt)}</td>
                <td>
                  <form method="post" action={`${base}/${s.id}/slett`}>
                    <CsrfField csrf={props.ctx.csrf} />
                    <button type="submit">Slett</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Nytt abonnement</h2>
      <form method="post" action={base}>
        <CsrfField csrf={props.ctx.csrf} />
        <ErrorSummary problems={props.problems ?? []} fieldIdOf={(f) => f} />
        <TextField
          id="url"
          label="Adresse (https://…)"
          value={props.url}
          errors={errors}
          required
          size="lang"
          maxlength={2000}
        />
        <button type="submit">Legg til</button>
      </form>
    </Layout>
  );
}

/** One subscription's delivery log. */
export function WebhookLogPage(props: {
  ctx: PageCtx;
  avsender: string;
  subscription: WebhookSubscription;
  state?: WebhookDeliveryState;
  deliveries: readonly WebhookDelivery[];
  total: number;
  limit: number;
  offset: number;
  melding?: string;
}) {
  const base = `${webhooksPath(props.avsender)}/${props.subscription.id}`;
  const filter = (s?: WebhookDeliveryState) => (s === undefined ? base : `${base}?status=${s}`);
  return (
    <Layout
      title={`Leveranser til ${props.subscription.url}`}
      ctx={props.ctx}
      active="konfigurasjon"
      melding={props.melding}
    >
      <p>
        <a href={webhooksPath(props.avsender)}>← Abonnementene</a> · Vis: <a href={filter()}>alle</a> ·{' '}
        <a href={filter('pending')}>venter</a> · <a href={filter('delivered')}>levert</a> ·{' '}
        <a href={filter('failed')}>feilet</a>
      </p>
      <form method="post" action={`${base}/send-igjen`}>
        <CsrfField csrf={props.ctx.csrf} />
        <button type="submit">Send alle feilede på nytt</button>
      </form>
      <p>
        {props.total} leveranser{props.state === undefined ? '' : ` med status «${LEVERING_TEKST[props.state]}»`}.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Hendelse</th>
            <th scope="col">Forsendelse</th>
            <th scope="col">Status</th>
            <th scope="col">Forsøk</th>
            <th scope="col">Siste forsøk</th>
            <th scope="col">Resultat</th>
            <th scope="col">Handlinger</th>
          </tr>
        </thead>
        <tbody>
          {props.deliveries.map((d) => (
            <tr>
              <td>
                <code>{d.eventId}</code>
                <br />
                {d.eventType}
              </td>
              <td>
                <a href={`${BASE}/forsendelser/${d.forsendelseId}`}>{d.forsendelseId}</a>
              </td>
              <td>{LEVERING_TEKST[d.state]}</td>
              <td>{d.attempts}</td>
              <td>{tid(d.lastAttemptAt)}</td>
              <td>{d.lastResult ?? ''}</td>
              <td>
                {d.state === 'failed' ? (
                  <form method="post" action={`${base}/send-igjen`}>
                    <CsrfField csrf={props.ctx.csrf} />
                    <input type="hidden" name="forsendelseId" value={d.forsendelseId} />
                    <input type="hidden" name="seq" value={String(d.seq)} />
                    <button type="submit">Send på nytt</button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager
        total={props.total}
        limit={props.limit}
        offset={props.offset}
        href={(o) => `${filter(props.state)}${props.state === undefined ? '?' : '&'}fra=${o}`}
      />
    </Layout>
  );
}
