/**
 * "Jobber": failed and waiting jobs of the queue (the embedded SQLite queue or BullMQ), with
 * their error and letter; admins retry or discard a failed job. Every change is audited.
 */
import type { Hono } from 'hono';
import { messageFor } from '../../app/admin/query-rules.js';
import { NotFoundError } from '../../domain/errors.js';
import { audit, BASE, currentUser, formOf, type AdminDeps, type AdminEnv } from './admin-context.js';
import { JobsPage } from './views/jobs-page.js';

/** The confirmations after an action (`?ok=`). */
export const JOB_MELDINGER: Readonly<Record<string, string>> = {
  'prov-igjen': 'Jobben er lagt tilbake i køen og kjøres straks.',
  forkastet: 'Jobben er forkastet. Forsendelsen beholder sin status; håndter den manuelt om nødvendig.',
  borte: 'Jobben var ikke lenger feilet (en annen kan ha håndtert den). Listen er oppdatert.',
  'prov-alle-igjen': 'De feilede jobbene er lagt tilbake i køen og kjøres straks.',
  'ingen-feilet': 'Ingen jobber var feilet. Listen er oppdatert.',
};

/** Registers GET /jobber and the two actions. */
export function jobRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  const jobs = deps.jobs;
  app.get('/jobber', async (c) => {
    if (jobs === undefined) throw new NotFoundError('Jobbkøen');
    const user = currentUser(c);
    const overview = await jobs.overview(user);
    return c.html(
      <JobsPage
        ctx={{ user, csrf: c.get('csrf') }}
        overview={overview}
        melding={messageFor(JOB_MELDINGER, c.req.query('ok'))}
      />,
    );
  });

  app.post('/jobber/prov-alle-igjen', async (c) => {
    if (jobs === undefined) throw new NotFoundError('Jobbkøen');
    const antall = await jobs.retryAll(currentUser(c));
    if (antall > 0) await audit(c, deps, { handling: 'jobb.prov-alle-igjen', objekt: `${antall} jobber` });
    return c.redirect(`${BASE}/jobber?ok=${antall > 0 ? 'prov-alle-igjen' : 'ingen-feilet'}#melding`, 303);
  });

  for (const [action, handling] of [
    ['prov-igjen', 'jobb.prov-igjen'],
    ['forkast', 'jobb.forkastet'],
  ] as const) {
    app.post(`/jobber/${action}`, async (c) => {
      if (jobs === undefined) throw new NotFoundError('Jobbkøen');
      const user = currentUser(c);
      const id = formOf(c).get('id');
      const done = action === 'prov-igjen' ? await jobs.retry(user, id) : await jobs.discard(user, id);
      if (done) await audit(c, deps, { handling, objekt: id });
      const ok = !done ? 'borte' : action === 'prov-igjen' ? 'prov-igjen' : 'forkastet';
      return c.redirect(`${BASE}/jobber?ok=${ok}#melding`, 303);
    });
  }
}
