/**
 * Forsendelser: search by id, period, avsender, status, recipient (name, fødselsnummer or
 * orgnr in one field), title and eksternref; newest first; 25 a page. A user only ever
 * searches the avsendere it manages (the query carries them, so the store filters).
 */
import type { Hono } from 'hono';
import type { FieldProblem } from '../../domain/errors.js';
import { FORSENDELSE_STATUSES, type ForsendelseStatus } from '../../domain/model.js';
import type { ForsendelseQuery } from '../../storage/ports.js';
import { currentUser, type AdminDeps, type AdminEnv } from './admin-context.js';
import { checkPeriod, parseDateField, periodBounds } from '../../app/admin/period.js';
import { offsetWithin, pageOffset, searchText } from '../../app/admin/query-rules.js';
import { ForsendelserPage, type SearchForm } from './views/list-page.js';

/** Rows per page. */
export const PAGE_SIZE = 25;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Longest period a search may span. */
export const MAX_SEARCH_YEARS = 10;

/** The query for a search form; problems name the fields that could not be read. */
export function searchQuery(form: SearchForm, scope: readonly string[] | undefined, problems: FieldProblem[], now: number): ForsendelseQuery {
  const id = form.id.trim().toLowerCase();
  if (id !== '' && !UUID.test(id)) problems.push({ field: 'id', message: 'Ugyldig forsendelses-id: må være en UUID (36 tegn med bindestreker)' });
  const fra = parseDateField(form.fra, 'fra', 'Mottatt fra og med', problems, now);
  const til = parseDateField(form.til, 'til', 'Mottatt til og med', problems, now);
  checkPeriod(fra, til, MAX_SEARCH_YEARS, { fra: 'Mottatt fra og med', til: 'Mottatt til og med' }, problems);
  if (form.status !== '' && !(FORSENDELSE_STATUSES as readonly string[]).includes(form.status)) {
    problems.push({ field: 'status', message: `Ukjent status: velg en av ${FORSENDELSE_STATUSES.join(', ')}` });
  }
  const mottaker = searchText(form.mottaker, 'mottaker', 'Mottaker', problems);
  const tittel = searchText(form.tittel, 'tittel', 'Tittel', problems);
  const eksternref = searchText(form.eksternref, 'eksternref', 'Ekstern referanse', problems);
  const digits = mottaker.replace(/\s+/g, '');
  // One field for the recipient: 11 digits is a fødselsnummer, 9 an orgnr, anything else a name.
  const mottakerId = /^(\d{11}|\d{9})$/.test(digits) ? digits : undefined;
  return {
    id: id === '' ? undefined : id,
    avsendere: scope,
    status: form.status !== '' && (FORSENDELSE_STATUSES as readonly string[]).includes(form.status) ? [form.status as ForsendelseStatus] : undefined,
    ...periodBounds(fra, til),
    mottakerId,
    mottakerNavn: mottakerId === undefined && mottaker !== '' ? mottaker : undefined,
    tittel: tittel === '' ? undefined : tittel,
    eksternref: eksternref === '' ? undefined : eksternref,
    limit: PAGE_SIZE,
    offset: pageOffset(form.offset, problems),
  };
}

/** Registers GET /forsendelser. */
export function listRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  app.get('/forsendelser', async (c) => {
    const user = currentUser(c);
    const q = (name: string): string => c.req.query(name) ?? '';
    const form: SearchForm = {
      id: q('id'),
      fra: q('fra'),
      til: q('til'),
      avsender: q('avsender'),
      status: q('status'),
      mottaker: q('mottaker'),
      tittel: q('tittel'),
      eksternref: q('eksternref'),
      offset: q('side'),
    };
    const problems: FieldProblem[] = [];
    const chosen = searchText(form.avsender, 'avsender', 'Avsender', problems);
    const scope = await deps.admin.scope(user, chosen);
    const avsendere = scope.managed;
    const query = searchQuery(form, scope.avsendere, problems, (deps.now ?? Date.now)());
    let page = problems.length > 0 ? { items: [], total: 0 } : await deps.admin.search(user, query);
    if (problems.length === 0) {
      offsetWithin(query.offset, page.total, problems);
      if (problems.length > 0) page = { items: [], total: page.total };
    }
    return c.html(
      <ForsendelserPage
        ctx={{ user, csrf: c.get('csrf') }}
        form={form}
        avsendere={avsendere}
        problems={problems}
        page={page}
        offset={query.offset}
        limit={PAGE_SIZE}
      />,
      problems.length > 0 ? 400 : 200,
    );
  });
}
