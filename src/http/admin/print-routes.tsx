/**
 * "Manuell print": the queue of letters waiting for manual print, a print-ready batch to
 * download (one file for one-sided and one for two-sided letters, since a printer runs a
 * batch one way), and the confirmation that turns the printed letters PRINTET.
 */
import type { Hono } from 'hono';
import { audit, BASE, currentUser, formOf, type AdminDeps, type AdminEnv } from './admin-context.js';
import { smallCount } from '../../app/admin/query-rules.js';
import { PrintPage } from './views/print-page.js';
import { osloDateTime, pad2 } from '../../domain/time/index.js';

/** Registers the queue page, the batch download and the confirmation. */
export function printRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  const now = deps.now ?? Date.now;

  app.get('/manuell-print', async (c) => {
    const { letters, total } = await deps.admin.printQueue(currentUser(c));
    const bekreftet = smallCount(c.req.query('bekreftet'));
    const feil = c.req.query('feil');
    return c.html(
      <PrintPage
        ctx={{ user: currentUser(c), csrf: c.get('csrf') }}
        letters={letters}
        total={total}
        melding={bekreftetMelding(bekreftet)}
        feil={feil === 'ingen-valgt' ? 'Velg minst ett brev i listen.' : undefined}
      />,
    );
  });

  app.post('/manuell-print/bunke.pdf', async (c) => {
    const form = formOf(c);
    const tosidig = form.get('utskrift') === 'tosidig';
    const chosen = new Set(form.all('id'));
    const made = await deps.admin.printBatch(currentUser(c), tosidig, chosen);
    if (made === undefined) return c.redirect(`${BASE}/manuell-print?feil=ingen-valgt`, 303);
    const { letters, batch } = made;
    await audit(c, deps, {
      handling: 'print.bunke-lastet-ned',
      detaljer: `${letters.length} ${tosidig ? 'tosidige' : 'ensidige'} brev, ${batch.pages} sider: ${letters.map((s) => s.id).join(', ')}`,
    });
    // The clerk's wall clock (Europe/Oslo), as every time the admin web shows.
    const t = osloDateTime(now());
    const stamp = `${t.year}-${pad2(t.month)}-${pad2(t.day)}-${pad2(t.hour)}-${pad2(t.minute)}`;
    return c.body(batch.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="manuell-print-${tosidig ? 'tosidig' : 'ensidig'}-${stamp}.pdf"`,
    });
  });

  app.post('/manuell-print/bekreft', async (c) => {
    const user = currentUser(c);
    const ids = new Set(formOf(c).all('id'));
    if (ids.size === 0) return c.redirect(`${BASE}/manuell-print?feil=ingen-valgt`, 303);
    // Only letters in this user's queue are confirmed: ids of other organisations are ignored.
    const done = await deps.admin.confirmPrinted(user, ids);
    for (const id of done) await audit(c, deps, { handling: 'print.bekreftet-printet', objekt: id });
    return c.redirect(`${BASE}/manuell-print?bekreftet=${done.length}`, 303);
  });
}

/** What a confirmation did; none when another clerk confirmed the chosen letters first. */
function bekreftetMelding(bekreftet: number | undefined): string | undefined {
  if (bekreftet === undefined) return undefined;
  if (bekreftet === 0) return 'Ingen brev ble bekreftet nå: de valgte var allerede bekreftet printet.';
  return `${bekreftet} brev er bekreftet printet og har fått status PRINTET.`;
}
