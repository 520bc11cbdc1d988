/** One avsender's configuration: cover page with live preview, notification texts, print, password, access. */
import type { FieldProblem } from '../../../domain/errors.js';
import type { AdminUser, Avsender } from '../../../storage/ports.js';
import { isDeaktivert, mayAdministerUser, ROLLE_NAVN } from '../../../app/admin/access.js';
import { varslingFor } from '../../../channels/notify/render-varsel.js';
import { BASE } from '../admin-context.js';
import type { UserFormValues } from '../user-routes.js';
import { ErrorSummary, Select, TextArea, TextField, type FieldErrors } from './components.js';
import { CSRF_FIELD } from '../csrf.js';
import { CsrfField, Layout, Melding, type PageCtx } from './layout.js';

/** A section re-shown with problems (and, for access, the typed values). */
export interface ConfigSection {
  readonly name: 'forside' | 'varsling' | 'print' | 'mottakerside' | 'tilgang';
  readonly problems: readonly FieldProblem[];
  readonly values?: UserFormValues;
}

/** The page. */
export function AvsenderConfigPage(props: {
  ctx: PageCtx;
  avsender: Avsender;
  users: readonly AdminUser[];
  section?: ConfigSection;
  melding?: string;
  /** The section (heading id) the confirmation is shown in, where the clerk saved. */
  meldingVed?: string;
}) {
  const a = props.avsender;
  const base = `${BASE}/konfigurasjon/${encodeURIComponent(a.navn)}`;
  const errorsFor = (name: ConfigSection['name']): FieldErrors =>
    new Map(props.section?.name === name ? props.section.problems.map((p) => [p.field, p.message]) : []);
  const problemsFor = (name: ConfigSection['name']) => (props.section?.name === name ? props.section.problems : []);
  const fe = errorsFor('forside');
  const ve = errorsFor('varsling');
  const te = errorsFor('tilgang');
  const logoFeil = errorsFor('mottakerside').get('logo');
  // In the avsender's language, as the notices go out (render-varsel.ts, varslingToStore).
  const varsling = varslingFor(a);
  const actor = props.ctx.user;
  return (
    <Layout
      title={`Konfigurasjon: ${a.navn}`}
      ctx={props.ctx}
      active="konfigurasjon"
      melding={props.meldingVed === undefined ? props.melding : undefined}
    >
      <p>
        <a href={`${BASE}/konfigurasjon`}>← Alle avsendere</a> · Organisasjonsnummer: {a.orgnr ?? 'ikke satt'} ·{' '}
        <a href={`${base}/webhooks`}>Webhooks (statusvarsler til avsenderens system)</a>
      </p>

      <section aria-labelledby="forside" class="kolonner">
        <div>
          <h2 id="forside">Forside</h2>
          {props.meldingVed === 'forside' && <Melding text={props.melding} />}
          <p>
            Forsiden legges først i forsendelsesfilen og brukes når brevet skrives ut. Endringer gjelder forsendelser
            som mottas etter at du lagrer.
          </p>
          <form
            method="post"
            action={`${base}/forside`}
            data-forhandsvisning="forside-forhandsvisning"
            data-forhandsvisning-url={`${base}/forside.png`}
          >
            <CsrfField csrf={props.ctx.csrf} />
            <ErrorSummary problems={problemsFor('forside')} fieldIdOf={(f) => f} />
            <TextField id="forsideNavn" label="Navn på forsiden" value={a.forside.navn} errors={fe} required />
            <TextField id="adresselinje1" label="Adresselinje 1" value={a.forside.adresselinjer[0]} errors={fe} />
            <TextField id="adresselinje2" label="Adresselinje 2" value={a.forside.adresselinjer[1]} errors={fe} />
            <TextField id="adresselinje3" label="Adresselinje 3" value={a.forside.adresselinjer[2]} errors={fe} />
            <div class="rad">
              <TextField
                id="postnr"
                label="Postnummer"
                value={a.forside.postnr}
                errors={fe}
                inputmode="numeric"
                size="kort"
              />
              <TextField id="poststed" label="Poststed" value={a.forside.poststed} errors={fe} />
            </div>
            <TextArea
              id="tekst"
              label="Forsidetekst"
              value={a.forside.tekst}
              errors={fe}
              rows={7}
              hint="Forklarer mottakeren hvorfor brevet kommer på papir."
            />
            <div class="knapper">
              <button type="submit">Lagre forsiden</button>
              <button
                type="submit"
                class="sekundar"
                formaction={`${base}/forside.png`}
                formmethod="post"
                formtarget="_blank"
              >
                Oppdater forhåndsvisning
              </button>
            </div>
          </form>
        </div>
        <div>
          <h3 id="h-forhandsvisning">Forhåndsvisning</h3>
          <p class="hint">
            Slik ser forsiden ut for mottakeren (med en eksempelmottaker). Den oppdateres mens du skriver.
          </p>
          <img
            id="forside-forhandsvisning"
            class="forhandsvisning"
            alt="Forhåndsvisning av forsiden med en eksempelmottaker"
            src={`${base}/forside.png`}
            width={1000}
            height={1414}
          />
          <p>
            <a href={`${base}/forside.pdf`} target="_blank" rel="noopener">
              Åpne forhåndsvisningen som PDF
            </a>
          </p>
        </div>
      </section>

      <section aria-labelledby="varsling">
        <h2 id="varsling">Varslingstekster</h2>
        {props.meldingVed === 'varsling' && <Melding text={props.melding} />}
        <p>
          Mottakeren får e-post eller SMS når et brev venter. Bruk <code>{'{avsender}'}</code>,{' '}
          <code>{'{tittel}'}</code> og <code>{'{lenke}'}</code>; lenken må være med. Fødselsnummer fjernes alltid fra
          varsler.
        </p>
        <form method="post" action={`${base}/varsling`}>
          <CsrfField csrf={props.ctx.csrf} />
          <ErrorSummary problems={problemsFor('varsling')} fieldIdOf={(f) => f} />
          <TextField id="epostEmne" label="Emne i e-post" value={varsling.epostEmne} errors={ve} required />
          <TextArea id="epostTekst" label="Tekst i e-post" value={varsling.epostTekst} errors={ve} rows={8} />
          <TextArea id="smsTekst" label="Tekst i SMS" value={varsling.smsTekst} errors={ve} rows={2} />
          <TextField
            id="organisasjonEpost"
            label="E-post for varsling av virksomheter (valgfritt)"
            type="email"
            value={a.varsling.organisasjonEpost}
            errors={ve}
          />
          <button type="submit">Lagre varslingstekstene</button>
        </form>
      </section>

      <section aria-labelledby="print">
        <h2 id="print">Print</h2>
        {props.meldingVed === 'print' && <Melding text={props.melding} />}
        <form method="post" action={`${base}/print`}>
          <CsrfField csrf={props.ctx.csrf} />
          <fieldset>
            <legend>Printleverandør for brev som går på papir</legend>
            <div class="avkryss">
              <input
                type="radio"
                id="leverandor-filedrop"
                name="leverandor"
                value="filedrop"
                checked={a.print.leverandor === 'filedrop'}
              />
              <label for="leverandor-filedrop">Sentral print (printleverandør henter filene)</label>
            </div>
            <div class="avkryss">
              <input
                type="radio"
                id="leverandor-manual"
                name="leverandor"
                value="manual"
                checked={a.print.leverandor === 'manual'}
              />
              <label for="leverandor-manual">Manuell print (brevene skrives ut fra «Manuell print» her)</label>
            </div>
          </fieldset>
          <button type="submit">Lagre print</button>
        </form>
      </section>

      <section aria-labelledby="mottakerside">
        <h2 id="mottakerside">Mottakersiden</h2>
        {props.meldingVed === 'mottakerside' && <Melding text={props.melding} />}
        <p>Slik presenteres avsenderen på siden mottakeren åpner fra varselet.</p>
        <form method="post" action={`${base}/mottakerside`}>
          <CsrfField csrf={props.ctx.csrf} />
          <ErrorSummary problems={problemsFor('mottakerside')} fieldIdOf={(f) => f} />
          <TextField
            id="kontakt"
            label="Kontaktlinje (valgfritt)"
            value={a.mottakerside?.kontakt}
            errors={errorsFor('mottakerside')}
            hint="F.eks. «Servicetorget, tlf. 22 00 00 00, postmottak@kommune.no»"
          />
          <Select
            id="sprak"
            label="Språk på mottakersiden"
            value={a.mottakerside?.sprak ?? 'nb'}
            options={[
              { value: 'nb', label: 'Bokmål' },
              { value: 'nn', label: 'Nynorsk' },
              { value: 'en', label: 'Engelsk' },
            ]}
          />
          <button type="submit">Lagre mottakersiden</button>
        </form>
        <form
          method="post"
          action={`${base}/logo?${CSRF_FIELD}=${encodeURIComponent(props.ctx.csrf)}`}
          enctype="multipart/form-data"
        >
          <div class={`felt${logoFeil !== undefined ? ' felt-feil' : ''}`}>
            <label for="logo">Logo (PNG eller JPEG, høyst 200 KB)</label>
            {a.mottakerside?.logo !== undefined && (
              <p class="hint" id="logo-hint">
                En logo er lastet opp ({Math.ceil(a.mottakerside.logo.size / 1024)} KB). Velg en ny for å bytte.
              </p>
            )}
            {logoFeil !== undefined && (
              <p class="feiltekst" id="logo-feil">
                {logoFeil}
              </p>
            )}
            {/* Tied to its hint and error as every other field is (WCAG 1.3.1, 3.3.1; found in review). */}
            <input
              id="logo"
              name="logo"
              type="file"
              accept="image/png,image/jpeg"
              aria-invalid={logoFeil !== undefined ? 'true' : undefined}
              aria-describedby={
                [a.mottakerside?.logo !== undefined ? 'logo-hint' : '', logoFeil !== undefined ? 'logo-feil' : '']
                  .filter((id) => id !== '')
                  .join(' ') || undefined
              }
            />
          </div>
          <button type="submit" class="sekundar">
            Last opp logo
          </button>
        </form>
      </section>

      <section aria-labelledby="tjenestepassord">
        <h2 id="tjenestepassord">Tjenestepassord</h2>
        <p>
          Fagsystemet logger inn som <code>{a.navn}</code> med tjenestepassordet. Et nytt passord vises én gang, og det
          gamle slutter å virke med en gang.
        </p>
        <form
          method="post"
          action={`${base}/tjenestepassord`}
          data-bekreft="Det gamle tjenestepassordet slutter å virke med en gang. Fortsette?"
        >
          <CsrfField csrf={props.ctx.csrf} />
          <button type="submit" class="fare">
            Lag nytt tjenestepassord
          </button>
        </form>
      </section>

      <section aria-labelledby="tilgang">
        <h2 id="tilgang">Tilgang</h2>
        {props.meldingVed === 'tilgang' && <Melding text={props.melding} />}
        <div class="tabell">
          <table>
            <caption class="visuelt-skjult">Brukere med tilgang til {a.navn}</caption>
            <thead>
              <tr>
                <th scope="col">Bruker</th>
                <th scope="col">Rolle</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visuelt-skjult">Handling</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.users.map((u) => (
                <tr>
                  <td>{u.brukernavn}</td>
                  <td>{ROLLE_NAVN[u.rolle]}</td>
                  <td>{isDeaktivert(u) ? 'Deaktivert' : 'Aktiv'}</td>
                  <td>
                    {actor !== undefined &&
                      mayAdministerUser(actor, u) &&
                      !isDeaktivert(u) &&
                      u.brukernavn !== actor.brukernavn && (
                        <form
                          method="post"
                          action={`${base}/brukere/deaktiver`}
                          data-bekreft={`Deaktivere ${u.brukernavn}?`}
                        >
                          <CsrfField csrf={props.ctx.csrf} />
                          <input type="hidden" name="brukernavn" value={u.brukernavn} />
                          <button type="submit" class="sekundar" aria-label={`Deaktiver ${u.brukernavn}`}>
                            Deaktiver
                          </button>
                        </form>
                      )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3>Legg til eller endre bruker</h3>
        <form method="post" action={`${base}/brukere`} class="kort">
          <CsrfField csrf={props.ctx.csrf} />
          <ErrorSummary problems={problemsFor('tilgang')} fieldIdOf={(f) => f} />
          <div class="rad">
            <TextField
              id="nyttBrukernavn"
              label="Brukernavn"
              value={props.section?.values?.brukernavn}
              errors={te}
              autocomplete="off"
            />
            <TextField
              id="nyttPassord"
              label="Passord"
              type="password"
              errors={te}
              autocomplete="new-password"
              hint="Minst 10 tegn"
            />
            <Select
              id="rolle"
              label="Rolle"
              value={props.section?.values?.rolle ?? 'sender-only'}
              errors={te}
              options={[
                { value: 'sender-only', label: `${ROLLE_NAVN['sender-only']} for ${a.navn}` },
                ...(a.orgnr !== undefined
                  ? [{ value: 'local-admin', label: `${ROLLE_NAVN['local-admin']} for orgnr ${a.orgnr}` }]
                  : []),
                ...(actor?.rolle === 'admin' ? [{ value: 'admin', label: ROLLE_NAVN.admin }] : []),
              ]}
            />
          </div>
          <button type="submit">Lagre bruker</button>
        </form>
      </section>
    </Layout>
  );
}
