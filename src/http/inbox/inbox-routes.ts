/**
 * The recipients' digital inbox (docs/architecture.md steps 6–7): a notification's link opens a page
 * with sender, title, date and documents. Downloading the whole forsendelsesfil marks the
 * letter LEST. Range requests are served. Letters with krevNiva4Innlogging ask for a
 * one-time code sent by SMS first. An expired link or purged letter gets a clear 410 page.
 */
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { plaintextSize } from '../../app/letter-files.js';
import { inForsendelsesfil } from '../../domain/delivery-rules.js';
import { BudbringerError, NotFoundError } from '../../domain/errors.js';
import type { ForsendelseState } from '../../domain/forsendelse-state.js';
import { formatOsloTimestamp } from '../../domain/time/index.js';
import { blobResponse } from '../blob-download.js';
import { applySecurityHeaders, setDocumentHeaders } from '../security-headers.js';
import { codeRoutes, newCodeForm } from './inbox-code-routes.js';
import type { InboxDeps } from './inbox-deps.js';
import { chosenSprak, gone, INBOX_CSP, languageNav, page, withSprak } from './inbox-page.js';
import { INBOX_PAGE_TEXTS } from './inbox-page-texts.js';
import { INBOX_TEXTS, sprakOf, type InboxTexts, type Sprak } from './inbox-texts.js';
import { letterExtras } from './letter-extras.js';
import { parseRange } from './range.js';
import { documentIndex } from '../document-index.js';
import { allowHeader, answerOptions, methodsOfKnownPath } from '../method-not-allowed.js';

/**
 * What opening the letter means for the recipient. A document the PDF does not hold (not a
 * PDF) is read only when downloaded by itself, so those not yet downloaded are named: until a
 * review on 7 December 2026 the page said the PDF alone was enough, and such a letter was
 * reminded and printed after the recipient had downloaded it.
 */
function readHint(state: ForsendelseState, t: InboxTexts = INBOX_TEXTS.nb): string {
  if (state.lestAt !== undefined) return t.apnet(state.lestAt);
  if (state.status === 'SENDT_PRINT' || state.status === 'PRINTET') return t.ogsaPapir;
  const downloaded = new Set(state.nedlastet ?? []);
  const inPdf = state.dokumenter.map((d) => inForsendelsesfil(state, d));
  const utenfor = state.dokumenter.flatMap((d, i) => (inPdf[i] === true || downloaded.has(i) ? [] : [d.filnavn]));
  const medBrevet = inPdf.includes(true);
  if (state.input.kunDigitalLevering) return t.lestNar(utenfor, medBrevet);
  return t.lestOgIkkePapir(utenfor, medBrevet);
}

/** The inbox app, mounted at `/innboks`. */
export function createInboxApp(deps: InboxDeps): Hono {
  const app = new Hono();
  const COOKIE = 'bb_niva4';
  // The link's token is in every URL here: no Referer may carry it to another site. A page
  // names the recipient's letter (and the code form carries its own id): no copy is kept on
  // disk or by a shared cache, unless a handler said otherwise (the sender's logo).
  app.use('*', async (c, next) => {
    await next();
    applySecurityHeaders(c.res, { pageCsp: INBOX_CSP, referrerPolicy: 'no-referrer', frameOptions: 'DENY' });
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'private, no-store');
  });
  // A link with a slash after it (a mail client, an SMS app or a copy added it): the same
  // address without, so the recipient gets the letter, not a "not found".
  app.use('*', async (c, next) => {
    // The path as it came, still encoded: c.req.path is decoded, and a decoded byte outside
    // ASCII does not belong in a Location header.
    const url = new URL(c.req.url);
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && /^\/innboks\/.+\/$/.test(url.pathname)) {
      return c.redirect(`${url.pathname.replace(/\/+$/, '')}${url.search}`, 301);
    }
    await next();
  });
  // What no handler answered is a page too, logged as JSON like every other door's failures.
  app.onError((error, c) => {
    const status = error instanceof BudbringerError ? error.httpStatus : 500;
    if (status >= 500) deps.log.error({ err: error, path: c.req.path }, 'inbox request failed');
    const lang = chosenSprak(c) ?? 'nb';
    const p = INBOX_PAGE_TEXTS[lang];
    return page(c, status, p.noeGikkGalt, html`<p>${status >= 500 ? p.provIgjenSenere : error.message}</p>`, lang);
  });
  /** The recipient's language for `state`'s pages: the one chosen (`?sprak=`), else the sender's. */
  const sprakFor = async (c: Context, state: ForsendelseState): Promise<Sprak> =>
    chosenSprak(c) ?? (await deps.inbox.avsenderProfil(state.avsender)).sprak;

  /**
   * The letter behind a token, or a Response explaining why not: in the chosen language,
   * else, for an expired or deleted letter, its sender's, else bokmål.
   */
  const open = async (c: Context, token: string): Promise<ForsendelseState | Response> => {
    const opened = await deps.inbox.open(token);
    const avsender = opened.kind === 'utlopt' || opened.kind === 'slettet' ? opened.avsender : undefined;
    const lang = chosenSprak(c) ?? (avsender === undefined ? 'nb' : (await deps.inbox.avsenderProfil(avsender)).sprak);
    const p = INBOX_PAGE_TEXTS[lang];
    switch (opened.kind) {
      case 'brev':
        return opened.state;
      case 'utlopt':
        return gone(c, lang, p.lenkeUtlopt);
      case 'slettet':
        return gone(c, lang, p.slettet(opened.slettetAt, opened.grunn));
      case 'ugyldig':
        if (opened.grunn === 'lenke') return page(c, 404, p.ugyldigLenke, html`<p>${p.lenkeUgyldigSjekk}</p>`, lang);
        if (opened.grunn === 'ukjent-brev') return page(c, 404, p.ugyldigLenke, html`<p>${p.fantIkkeBrevet}</p>`, lang);
        return page(c, 404, p.ugyldigLenke, html`<p>${p.lenkeUgyldig}</p>`, lang);
    }
  };
  const verified = (c: Context, token: string, state: ForsendelseState): boolean =>
    deps.inbox.isVerified(state, token, getCookie(c, COOKIE));

  app.get('/:token', async (c) => {
    const token = c.req.param('token');
    const state = await open(c, token);
    if (state instanceof Response) return state;
    if (!verified(c, token, state)) {
      const lang = await sprakFor(c, state);
      const p = INBOX_PAGE_TEXTS[lang];
      return page(
        c,
        200,
        p.bekreftDeg,
        html`${languageNav(lang)}
          ${c.req.query('kode') === 'sendt' ? html`<p class="melding" role="status">${p.kodeSendt}</p>` : ''}
          <p>${p.sikkerPalogging}</p>
          <form method="post" action="${withSprak(c, `${token}/kode`)}">
            <button type="submit">${p.sendKode}</button>
          </form>
          <form method="post" action="${withSprak(c, `${token}/bekreft`)}">
            <input type="hidden" name="skjema" value="${newCodeForm(c, deps, token)}" />
            <p>
              <label for="kode">${p.engangskode}</label><br />
              <span class="hint" id="kode-hint">${p.engangskodeHint}</span><br />
              <input
                id="kode"
                name="kode"
                inputmode="numeric"
                autocomplete="one-time-code"
                aria-describedby="kode-hint"
                required
              />
            </p>
            <button type="submit">${p.bekreft}</button>
          </form>`,
        lang,
      );
    }
    const docs = state.dokumenter.map((d, i) => html`<li><a href="${token}/dokumenter/${i}">${d.filnavn}</a></li>`);
    const profil = await deps.inbox.avsenderProfil(state.avsender);
    // The sender's language first; the recipient's pick (?sprak=) wins.
    const lang = sprakOf(c.req.query('sprak')) ?? profil.sprak;
    const t = INBOX_TEXTS[lang];
    return page(
      c,
      200,
      state.input.tittel,
      html`${profil.logo === undefined ? '' : html`<img class="logo" src="${token}/logo" alt="${profil.navn}" />`}
        ${languageNav(lang)}
        <dl>
          <dt>${t.fra}</dt>
          <dd id="avsender">${profil.navn}</dd>
          ${
            profil.kontakt === undefined
              ? ''
              : html`<dt>${t.kontakt}</dt>
                  <dd id="kontakt">${profil.kontakt}</dd>`
          }
          <dt>${t.dato}</dt>
          <dd>${formatOsloTimestamp(state.mottattAt)}</dd>
        </dl>
        ${
          // A letter that went on paper at once has no merged file (only its print copy): its documents are below.
          state.forsendelsesfil === undefined
            ? ''
            : html`<p><a class="knapp" href="${token}/forsendelsesfil">${t.lastNed}</a></p>`
        }
        <p class="hint">
          ${deps.inbox.isRecipientLink(state, token) ? readHint(state, t) : t.innsyn}
        </p>
        <h2>${t.dokumenter}</h2>
        <ul>
          ${docs}
        </ul>
        ${letterExtras(state.input.lenker ?? [], deps.inbox.svarLenke(state), t)}`,
      lang,
    );
  });

  const download = async (c: Context, token: string, which: 'fil' | number): Promise<Response> => {
    const state = await open(c, token);
    if (state instanceof Response) return state;
    if (!verified(c, token, state)) {
      const lang = await sprakFor(c, state);
      const p = INBOX_PAGE_TEXTS[lang];
      return page(
        c,
        403,
        p.bekreftDeg,
        // Back to the letter's page: one level up from …/forsendelsesfil, two from
        // …/dokumenter/<i> (found in review: it led to …/<token>/<token>, "Ugyldig lenke").
        html`<p><a href="${withSprak(c, `${which === 'fil' ? '..' : '../..'}/${token}`)}">${p.bekreftForst}</a></p>`,
        lang,
      );
    }
    const doc = which === 'fil' ? undefined : state.dokumenter[which];
    const blob = which === 'fil' ? state.forsendelsesfil : doc?.blob;
    if (blob === undefined) {
      const lang = await sprakFor(c, state);
      return page(
        c,
        404,
        INBOX_PAGE_TEXTS[lang].finnesIkke,
        html`<p>${INBOX_PAGE_TEXTS[lang].dokumentetFinnesIkke}</p>`,
        lang,
      );
    }
    const filename = which === 'fil' ? `${state.input.tittel || 'brev'}.pdf` : (doc?.filnavn ?? 'dokument');
    // An encrypted letter's file is served as its plaintext (decrypted as it streams).
    const size = plaintextSize(blob);
    const range = parseRange(c.req.header('range'), size);
    if (range === 'unsatisfiable') {
      c.header('Content-Range', `bytes */${size}`);
      return c.body(null, 416);
    }
    const whole = range === undefined || (range.start === 0 && range.end === size - 1);
    // LEST when the whole forsendelsesfil has left the server (docs/architecture.md step 7),
    // at once or in parts, or the last of the documents downloaded one by one.
    const recorded = (): Promise<void> =>
      !whole && range !== undefined
        ? deps.inbox.partServed(state, token, { which, sha256: blob.sha256, size }, range)
        : which === 'fil'
          ? deps.inbox.markRead(state, token)
          : deps.inbox.markDocumentDownloaded(state, which, token);
    const onEnd =
      state.lestAt === undefined
        ? (): void => {
            recorded().catch((err: unknown) => deps.log.error({ err, forsendelseId: state.id }, 'could not mark read'));
          }
        : undefined;
    const length = range === undefined ? size : range.end - range.start + 1;
    return serveFile(c, token, () =>
      blobResponse(
        c,
        () => deps.inbox.stream(blob, range),
        (body) => {
          c.header('Accept-Ranges', 'bytes');
          // Our composed PDF (compose strips active content) and a sender's PDF that intake parsed
          // whole and found without it may open inline (sandboxed); any other file is a download.
          setDocumentHeaders(c, {
            filename,
            // A document of an encrypted letter taken before intake decrypted is still the sender's
            // CMS envelope: labelled as what it is, never as the PDF inside.
            mimetype:
              which === 'fil'
                ? 'application/pdf'
                : state.input.kryptert && blob.cms === undefined
                  ? 'application/pkcs7-mime'
                  : doc?.mimetype,
            inlinePdf: which === 'fil' || doc?.utenAktivtInnhold === true,
          });
          c.header('Cache-Control', 'private, no-store');
          if (range !== undefined) {
            c.header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
            c.header('Content-Length', String(range.end - range.start + 1));
            return c.body(body, 206);
          }
          c.header('Content-Length', String(size));
          return c.body(body, 200);
        },
        { length, ...(onEnd === undefined ? {} : { onEnd }) },
      ),
    );
  };
  /**
   * The file `respond` streams; one deleted between reading the letter and opening it (the
   * sender's slettFiler, retention) answers the page the letter has now, as a download a moment
   * later would, not a bare 500 (found in review: 13 of 96 such downloads).
   */
  const serveFile = async (c: Context, token: string, respond: () => Promise<Response>): Promise<Response> => {
    try {
      return await respond();
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      const now = await open(c, token);
      if (now instanceof Response) return now;
      const lang = await sprakFor(c, now);
      const p = INBOX_PAGE_TEXTS[lang];
      return page(c, 404, p.finnesIkke, html`<p>${p.dokumentetFinnesIkke}</p>`, lang);
    }
  };
  // The sender's logo, for whoever holds a valid link to one of its letters.
  app.get('/:token/logo', async (c) => {
    const state = await open(c, c.req.param('token'));
    if (state instanceof Response) return state;
    const profil = await deps.inbox.avsenderProfil(state.avsender);
    const logo = profil.logo;
    if (logo === undefined) {
      const p = INBOX_PAGE_TEXTS[chosenSprak(c) ?? profil.sprak];
      return page(c, 404, p.finnesIkke, html`<p>${p.ingenLogo}</p>`, chosenSprak(c) ?? profil.sprak);
    }
    const body = await deps.inbox.stream({ sha256: logo.sha256, size: logo.size });
    c.header('Cache-Control', 'private, max-age=3600');
    return c.body(Readable.toWeb(body) as ReadableStream, 200, { 'content-type': logo.mimetype });
  });
  codeRoutes(app, deps, { open, sprakFor, cookie: COOKIE });
  app.get('/:token/forsendelsesfil', (c) => download(c, c.req.param('token'), 'fil'));
  app.get('/:token/dokumenter/:i', (c) => download(c, c.req.param('token'), documentIndex(c.req.param('i')) ?? -1));
  // The code forms' addresses opened as a page (a reload, a bookmark): the letter.
  app.get('/:token/:form{kode|bekreft}', (c) => c.redirect(withSprak(c, `../${c.req.param('token')}`), 303));
  // Any other address under the inbox: a page in the recipient's language, not the API's JSON.
  app.all('*', (c) => {
    const allowed = methodsOfKnownPath(c);
    if (allowed !== undefined) {
      const options = answerOptions(c, allowed);
      if (options !== undefined) return options;
      c.header('allow', allowHeader(allowed));
    }
    const lang = chosenSprak(c) ?? 'nb';
    const p = INBOX_PAGE_TEXTS[lang];
    return page(c, allowed === undefined ? 404 : 405, p.ugyldigLenke, html`<p>${p.lenkeUgyldigSjekk}</p>`, lang);
  });
  return app;
}
