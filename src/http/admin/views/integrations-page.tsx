/**
 * "Integrasjoner" (admins): the Fiks integrations that call REST v2/v3, the accounts each
 * may act for (with their kontoId), grant and revoke, a new password (shown once), and the
 * form to create one. Every avsender's kontoId is listed too, for setting up a client.
 */
import type { FieldProblem } from '../../../domain/errors.js';
import type { Avsender, Integrasjon } from '../../../storage/ports.js';
import { BASE } from '../admin-context.js';
import { ErrorSummary, TextField } from './components.js';
import { tid } from './format.js';
import { CsrfField, Layout, type PageCtx } from './layout.js';

/** Path of the page. */
export const INTEGRASJONER = `${BASE}/integrasjoner`;

function AvsenderSelect(props: { id: string; avsendere: readonly Avsender[]; label: string; optional?: boolean }) {
  return (
    <div class="felt">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name="avsender">
        {props.optional === true && <option value="">(ingen ennå)</option>}
        {props.avsendere.map((a) => (
          <option value={a.navn}>{a.navn}</option>
        ))}
      </select>
    </div>
  );
}

/**
 * Who may call with the integration: a Maskinporten token's `consumer` must be one of these
 * organisations (KS's rule) — those authorised here, and those of the avsendere it acts for.
 */
function Organisasjoner(props: { ctx: PageCtx; i: Integrasjon; avsendere: readonly Avsender[] }) {
  const { i } = props;
  const action = `${INTEGRASJONER}/${i.id}`;
  const egne = props.avsendere.filter((a) => i.kontoer.includes(a.navn) && a.orgnr !== undefined);
  const ingen = egne.length === 0 && (i.organisasjoner ?? []).length === 0;
  return (
    <div>
      <h4>Organisasjoner som kan kalle</h4>
      <p>Organisasjonen i Maskinporten-tokenet (consumer) må være en av disse.</p>
      {ingen && (
        <p class="melding melding-feil">
          <strong>Ingen organisasjon er autorisert:</strong> alle kall med Maskinporten-token avvises.
        </p>
      )}
      <ul>
        {egne.map((a) => (
          <li>
            {a.orgnr} ({a.navn}, avsenderens eget)
          </li>
        ))}
        {(i.organisasjoner ?? []).map((orgnr) => (
          <li>
            <form method="post" action={`${action}/fjern-organisasjon`}>
              <CsrfField csrf={props.ctx.csrf} />
              {orgnr} <input type="hidden" name="orgnr" value={orgnr} />
              <button type="submit" class="sekundar">
                Fjern
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action={`${action}/legg-til-organisasjon`}>
        <CsrfField csrf={props.ctx.csrf} />
        <div class="felt">
          <label for={`org-${i.id}`}>Autoriser organisasjon (orgnr)</label>
          <input id={`org-${i.id}`} name="orgnr" inputmode="numeric" pattern="[0-9 ]{9,11}" required />
        </div>
        <button type="submit">Autoriser</button>
      </form>
    </div>
  );
}

/** One integration: its accounts with revoke buttons, a grant form and a new-password button. */
function IntegrasjonRad(props: { ctx: PageCtx; i: Integrasjon; avsendere: readonly Avsender[] }) {
  const { i } = props;
  const kontoId = new Map(props.avsendere.map((a) => [a.navn, a.kontoId ?? '–']));
  const ledige = props.avsendere.filter((a) => !i.kontoer.includes(a.navn));
  const action = `${INTEGRASJONER}/${i.id}`;
  return (
    <section class="kort" aria-labelledby={`h-${i.id}`}>
      <h3 id={`h-${i.id}`}>{i.navn}</h3>
      <p>
        IntegrasjonId: <code>{i.id}</code> · opprettet {tid(i.createdAt)}
      </p>
      {i.kontoer.length === 0 ? (
        <p>Ingen tilgang til noen konto ennå.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Avsender</th>
              <th scope="col">kontoId</th>
              <th scope="col">Tilgang</th>
            </tr>
          </thead>
          <tbody>
            {i.kontoer.map((navn) => (
              <tr>
                <td>{navn}</td>
                <td>
                  <code>{kontoId.get(navn) ?? '–'}</code>
                </td>
                <td>
                  <form method="post" action={`${action}/fjern-tilgang`}>
                    <CsrfField csrf={props.ctx.csrf} />
                    <input type="hidden" name="avsender" value={navn} />
                    <button type="submit" class="sekundar">
                      Fjern tilgang
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ledige.length > 0 && (
        <form method="post" action={`${action}/gi-tilgang`}>
          <CsrfField csrf={props.ctx.csrf} />
          <AvsenderSelect id={`gi-${i.id}`} avsendere={ledige} label="Gi tilgang til avsender" />
          <button type="submit">Gi tilgang</button>
        </form>
      )}
      <Organisasjoner ctx={props.ctx} i={i} avsendere={props.avsendere} />
      <form method="post" action={`${action}/nytt-passord`}>
        <CsrfField csrf={props.ctx.csrf} />
        <button type="submit" class="sekundar">
          Lag nytt passord
        </button>
      </form>
    </section>
  );
}

/** The page. */
export function IntegrationsPage(props: {
  ctx: PageCtx;
  integrasjoner: readonly Integrasjon[];
  avsendere: readonly Avsender[];
  melding?: string;
  problems?: readonly FieldProblem[];
  navn?: string;
}) {
  const errors = new Map((props.problems ?? []).map((p) => [p.field, p.message]));
  return (
    <Layout title="Integrasjoner" ctx={props.ctx} active="integrasjoner" melding={props.melding}>
      <p>
        Fagsystemer som bruker SvarUts REST API v2/v3 logger inn med et Maskinporten-token og en integrasjon (
        <code>IntegrasjonId</code> og <code>IntegrasjonPassord</code>). Integrasjonen må ha tilgang til kontoen (
        <code>kontoId</code>) den sender for.
      </p>
      <h2>Integrasjoner</h2>
      {props.integrasjoner.length === 0 ? (
        <p>Ingen integrasjoner ennå.</p>
      ) : (
        props.integrasjoner.map((i) => <IntegrasjonRad ctx={props.ctx} i={i} avsendere={props.avsendere} />)
      )}
      <section aria-labelledby="h-ny-integrasjon">
        <h2 id="h-ny-integrasjon">Ny integrasjon</h2>
        <form method="post" action={`${INTEGRASJONER}/ny`} class="kort">
          <CsrfField csrf={props.ctx.csrf} />
          <ErrorSummary problems={props.problems ?? []} fieldIdOf={() => 'navn'} />
          <TextField
            id="navn"
            label="Navn (hva integrasjonen er)"
            value={props.navn}
            errors={errors}
            required
            hint="F.eks. «Sak/arkiv Elements»"
          />
          <AvsenderSelect id="ny-avsender" avsendere={props.avsendere} label="Tilgang til avsender" optional />
          <button type="submit">Opprett integrasjon</button>
        </form>
      </section>
      <h2>Kontoer</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Avsender</th>
            <th scope="col">kontoId</th>
          </tr>
        </thead>
        <tbody>
          {props.avsendere.map((a) => (
            <tr>
              <td>{a.navn}</td>
              <td>
                <code>{a.kontoId ?? '–'}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

/** Shows an integration's new password once, with what a client needs. */
export function IntegrationPasswordPage(props: {
  ctx: PageCtx;
  integrasjon: Integrasjon;
  passord: string;
  kontoId?: string;
  ny: boolean;
}) {
  return (
    <Layout
      title={props.ny ? 'Integrasjon opprettet' : 'Nytt integrasjonspassord'}
      ctx={props.ctx}
      active="integrasjoner"
    >
      <p>
        {props.ny ? 'Integrasjonen ' : 'Passordet for '}
        <strong>{props.integrasjon.navn}</strong>
        {props.ny ? ' er opprettet.' : ' er byttet. Det gamle passordet virker ikke lenger.'}
      </p>
      <dl>
        <dt>IntegrasjonId</dt>
        <dd>
          <code id="integrasjonId">{props.integrasjon.id}</code>
        </dd>
        <dt>IntegrasjonPassord</dt>
        <dd class="engang" id="integrasjonPassord">
          {props.passord}
        </dd>
        {props.kontoId !== undefined && (
          <>
            <dt>kontoId</dt>
            <dd>
              <code id="kontoId">{props.kontoId}</code>
            </dd>
          </>
        )}
      </dl>
      <p>
        <strong>Kopier passordet nå.</strong> Det vises bare denne ene gangen og lagres bare som en kryptografisk hash.
      </p>
      <p>
        <a href={INTEGRASJONER}>Tilbake til integrasjonene</a>
      </p>
    </Layout>
  );
}
