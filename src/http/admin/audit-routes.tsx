/** "Revisjonslogg": the audit log of admin actions, for admins only, newest first, filterable by user and object. */
import type { Hono } from 'hono';
import { BadRequestError, type FieldProblem } from '../../domain/errors.js';
import { offsetWithin, pageOffset, searchText } from '../../app/admin/query-rules.js';
import { requireAdmin } from '../../app/admin/access.js';
import { currentUser, type AdminDeps, type AdminEnv } from './admin-context.js';
import { AuditPage } from './views/audit-page.js';

/** Entries per page. */
const PAGE = 50;

/** Registers GET /revisjonslogg. */
export function auditRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  app.get('/revisjonslogg', async (c) => {
    const user = currentUser(c);
    requireAdmin(user);
    const problems: FieldProblem[] = [];
    const bruker = searchText(c.req.query('bruker'), 'bruker', 'Bruker', problems);
    const objekt = searchText(c.req.query('objekt'), 'objekt', 'Objekt', problems);
    const offset = pageOffset(c.req.query('side'), problems);
    // The log page shows no field errors of its own: a bad parameter answers the error page (400).
    const refuse = (): never => {
      throw new BadRequestError(problems.map((p) => p.message).join('; '));
    };
    if (problems.length > 0) refuse();
    const page = await deps.admin.auditLog(user, {
      bruker: bruker || undefined,
      objekt: objekt || undefined,
      limit: PAGE,
      offset,
    });
    offsetWithin(offset, page.total, problems);
    if (problems.length > 0) refuse();
    return c.html(
      <AuditPage
        ctx={{ user, csrf: c.get('csrf') }}
        bruker={bruker}
        objekt={objekt}
        page={page}
        offset={offset}
        limit={PAGE}
      />,
    );
  });
}
