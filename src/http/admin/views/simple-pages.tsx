/** Small pages: login, errors, the one-time password display. */
import { BASE } from '../admin-context.js';
import { CsrfField, Layout, type PageCtx } from './layout.js';

/** The login form. */
export function LoginPage(props: {
  ctx: PageCtx;
  neste?: string;
  brukernavn?: string;
  feil?: string;
  melding?: string;
  /** No user exists yet: show how to create the first admin. */
  forsteGang?: boolean;
}) {
  return (
    <Layout title="Logg inn" ctx={props.ctx} feil={props.feil} melding={props.melding}>
      <div class="innlogging">
        {props.forsteGang === true && (
          <div class="kort" id="forste-gang">
            <h2>Første gang?</h2>
            <p>
              Det finnes ingen brukere ennå. Opprett den første administratoren på serveren, i mappen Budbringer kjører
              fra (samme <code>DATA_DIR</code>):
            </p>
            <pre class="mono">npx budbringer user create --username admin --role admin</pre>
            <p>
              Kommandoen spør etter passordet. I Docker:{' '}
              <code>
                docker exec -it &lt;container&gt; node bin/budbringer.mjs user create --username admin --role admin
              </code>
              . Logg deretter inn her.
            </p>
          </div>
        )}
        <p>Logg inn med brukernavnet og passordet du har fått av administratoren for Budbringer i din virksomhet.</p>
        <form method="post" action={`${BASE}/logg-inn`}>
          <CsrfField csrf={props.ctx.csrf} />
          {props.neste !== undefined && <input type="hidden" name="neste" value={props.neste} />}
          <div class="felt">
            <label for="brukernavn">Brukernavn</label>
            <input
              id="brukernavn"
              name="brukernavn"
              type="text"
              autocomplete="username"
              required
              value={props.brukernavn ?? ''}
            />
          </div>
          <div class="felt">
            <label for="passord">Passord</label>
            <input id="passord" name="passord" type="password" autocomplete="current-password" required />
          </div>
          <button type="submit">Logg inn</button>
        </form>
      </div>
    </Layout>
  );
}

/** An error page (403, 404, 409, 500 …) with a way back. */
export function ErrorPage(props: { ctx: PageCtx; status: number; message: string }) {
  const title =
    props.status === 403
      ? 'Ingen tilgang'
      : props.status === 404
        ? 'Finnes ikke'
        : props.status >= 500
          ? 'Noe gikk galt'
          : 'Kan ikke utføres';
  return (
    <Layout title={title} ctx={props.ctx}>
      <p role="alert">{props.message}</p>
      <p>
        <a href={BASE}>Til forsiden av forvaltningen</a>
      </p>
    </Layout>
  );
}

/** Shows a new service password once (never stored in clear, never shown again). */
export function OneTimePasswordPage(props: { ctx: PageCtx; avsender: string; passord: string; ny: boolean }) {
  return (
    <Layout title={props.ny ? 'Avsender opprettet' : 'Nytt tjenestepassord'} ctx={props.ctx} active="konfigurasjon">
      <p>
        {props.ny ? 'Avsenderen ' : 'Tjenestepassordet for '}
        <strong>{props.avsender}</strong>
        {props.ny
          ? ' er opprettet. Tjenestepassordet er:'
          : ' er byttet. Det gamle passordet virker ikke lenger. Det nye passordet er:'}
      </p>
      <p class="engang" id="tjenestepassord">
        {props.passord}
      </p>
      <p>
        <strong>Kopier passordet nå.</strong> Det vises bare denne ene gangen og lagres bare som en kryptografisk hash.
        Legg det inn i fagsystemet som sender på vegne av avsenderen (brukernavn: <code>{props.avsender}</code>).
      </p>
      <p>
        <a href={`${BASE}/konfigurasjon/${encodeURIComponent(props.avsender)}`}>Tilbake til konfigurasjonen</a>
      </p>
    </Layout>
  );
}
