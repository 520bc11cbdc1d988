/** The statistics page: period and cost model form, key figures, charts, tables. */
import type { FieldProblem } from '../../../domain/errors.js';
import { BASE } from '../admin-context.js';
import type { CostModel } from '../../../app/admin/cost-model.js';
import { LESETID_GRUPPER, type Statistics } from '../../../app/admin/statistics.js';
import { FARGER, HorizontalBarChart, StackedBarChart } from './charts.js';
import { ErrorSummary, Select, TextField } from './components.js';
import { antall, desimal, kroner, prosent, varighet } from './format.js';
import { Layout, type PageCtx } from './layout.js';

/** The form's fields as typed. */
export interface StatsForm {
  readonly fra: string;
  readonly til: string;
  readonly avsender: string;
  readonly porto: string;
  readonly produksjon: string;
  readonly minUten: string;
  readonly minManuell: string;
  readonly timekost: string;
}

/** The page. */
export function StatsPage(props: {
  ctx: PageCtx;
  form: StatsForm;
  model: CostModel;
  avsendere: readonly string[];
  problems: readonly FieldProblem[];
  stats: Statistics;
  csvQuery: string;
}) {
  const { form, stats, model } = props;
  const t = stats.total;
  const errors = new Map(props.problems.map((p) => [p.field, p.message]));
  const printTotal = stats.print.portoOre + stats.print.produksjonOre;
  const timeOre = (min: number): number => (min / 60) * model.timekostnadOre;
  return (
    <Layout title="Statistikk" ctx={props.ctx} active="statistikk">
      <ErrorSummary problems={props.problems} fieldIdOf={(f) => f} />
      <form method="get" action={`${BASE}/statistikk`} class="sokeskjema">
        <div class="rad">
          <TextField id="fra" label="Fra og med" type="date" value={form.fra} errors={errors} />
          <TextField id="til" label="Til og med" type="date" value={form.til} errors={errors} />
          <Select
            id="avsender"
            label="Avsender"
            value={form.avsender}
            options={[
              { value: '', label: 'Alle mine avsendere' },
              ...props.avsendere.map((a) => ({ value: a, label: a })),
            ]}
          />
        </div>
        <fieldset>
          <legend>Kostnadsmodell (eksempeltall – bytt til egne)</legend>
          <div class="rad">
            <TextField id="porto" label="Porto per brev (kr)" value={form.porto} errors={errors} inputmode="decimal" />
            <TextField
              id="produksjon"
              label="Papir, toner og konvolutt per brev (kr)"
              value={form.produksjon}
              errors={errors}
              inputmode="decimal"
            />
            <TextField
              id="timekost"
              label="Timekostnad (kr)"
              value={form.timekost}
              errors={errors}
              inputmode="decimal"
            />
          </div>
          <div class="rad">
            <TextField
              id="minUten"
              label="Håndteringstid per papirbrev uten tjenesten (min)"
              value={form.minUten}
              errors={errors}
              inputmode="decimal"
            />
            <TextField
              id="minManuell"
              label="Håndteringstid per manuelt printet brev (min)"
              value={form.minManuell}
              errors={errors}
              inputmode="decimal"
            />
          </div>
        </fieldset>
        <div class="knapper">
          <button type="submit">Vis statistikk</button>
          <a class="knapp sekundar" href={`${BASE}/statistikk.csv${props.csvQuery}`} download>
            Last ned som CSV
          </a>
        </div>
      </form>

      <h2>Nøkkeltall</h2>
      <ul class="nokkeltall">
        <li>
          <strong>{antall(t.antall)}</strong> forsendelser mottatt
        </li>
        <li>
          <strong>{antall(t.digitalt)}</strong> levert digitalt ({prosent(t.digitalt, t.antall)})
        </li>
        <li>
          <strong>{antall(t.papir)}</strong> sendt på papir ({prosent(t.papir, t.antall)})
        </li>
        <li>
          <strong>{prosent(t.lest, t.varslet)}</strong> lesegrad ({antall(t.lest)} av {antall(t.varslet)} varslede)
        </li>
        <li>
          <strong>{varighet(stats.lesetider.medianMs)}</strong> median tid fra varsel til lest
        </li>
        <li>
          <strong>{kroner(printTotal)}</strong> printkostnad fra kvitteringer
        </li>
        <li>
          <strong>{kroner(stats.besparelse.spartOre)}</strong> beregnet besparelse
        </li>
      </ul>

      <h2>Forsendelser per {stats.inndeling === 'dag' ? 'dag' : 'måned'}</h2>
      <StackedBarChart
        id="diagram-levering"
        title={`Forsendelser per ${stats.inndeling === 'dag' ? 'dag' : 'måned'} etter leveringsmåte`}
        description={`${t.antall} forsendelser: ${t.digitalt} digitalt, ${t.papir} på papir, ${t.annet} annet (avvist, ikke levert eller under behandling).`}
        labels={stats.perPeriode.map((p) => p.label)}
        series={[
          { name: 'Digitalt', colour: FARGER.digitalt, values: stats.perPeriode.map((p) => p.counts.digitalt) },
          { name: 'Papir', colour: FARGER.papir, values: stats.perPeriode.map((p) => p.counts.papir) },
          { name: 'Annet', colour: FARGER.annet, values: stats.perPeriode.map((p) => p.counts.annet) },
        ]}
      />

      <h2>Tid fra varsel til lest</h2>
      <p>
        Median {varighet(stats.lesetider.medianMs)}, gjennomsnitt {varighet(stats.lesetider.snittMs)}.
      </p>
      <HorizontalBarChart
        id="diagram-lesetid"
        title="Antall leste brev etter tid fra varsel til lest"
        description={LESETID_GRUPPER.map((g, i) => `${g.label}: ${stats.lesetider.fordeling[i] ?? 0}`).join(', ')}
        rows={LESETID_GRUPPER.map((g, i) => ({ label: g.label, value: stats.lesetider.fordeling[i] ?? 0 }))}
        colour={FARGER.digitalt}
      />

      <h2>Per avsender</h2>
      <div class="tabell">
        <table>
          <thead>
            <tr>
              <th scope="col">Avsender</th>
              <th scope="col" class="tall">
                Mottatt
              </th>
              <th scope="col" class="tall">
                Digitalt
              </th>
              <th scope="col" class="tall">
                Papir
              </th>
              <th scope="col" class="tall">
                Annet
              </th>
              <th scope="col" class="tall">
                Lesegrad
              </th>
              <th scope="col" class="tall">
                Printkostnad
              </th>
            </tr>
          </thead>
          <tbody>
            {[...stats.perAvsender].map(([navn, c]) => (
              <tr>
                <th scope="row">{navn}</th>
                <td class="tall">{antall(c.antall)}</td>
                <td class="tall">{antall(c.digitalt)}</td>
                <td class="tall">{antall(c.papir)}</td>
                <td class="tall">{antall(c.annet)}</td>
                <td class="tall">{prosent(c.lest, c.varslet)}</td>
                <td class="tall">{kroner(c.printkostnadOre)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Printkostnader</h2>
      <p>
        Fra {antall(stats.print.kvitteringer)} printkvitteringer: {antall(stats.print.sider)} sider,{' '}
        {antall(stats.print.ark)} ark, {antall(stats.print.konvolutter)} konvolutter. Porto{' '}
        {kroner(stats.print.portoOre)}, produksjon {kroner(stats.print.produksjonOre)}, til sammen {kroner(printTotal)}.
        {stats.print.utenKvittering > 0 &&
          ` ${antall(stats.print.utenKvittering)} brev er sendt til print, men har ikke kvittering ennå.`}
      </p>
      {stats.perKonteringskode.size > 0 && (
        <div class="tabell">
          <table>
            <caption>Per konteringskode</caption>
            <thead>
              <tr>
                <th scope="col">Konteringskode</th>
                <th scope="col" class="tall">
                  Brev
                </th>
                <th scope="col" class="tall">
                  Kostnad
                </th>
              </tr>
            </thead>
            <tbody>
              {[...stats.perKonteringskode].map(([kode, v]) => (
                <tr>
                  <th scope="row">{kode}</th>
                  <td class="tall">{antall(v.antall)}</td>
                  <td class="tall">{kroner(v.kostnadOre)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Besparelse</h2>
      <div class="tabell">
        <table>
          <caption class="visuelt-skjult">Beregning av besparelse</caption>
          <tbody>
            <tr>
              <th scope="row">Uten tjenesten</th>
              <td>
                {antall(stats.besparelse.brev)} brev × ({kroner(model.portoOre)} porto + {kroner(model.produksjonOre)}{' '}
                produksjon + {desimal(model.minutterUtenTjenesten)} min × {kroner(model.timekostnadOre)}/t ={' '}
                {kroner(Math.round(timeOre(model.minutterUtenTjenesten)))})
              </td>
              <td class="tall">{kroner(stats.besparelse.utenTjenestenOre)}</td>
            </tr>
            <tr>
              <th scope="row">Med tjenesten</th>
              <td>
                Printkvitteringer {kroner(printTotal)}
                {stats.print.utenKvittering > 0 &&
                  ` + ${antall(stats.print.utenKvittering)} brev uten kvittering anslått etter modellen`}
                {stats.print.manuelle > 0 &&
                  ` + ${antall(stats.print.manuelle)} manuelt printede brev × ${desimal(model.minutterManuellPrint)} min`}
                ; digitale brev koster ingen porto.
              </td>
              <td class="tall">{kroner(stats.besparelse.medTjenestenOre)}</td>
            </tr>
            <tr>
              <th scope="row">Besparelse</th>
              <td>Uten tjenesten minus med tjenesten</td>
              <td class="tall">
                <strong>{kroner(stats.besparelse.spartOre)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
