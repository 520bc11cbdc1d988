/**
 * Forsendelser: search by id, period, avsender, status, recipient (name, fødselsnummer or
 * orgnr in one field), title and eksternref; newest first; 25 a page. A user only ever
 * searches the avsendere it manages (the query carries them, so the store filters).
 */
import type { Hono } from 'hono';
import type { FieldProblem } from '../../domain/errors.js';
import { FORSENDELSE_STATUSES, type ForsendelseStatus } from '../../domain/model.js';
import type { ForsendelseQuery } from '../../storage/ports.js';
import { avsenderScope, managedAvsendere, requireManager } from './access.js';
import { currentUser, type AdminDeps, type AdminEnv } from './admin-context.js';
import { parseDateField, periodBounds } from './period.js';
import { ForsendelserPage, type SearchForm } from './views/list-page.js';

/** Rows per page. */
export const PAGE_SIZE = 25;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The query for a search form; problems name the fields that could not be read. */
export function searchQuery(form: SearchForm, scope: readonly string[] | undefined, problems: FieldProblem[]): ForsendelseQuery {
  const id = form.id.trim().toLowerCase();
  if (id !== '' && !UUID.test(id)) problems.push({ field: 'id', message: 'Ugyldig forsendelses-id: må være en UUID (36 tegn med bindestreker)' });
  const fra = parseDateField(form.fra, 'fra', 'Mottatt fra og med', problems);
  const til = parseDateField(form.til, 'til', 'Mottatt til og med', problems);
  const mottaker = form.mottaker.trim();
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
    tittel: form.tittel.trim() === '' ? undefined : form.tittel.trim(),
    eksternref: form.eksternref.trim() === '' ? undefined : form.eksternref.trim(),
    limit: PAGE_SIZE,
    offset: Math.max(0, Math.trunc(Number(form.offset) || 0)),
  };
}

/** Registers GET /forsendelser. */
export function listRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  app.get('/forsendelser', async (c) => {
    const user = currentUser(c);
    requireManager(user);
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
    const avsendere = (await managedAvsendere(user, deps.config)).map((a) => a.navn);
    const problems: FieldProblem[] = [];
    const query = searchQuery(form, avsenderScope(user, avsendere, form.avsender), problems);
    const page = problems.length > 0 || query.avsendere?.length === 0 ? { items: [], total: 0 } : await deps.readModel.search(query);
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
    );
  });
}
