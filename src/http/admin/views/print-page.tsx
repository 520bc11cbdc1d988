/** The manual print queue. */
import type { ForsendelseState } from '../../../domain/forsendelse-state.js';
import { printGiroPages } from '../../../domain/giro-pages.js';
import { BASE } from '../admin-context.js';
import { isDuplex, MAX_BATCH, printFileOf } from '../../../app/admin/manual-print.js';
import { tid } from './format.js';
import { CsrfField, Layout, type PageCtx } from './layout.js';

/** The page. */
export function PrintPage(props: {
  ctx: PageCtx;
  letters: readonly ForsendelseState[];
  /** How many wait in all (more than `letters` when the page shows only the oldest). */
  total: number;
  melding?: string;
  feil?: string;
}) {
  const letters = props.letters;
  const ensidige = letters.filter((s) => !isDuplex(s)).length;
  const tosidige = letters.length - ensidige;
  return (
    <Layout title="Manuell print" ctx={props.ctx} active="print" melding={props.melding} feil={props.feil}>
      <p>
        Brev fra avsendere som er satt opp med manuell print, venter her til de er skrevet ut og lagt i posten. Last ned
        en bunke, skriv den ut, og bekreft de brevene som er printet. Forsiden er tilpasset vinduskonvolutt (C5).
      </p>
      {letters.length === 0 ? (
        <p role="status">Ingen brev venter på manuell print.</p>
      ) : (
        <form method="post" action={`${BASE}/manuell-print/bekreft`}>
          <CsrfField csrf={props.ctx.csrf} />
          <p role="status">
            {props.total > letters.length
              ? `${props.total} brev venter; her vises de ${letters.length} eldste: `
              : `${letters.length} brev venter: `}
            {ensidige} ensidige og {tosidige} tosidige. Uten avkrysning gjelder nedlastingen alle (høyst {MAX_BATCH} i
            én fil).
          </p>
          <div class="tabell">
            <table>
              <caption class="visuelt-skjult">Brev som venter på manuell print, eldste først</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <input type="checkbox" id="velg-alle" data-velg-alle="id" aria-label="Velg alle brev" />
                  </th>
                  <th scope="col">Sendt til print</th>
                  <th scope="col">Tittel</th>
                  <th scope="col">Mottaker</th>
                  <th scope="col">Avsender</th>
                  <th scope="col">Utskrift</th>
                  <th scope="col" class="tall">
                    Sider
                  </th>
                </tr>
              </thead>
              <tbody>
                {letters.map((s) => {
                  const p = s.input.printkonfigurasjon;
                  return (
                    <tr>
                      <td>
                        <input
                          type="checkbox"
                          name="id"
                          value={s.id}
                          id={`velg-${s.id}`}
                          aria-label={`Velg «${s.input.tittel}» til ${s.input.mottaker?.postAdresse?.navn ?? 'ukjent mottaker'}`}
                        />
                      </td>
                      <td class="tid">{tid(s.sendtPrintAt)}</td>
                      <td>
                        <a href={`${BASE}/forsendelser/${s.id}`}>{s.input.tittel}</a>
                      </td>
                      <td>{s.input.mottaker?.postAdresse?.navn ?? '–'}</td>
                      <td>{s.avsender}</td>
                      <td>
                        {isDuplex(s) ? 'Tosidig' : 'Ensidig'}, {p?.fargePrint ? 'farge' : 'svart-hvitt'},{' '}
                        {p?.brevtype === 'APOST' ? 'A-post' : 'B-post'}
                        {giroText(s)}
                      </td>
                      <td class="tall">{printFileOf(s)?.sider ?? '–'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div class="knapper">
            <button
              type="submit"
              formaction={`${BASE}/manuell-print/bunke.pdf`}
              class="sekundar"
              name="utskrift"
              value="ensidig"
              disabled={ensidige === 0}
            >
              Last ned ensidige brev (PDF)
            </button>
            <button
              type="submit"
              formaction={`${BASE}/manuell-print/bunke.pdf`}
              class="sekundar"
              name="utskrift"
              value="tosidig"
              disabled={tosidige === 0}
            >
              Last ned tosidige brev (PDF)
            </button>
            <button type="submit" id="bekreft-printet">
              Bekreft valgte som printet
            </button>
          </div>
        </form>
      )}
    </Layout>
  );
}

/** The letter's giro pages, as pages of its own print file (", giroark: side 3 og 4"); '' when none. */
function giroText(s: ForsendelseState): string {
  const sider = printGiroPages(s, printFileOf(s)?.sider ?? 0).giroarkSider;
  if (sider.length === 0) return '';
  const list = sider.length === 1 ? String(sider[0]) : `${sider.slice(0, -1).join(', ')} og ${String(sider.at(-1))}`;
  return `, giroark: side ${list} i brevet`;
}
