/** The list of avsendere a user configures, and (for admins) the form to create one. */
import type { FieldProblem } from '../../../domain/errors.js';
import type { Avsender } from '../../../storage/ports.js';
import { BASE } from '../admin-context.js';
import { ErrorSummary, TextField } from './components.js';
import { tid } from './format.js';
import { CsrfField, Layout, type PageCtx } from './layout.js';

/** The page. */
export function ConfigListPage(props: {
  ctx: PageCtx;
  avsendere: readonly Avsender[];
  problems?: readonly FieldProblem[];
  values?: { navn: string; orgnr: string };
}) {
  const errors = new Map((props.problems ?? []).map((p) => [p.field, p.message]));
  return (
    <Layout title="Konfigurasjon" ctx={props.ctx} active="konfigurasjon">
      <p>Velg avsenderen du vil sette opp: forside, varslingstekster, printleverandør, tjenestepassord og tilgang.</p>
      {props.avsendere.length === 0 ? (
        <p>Du forvalter ingen avsendere.</p>
      ) : (
        <div class="tabell">
          <table>
            <thead>
              <tr>
                <th scope="col">Avsender</th>
                <th scope="col">Organisasjonsnummer</th>
                <th scope="col">Print</th>
                <th scope="col">Opprettet</th>
              </tr>
            </thead>
            <tbody>
              {props.avsendere.map((a) => (
                <tr>
                  <td>
                    <a href={`${BASE}/konfigurasjon/${encodeURIComponent(a.navn)}`}>{a.navn}</a>
                  </td>
                  <td>{a.orgnr ?? '–'}</td>
                  <td>{a.print.leverandor === 'manual' ? 'Manuell print' : 'Sentral print'}</td>
                  <td class="tid">{tid(a.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.ctx.user?.rolle === 'admin' && (
        <section aria-labelledby="h-ny">
          <h2 id="h-ny">Ny avsender</h2>
          <form method="post" action={`${BASE}/konfigurasjon/ny-avsender`} class="kort">
            <CsrfField csrf={props.ctx.csrf} />
            <ErrorSummary problems={props.problems ?? []} fieldIdOf={(f) => (f === 'orgnr' ? 'orgnr' : 'navn')} />
            <TextField
              id="navn"
              label="Navn (brukernavn for fagsystemet)"
              value={props.values?.navn}
              errors={errors}
              required
              hint="2–100 tegn: bokstaver, tall, punktum, bindestrek og mellomrom"
            />
            <TextField
              id="orgnr"
              label="Organisasjonsnummer"
              value={props.values?.orgnr}
              errors={errors}
              inputmode="numeric"
              size="middels"
              hint="9 siffer. Lokale administratorer med samme organisasjonsnummer får tilgang."
            />
            <button type="submit">Opprett avsender</button>
          </form>
        </section>
      )}
    </Layout>
  );
}
