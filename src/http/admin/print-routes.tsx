/**
 * "Manuell print": the queue of letters waiting for manual print, a print-ready batch to
 * download (one file for one-sided and one for two-sided letters, since a printer runs a
 * batch one way), and the confirmation that turns the printed letters PRINTET.
 */
import type { Hono } from 'hono';
import { BudbringerError } from '../../domain/errors.js';
import { avsenderScope, managedAvsendere, requireManager } from './access.js';
import { audit, BASE, currentUser, formOf, type AdminContext, type AdminDeps, type AdminEnv } from './admin-context.js';
import { DEFAULT_COST_MODEL } from '../../app/admin/cost-model.js';
import { smallCount } from '../../app/admin/query-rules.js';
import { buildBatch, isDuplex, manualKvittering, manualPrintQueue, MAX_BATCH } from './manual-print.js';
import { PrintPage } from './views/print-page.js';

/** Registers the queue page, the batch download and the confirmation. */
export function printRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  const now = deps.now ?? Date.now;
  const queue = async (c: AdminContext) => {
    const user = currentUser(c);
    requireManager(user);
    const managed = (await managedAvsendere(user, deps.config)).map((a) => a.navn);
    return manualPrintQueue(deps.readModel, avsenderScope(user, managed, ''));
  };

  app.get('/manuell-print', async (c) => {
    const letters = await queue(c);
    const bekreftet = smallCount(c.req.query('bekreftet'));
    const feil = c.req.query('feil');
    return c.html(
      <PrintPage
        ctx={{ user: currentUser(c), csrf: c.get('csrf') }}
        letters={letters}
        melding={bekreftet !== undefined ? `${bekreftet} brev er bekreftet printet og har fått status PRINTET.` : undefined}
        feil={feil === 'ingen-valgt' ? 'Velg minst ett brev i listen.' : undefined}
      />,
    );
  });

  app.post('/manuell-print/bunke.pdf', async (c) => {
    const form = formOf(c);
    const tosidig = form.get('utskrift') === 'tosidig';
    const chosen = new Set(form.all('id'));
    const letters = (await queue(c)).filter((s) => isDuplex(s) === tosidig && (chosen.size === 0 || chosen.has(s.id))).slice(0, MAX_BATCH);
    if (letters.length === 0) return c.redirect(`${BASE}/manuell-print?feil=ingen-valgt`, 303);
    const batch = await buildBatch(letters, deps.blobs);
    await audit(c, deps, {
      handling: 'print.bunke-lastet-ned',
      detaljer: `${letters.length} ${tosidig ? 'tosidige' : 'ensidige'} brev, ${batch.pages} sider: ${letters.map((s) => s.id).join(', ')}`,
    });
    const stamp = new Date(now()).toISOString().slice(0, 16).replace(/[:T]/g, '-');
    return c.body(batch.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="manuell-print-${tosidig ? 'tosidig' : 'ensidig'}-${stamp}.pdf"`,
    });
  });

  app.post('/manuell-print/bekreft', async (c) => {
    const user = currentUser(c);
    const ids = new Set(formOf(c).all('id'));
    if (ids.size === 0) return c.redirect(`${BASE}/manuell-print?feil=ingen-valgt`, 303);
    // Only letters in this user's queue can be confirmed: ids of other organisations are ignored.
    const letters = (await queue(c)).filter((s) => ids.has(s.id));
    let done = 0;
    for (const s of letters) {
      const t = now();
      try {
        await deps.actors.execute(s.id, { type: 'RegistrerPrintkvittering', at: t, kvittering: manualKvittering(s, t, DEFAULT_COST_MODEL), av: user.brukernavn, leverandor: 'manual' });
      } catch (error) {
        if (error instanceof BudbringerError) continue; // printed meanwhile by someone else
        throw error;
      }
      done += 1;
      await audit(c, deps, { handling: 'print.bekreftet-printet', objekt: s.id });
    }
    return c.redirect(`${BASE}/manuell-print?bekreftet=${done}`, 303);
  });
}
