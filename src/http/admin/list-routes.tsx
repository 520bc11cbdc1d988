/**
 * Forsendelser: search by id, period, avsender, status, recipient (name, fødselsnummer or
 * orgnr in one field), title and eksternref; newest first; 25 a page. A user only ever
 * searches the avsendere it manages (the query carries them, so the store filters).
 */
import type { Hono } from 'hono';
import type { FieldProblem } from '../../domain/errors.js';
import { PAGE_SIZE, searchQuery, type SearchForm } from '../../app/admin/search-query.js';
import { currentUser, type AdminDeps, type AdminEnv } from './admin-context.js';
import { avsenderChoiceProblem, offsetWithin, pageOffset, searchText } from '../../app/admin/query-rules.js';
import { ForsendelserPage } from './views/list-page.js';

/** Registers GET /forsendelser. */
export function listRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  app.get('/forsendelser', async (c) => {
    const user = currentUser(c);
    const q = (name: string): string => c.req.query(name) ?? '';
    const now = (deps.now ?? Date.now)();
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
      // The first page's moment, carried by the pager's links (search-query.ts).
      innen: q('innen') || String(now),
      etter: q('etter'),
    };
    const problems: FieldProblem[] = [];
    const chosen = searchText(form.avsender, 'avsender', 'Avsender', problems);
    const scope = await deps.admin.scope(user, chosen);
    const avsendere = scope.managed;
    avsenderChoiceProblem(chosen, avsendere, problems);
    const query = searchQuery(form, scope.avsendere, problems, now);
    let page = problems.length > 0 ? { items: [], total: 0 } : await deps.admin.search(user, query);
    // The page's place in the list: `side` also where a cursor chose its rows.
    const offset = query.etter === undefined ? query.offset : pageOffset(form.offset, problems);
    if (problems.length === 0) {
      offsetWithin(offset, page.total, problems);
      if (problems.length > 0) page = { items: [], total: page.total };
    }
    return c.html(
      <ForsendelserPage
        ctx={{ user, csrf: c.get('csrf') }}
        form={form}
        avsendere={avsendere}
        problems={problems}
        page={page}
        offset={offset}
        limit={PAGE_SIZE}
      />,
      problems.length > 0 ? 400 : 200,
    );
  });
}
