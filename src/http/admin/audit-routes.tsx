/** "Revisjonslogg": the audit log of admin actions, for admins only, newest first, filterable by user and object. */
import type { Hono } from 'hono';
import { requireAdmin } from './access.js';
import { currentUser, type AdminDeps, type AdminEnv } from './admin-context.js';
import { AuditPage } from './views/audit-page.js';

/** Entries per page. */
const PAGE = 50;

/** Registers GET /revisjonslogg. */
export function auditRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  app.get('/revisjonslogg', async (c) => {
    const user = currentUser(c);
    requireAdmin(user);
    const bruker = (c.req.query('bruker') ?? '').trim();
    const objekt = (c.req.query('objekt') ?? '').trim();
    const offset = Math.max(0, Math.trunc(Number(c.req.query('side') ?? '0') || 0));
    const page = await deps.audit.list({ bruker: bruker || undefined, objekt: objekt || undefined, limit: PAGE, offset });
    return c.html(<AuditPage ctx={{ user, csrf: c.get('csrf') }} bruker={bruker} objekt={objekt} page={page} offset={offset} limit={PAGE} />);
  });
}
