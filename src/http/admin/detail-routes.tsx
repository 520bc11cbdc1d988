/**
 * One forsendelse: all metadata, the recipient, the channel and why, the full history,
 * downloads (originals, forsendelsesfil, print file) and two actions: close it as
 * MANUELT_HANDTERT with a reason, and resend the notification. Every download and action
 * is audited; a forsendelse of another organisation answers 404.
 */
import type { Hono } from 'hono';
import { messageFor } from '../../app/admin/query-rules.js';
import { blobResponse } from '../blob-download.js';
import { BudbringerError, ConflictError, NotFoundError } from '../../domain/errors.js';
import type { ForsendelseState } from '../../domain/forsendelse-state.js';
import { whyNoResend } from '../../domain/delivery-rules.js';
import type { BlobRef } from '../../domain/model.js';
import { plaintextSize } from '../../app/letter-files.js';
import {
  audit,
  BASE,
  currentUser,
  formOf,
  refuseCrossSiteDownload,
  type AdminContext,
  type AdminDeps,
  type AdminEnv,
} from './admin-context.js';
import { ForsendelseDetailPage } from './views/detail-page.js';
import { setDocumentHeaders } from '../security-headers.js';
import { documentIndex } from '../document-index.js';

/** Messages after an action (by code in the redirect, so no text travels in URLs). */
export const DETAIL_MELDINGER: Readonly<Record<string, string>> = {
  'manuelt-handtert': 'Forsendelsen er markert som manuelt håndtert.',
  varslet: 'Varselet er sendt på nytt.',
  sendt: 'Forsendelsen er mottatt og lagt i køen for behandling.',
};

/** The forsendelse `id` if the user may see it. */
export function visibleForsendelse(c: AdminContext, deps: AdminDeps, id: string): Promise<ForsendelseState> {
  return deps.admin.forsendelse(currentUser(c), id);
}

/** Streams a stored file as a download (never inline: an admin opening a sender's file must not render it here). */
async function download(
  c: AdminContext,
  deps: AdminDeps,
  blob: BlobRef,
  filename: string,
  mimetype: string,
): Promise<Response> {
  return blobResponse(
    c,
    () => deps.admin.openFile(blob, filename),
    (body) => {
      setDocumentHeaders(c, { filename, mimetype, inlinePdf: false });
      c.header('Content-Length', String(plaintextSize(blob)));
      return c.body(body);
    },
    { length: plaintextSize(blob) },
  );
}

/** Registers the detail page, its downloads and its actions. */
export function detailRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  const show = async (c: AdminContext, state: ForsendelseState, feil?: string, status = 200) =>
    c.html(
      <ForsendelseDetailPage
        ctx={{ user: currentUser(c), csrf: c.get('csrf') }}
        state={state}
        melding={messageFor(DETAIL_MELDINGER, c.req.query('ok'))}
        feil={feil}
        kanVarsleIgjen={deps.admin.canResendVarsel}
        stalled={(await deps.jobs?.stalledWork(state)) ?? []}
      />,
      status as 200,
    );

  app.get('/forsendelser/:id', async (c) => show(c, await visibleForsendelse(c, deps, c.req.param('id'))));

  app.get('/forsendelser/:id/dokumenter/:index', async (c) => {
    const state = await visibleForsendelse(c, deps, c.req.param('id'));
    const index = documentIndex(c.req.param('index'));
    const doc = index === undefined ? undefined : state.dokumenter[index];
    if (doc === undefined || state.dokumenterSlettetAt !== undefined) throw new NotFoundError('Dokumentet');
    deps.admin.assertMayOpen(state, 'dokument');
    refuseCrossSiteDownload(c);
    await audit(c, deps, { handling: 'forsendelse.dokument-lastet-ned', objekt: state.id, detaljer: doc.filnavn });
    return download(c, deps, doc.blob, doc.filnavn, doc.mimetype || 'application/octet-stream');
  });

  for (const kind of ['forsendelsesfil', 'printfil'] as const) {
    app.get(`/forsendelser/:id/${kind}`, async (c) => {
      const state = await visibleForsendelse(c, deps, c.req.param('id'));
      const fil = kind === 'printfil' ? state.printfil : state.forsendelsesfil;
      if (fil === undefined) throw new NotFoundError(kind === 'printfil' ? 'Printfilen' : 'Forsendelsesfilen');
      deps.admin.assertMayOpen(state, kind);
      refuseCrossSiteDownload(c);
      // Deleted means deleted for this letter, even if identical bytes live on for another one.
      if (state.dokumenterSlettetAt !== undefined)
        throw new BudbringerError('SLETTET', `Filen «${kind}-${state.id}.pdf» er slettet fra lageret.`, 410);
      await audit(c, deps, { handling: `forsendelse.${kind}-lastet-ned`, objekt: state.id });
      return download(c, deps, fil, `${kind}-${state.id}.pdf`, 'application/pdf');
    });
  }

  app.post('/forsendelser/:id/manuelt-handtert', async (c) => {
    const state = await visibleForsendelse(c, deps, c.req.param('id'));
    const grunn = (formOf(c).get('grunn') ?? '').trim();
    if (grunn === '') return show(c, state, 'Oppgi en begrunnelse for manuell håndtering i feltet «Begrunnelse».', 400);
    const user = currentUser(c);
    try {
      await deps.admin.markManueltHandtert(user, state.id, grunn);
    } catch (error) {
      if (error instanceof BudbringerError) return show(c, state, error.message, error.httpStatus);
      throw error;
    }
    await audit(c, deps, { handling: 'forsendelse.manuelt-handtert', objekt: state.id, detaljer: grunn });
    return c.redirect(`${BASE}/forsendelser/${state.id}?ok=manuelt-handtert`, 303);
  });

  app.post('/forsendelser/:id/varsle-pa-nytt', async (c) => {
    const state = await visibleForsendelse(c, deps, c.req.param('id'));
    if (!deps.admin.canResendVarsel)
      throw new ConflictError('Varsling på nytt er ikke tilgjengelig på denne installasjonen');
    const why = whyNoResend(state);
    if (why !== undefined) {
      return show(c, state, `${why}, så det er ikke noe varsel å sende på nytt.`, 409);
    }
    const beskrivelse = await deps.admin.resendVarsel(currentUser(c), state.id);
    await audit(c, deps, { handling: 'forsendelse.varslet-pa-nytt', objekt: state.id, detaljer: beskrivelse });
    return c.redirect(`${BASE}/forsendelser/${state.id}?ok=varslet`, 303);
  });
}
