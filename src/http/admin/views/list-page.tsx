/** The Forsendelser page: search form and result table. */
import type { FieldProblem } from '../../../domain/errors.js';
import { FORSENDELSE_STATUSES } from '../../../domain/model.js';
import type { SearchForm } from '../../../app/admin/search-query.js';
import type { ForsendelsePage } from '../../../storage/ports.js';
import { BASE } from '../admin-context.js';
import { ErrorSummary, Pager, Select, TextField } from './components.js';
import { KANAL_TEKST, maskertId, STATUS_TEKST, tid } from './format.js';
import { Layout, type PageCtx } from './layout.js';

/** The search form's fields as typed. */
export type { SearchForm } from '../../../app/admin/search-query.js';

/** The page. */
export function ForsendelserPage(props: {
  ctx: PageCtx;
  form: SearchForm;
  avsendere: readonly string[];
  problems: readonly FieldProblem[];
  page: ForsendelsePage;
  offset: number;
  limit: number;
}) {
  const { form, page } = props;
  const errors = new Map(props.problems.map((p) => [p.field, p.message]));
  const href = (offset: number): string => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) if (k !== 'offset' && k !== 'etter' && v !== '') params.set(k, v);
    if (offset > 0) params.set('side', String(offset));
    return `${BASE}/forsendelser?${params.toString()}`;
  };
  const searched = Object.entries(form).some(([k, v]) => k !== 'offset' && k !== 'innen' && k !== 'etter' && v !== '');
  // "Neste side" from the last row shown (search-query.ts, `etter`).
  const last = page.items.at(-1);
  const nextHref =
    last === undefined ? undefined : `${href(props.offset + props.limit)}&etter=${last.mottattAt}.${last.id}`;
  return (
    <Layout title="Forsendelser" ctx={props.ctx} active="forsendelser">
      <ErrorSummary problems={props.problems} fieldIdOf={(f) => f} />
      {/* Folded on a phone unless a search is active; the script opens it on a wide screen. */}
      <details class="filtre" data-apne-bred="" open={searched || props.problems.length > 0 ? true : undefined}>
        <summary>Søk og filtre</summary>
        <form
          method="get"
          action={`${BASE}/forsendelser`}
          class="sokeskjema"
          role="search"
          aria-label="Søk i forsendelser"
        >
          <div class="rad">
            <TextField id="tittel" label="Tittel" value={form.tittel} errors={errors} />
            <TextField
              id="mottaker"
              label="Mottaker"
              hint="Navn, fødselsnummer eller organisasjonsnummer"
              value={form.mottaker}
              errors={errors}
            />
            <TextField
              id="eksternref"
              label="Ekstern referanse"
              hint="Hele referansen, nøyaktig slik den ble sendt"
              value={form.eksternref}
              errors={errors}
            />
          </div>
          <div class="rad">
            <TextField id="fra" label="Mottatt fra og med" type="date" value={form.fra} errors={errors} />
            <TextField id="til" label="Mottatt til og med" type="date" value={form.til} errors={errors} />
            <Select
              id="avsender"
              label="Avsender"
              value={form.avsender}
              options={[
                { value: '', label: 'Alle mine avsendere' },
                ...props.avsendere.map((a) => ({ value: a, label: a })),
              ]}
            />
            <Select
              id="status"
              label="Status"
              value={form.status}
              options={[
                { value: '', label: 'Alle statuser' },
                ...FORSENDELSE_STATUSES.map((s) => ({ value: s, label: STATUS_TEKST[s] })),
              ]}
            />
          </div>
          <div class="rad">
            <TextField
              id="id"
              label="Forsendelses-id"
              value={form.id}
              errors={errors}
              hint="Hele id-en, f.eks. fra fagsystemet"
            />
          </div>
          <div class="knapper">
            <button type="submit">Søk</button>
            {searched && (
              <a class="knapp sekundar" href={`${BASE}/forsendelser`}>
                Nullstill søket
              </a>
            )}
          </div>
        </form>
      </details>
      <p role="status" id="treff">
        {page.total === 0
          ? 'Ingen forsendelser funnet.'
          : `${page.total} forsendelse${page.total === 1 ? '' : 'r'} funnet, nyeste først.`}
      </p>
      {page.items.length > 0 && (
        <div class="tabell">
          <table>
            <caption class="visuelt-skjult">Forsendelser, nyeste først</caption>
            <thead>
              <tr>
                <th scope="col">Mottatt</th>
                <th scope="col">Tittel</th>
                <th scope="col">Mottaker</th>
                <th scope="col">Avsender</th>
                <th scope="col">Status</th>
                <th scope="col">Kanal</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((r) => (
                <tr>
                  <td class="tid">{tid(r.mottattAt)}</td>
                  <td>
                    <a href={`${BASE}/forsendelser/${r.id}`}>{r.tittel}</a>
                    {r.eksternref !== undefined && <div class="hint">Ref.: {r.eksternref}</div>}
                  </td>
                  <td>
                    {r.mottakerNavn ?? '–'}
                    {r.mottakerId !== undefined && <div class="hint">{maskertId(r.mottakerId)}</div>}
                  </td>
                  <td>{r.avsender}</td>
                  <td>
                    <span class="status">{STATUS_TEKST[r.status]}</span>
                  </td>
                  <td>{r.kanal === undefined ? 'Ikke valgt ennå' : KANAL_TEKST[r.kanal].split(' (')[0]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager total={page.total} limit={props.limit} offset={props.offset} href={href} nextHref={nextHref} />
    </Layout>
  );
}
