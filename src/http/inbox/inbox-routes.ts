/**
 * The recipients' digital inbox (docs/architecture.md steps 6–7): a notification's link opens a page
 * with sender, title, date and documents. Downloading the whole forsendelsesfil marks the
 * letter LEST. Range requests are served. Letters with krevNiva4Innlogging ask for a
 * one-time code sent by SMS first. An expired link or purged letter gets a clear 410 page.
 */
import { Readable } from 'node:stream';
import { INBOX_PAGE_TEXTS, type InboxPageTexts } from './inbox-page-texts.js';
import { INBOX_TEXTS, SPRAK_NAVN, sprakOf, type InboxTexts, type Sprak } from './inbox-texts.js';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { blobResponse } from '../blob-download.js';
import type { InboxService } from '../../app/inbox-service.js';
import { plaintextSize } from '../../app/letter-files.js';
import type { SmsSender } from '../../channels/notify/index.js';
import type { ForsendelseState } from '../../domain/forsendelse-state.js';
import { formatOsloTimestamp } from '../../domain/time/index.js';
import type { AttemptCounter } from '../../storage/ports.js';
import { AttemptThrottle, type ThrottleOptions } from '../attempt-throttle.js';
import { clientAddress } from '../client-address.js';
import { applySecurityHeaders, setDocumentHeaders } from '../security-headers.js';
import { letterExtras } from './letter-extras.js';
import { parseRange } from './range.js';
import { BodyLimit, KIB } from '../body-limit.js';
import { requestBodyStream } from '../request-body.js';
import { BudbringerError } from '../../domain/errors.js';
import type { HttpBindings } from '@hono/node-server';

/** The code form carries six digits: 4 KiB leaves room for any browser's encoding of it and nothing more. */
const CODE_FORM = new BodyLimit(4 * KIB, 'Skjemaet er for stort');

/** What the inbox needs. */
export interface InboxDeps {
  /** Opens letters by link, checks level 4, streams files, records reads. */
  readonly inbox: InboxService;
  readonly sms: SmsSender;
  readonly now: () => number;
  readonly log: Logger;
  /** Counts for the code and code-SMS throttles (shared by the nodes in cluster mode). */
  readonly attempts: AttemptCounter;
  /** Wrong one-time codes allowed per letter before a lock (default CODE_GUESSES). */
  readonly codeGuesses?: ThrottleOptions;
  /** Code SMS allowed per letter before a lock (default CODE_SMS). */
  readonly codeSms?: ThrottleOptions;
}

/**
 * A six-digit code has a million values and two are valid at a time: without a limit a
 * link forwarded by mistake could be opened by guessing in minutes. Five wrong codes per
 * letter, then a lock of a minute, doubling up to a day.
 */
export const CODE_GUESSES: ThrottleOptions = {
  perSubject: 5,
  perAddress: 50,
  baseLockMs: 60_000,
  maxLockMs: 24 * 3600_000,
  windowMs: 24 * 3600_000,
};
/** Every code SMS costs money and may annoy the recipient: three per letter, then a lock of a minute, doubling. */
export const CODE_SMS: ThrottleOptions = {
  perSubject: 3,
  perAddress: 30,
  baseLockMs: 60_000,
  maxLockMs: 24 * 3600_000,
  windowMs: 24 * 3600_000,
};

const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.5rem}a.knapp,button{display:inline-block;background:#0b4f8a;color:#fff;padding:.6rem 1rem;border-radius:.3rem;text-decoration:none;border:0;font-size:1rem}
.logo{display:block;max-height:4rem;max-width:12rem;margin:0 0 1rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}.feil{color:#a00000}.hint{color:#444;font-size:.95rem}`;

/**
 * The pages' policy: nothing but the one inline stylesheet (by its hash), forms to this
 * origin, never framed, and a sandbox without scripts (allow-same-origin keeps the level-4
 * cookie working for the forms; allow-downloads lets the document links save files).
 * Titles, names and file names on these pages come from senders: even markup that slipped
 * past escaping could not run.
 */
export const INBOX_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  'sandbox allow-forms allow-same-origin allow-downloads',
].join('; ');

function page(
  c: Context,
  status: number,
  title: string,
  body: unknown,
  lang: Sprak = 'nb',
): Response | Promise<Response> {
  return c.html(
    html`<!doctype html>
      <html lang="${lang}">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width,initial-scale=1" />
          <title>${title} – Budbringer</title>
          <style>${STYLE}</style>
        </head>
        <body>
          <main>
            <h1>${title}</h1>
            ${body}
          </main>
        </body>
      </html>`,
    status as 200,
  );
}

function gone(c: Context, lang: Sprak, text: string): Response | Promise<Response> {
  const p = INBOX_PAGE_TEXTS[lang];
  return page(
    c,
    410,
    p.ikkeTilgjengelig,
    html`<p>${text}</p>
      <p>${p.kontaktAvsender}</p>`,
    lang,
  );
}

/** The language the recipient chose (`?sprak=`), if any: kept on the links and forms of the code step. */
function chosenSprak(c: Context): Sprak | undefined {
  return sprakOf(c.req.query('sprak'));
}

/** `path` with the chosen language kept (`?sprak=`), when the recipient chose one. */
function withSprak(c: Context, path: string): string {
  const chosen = chosenSprak(c);
  return chosen === undefined ? path : `${path}?sprak=${chosen}`;
}

/** What opening the letter means for the recipient, in one sentence. */
function readHint(state: ForsendelseState, t: InboxTexts = INBOX_TEXTS.nb): string {
  if (state.lestAt !== undefined) return t.apnet(state.lestAt);
  if (state.status === 'SENDT_PRINT' || state.status === 'PRINTET') return t.ogsaPapir;
  if (state.input.kunDigitalLevering) return t.lestNar;
  return t.lestOgIkkePapir;
}

/** The inbox app, mounted at `/innboks`. */
export function createInboxApp(deps: InboxDeps): Hono {
  const app = new Hono();
  const COOKIE = 'bb_niva4';
  // The link's token is in every URL here: no Referer may carry it to another site.
  app.use('*', async (c, next) => {
    await next();
    applySecurityHeaders(c.res, { pageCsp: INBOX_CSP, referrerPolicy: 'no-referrer', frameOptions: 'DENY' });
  });
  const guesses = new AttemptThrottle(deps.attempts, 'inbox-code', deps.codeGuesses ?? CODE_GUESSES);
  const codeSms = new AttemptThrottle(deps.attempts, 'inbox-sms', deps.codeSms ?? CODE_SMS);
  const wait = (c: Context, lang: Sprak, why: string, ms: number, token: string) =>
    page(
      c,
      429,
      INBOX_PAGE_TEXTS[lang].forMangeForsok,
      html`<p class="feil">${why}</p>
        <p>${INBOX_PAGE_TEXTS[lang].vent(Math.ceil(ms / 60_000))}</p>
        <p><a href="${withSprak(c, `../${token}`)}">${INBOX_PAGE_TEXTS[lang].tilbake}</a></p>`,
      lang,
    );

  /** The recipient's language for `state`'s pages: the one chosen (`?sprak=`), else the sender's. */
  const sprakFor = async (c: Context, state: ForsendelseState): Promise<Sprak> =>
    chosenSprak(c) ?? (await deps.inbox.avsenderProfil(state.avsender)).sprak;

  /** The letter behind a token, or a Response explaining why not (in the chosen language, else bokmål). */
  const open = async (c: Context, token: string): Promise<ForsendelseState | Response> => {
    const opened = await deps.inbox.open(token);
    const lang = chosenSprak(c) ?? 'nb';
    const p = INBOX_PAGE_TEXTS[lang];
    switch (opened.kind) {
      case 'brev':
        return opened.state;
      case 'utlopt':
        return gone(c, lang, p.lenkeUtlopt);
      case 'slettet':
        return gone(c, lang, p.slettet(opened.slettetAt));
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
        html`<p>${p.sikkerPalogging}</p>
          <form method="post" action="${withSprak(c, `${token}/kode`)}">
            <button type="submit">${p.sendKode}</button>
          </form>
          <form method="post" action="${withSprak(c, `${token}/bekreft`)}">
            <p>
              <label for="kode">${p.engangskode}</label><br />
              <input
                id="kode"
                name="kode"
                inputmode="numeric"
                autocomplete="one-time-code"
                pattern="[0-9]{6}"
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
    const languages = (['nb', 'nn', 'en'] as const).map((l) =>
      l === lang
        ? html`<strong lang="${l}">${SPRAK_NAVN[l]}</strong>`
        : html`<a href="?sprak=${l}" lang="${l}" hreflang="${l}">${SPRAK_NAVN[l]}</a>`,
    );
    return page(
      c,
      200,
      state.input.tittel,
      html`${profil.logo === undefined ? '' : html`<img class="logo" src="${token}/logo" alt="${profil.navn}" />`}
        <nav class="hint" aria-label="${t.sprakvalg}">
          ${t.sprakvalg}: ${languages.map((l, i) => (i === 0 ? l : html` · ${l}`))}
        </nav>
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
          ${
            deps.inbox.isRecipientLink(state, token)
              ? readHint(state, t)
              : 'Du kan lese brevet fordi avsenderen har gitt deg innsyn i det.'
          }
        </p>
        <h2>${t.dokumenter}</h2>
        <ul>
          ${docs}
        </ul>
        ${letterExtras(state.input.lenker ?? [], deps.inbox.svarLenke(state))}`,
      lang,
    );
  });

  app.post('/:token/kode', async (c) => {
    const token = c.req.param('token');
    const state = await open(c, token);
    if (state instanceof Response) return state;
    const lang = await sprakFor(c, state);
    const p = INBOX_PAGE_TEXTS[lang];
    if (state.varsling?.sms === undefined)
      return page(c, 409, p.kanIkkeSendeKode, html`<p class="feil">${p.ingenMobil}</p>`, lang);
    const address = clientAddress(c);
    const ms = await codeSms.attempt(state.id, address, deps.now()); // every send counts, never taken back
    if (ms > 0) return wait(c, lang, p.flereKoder, ms, token);
    try {
      await deps.sms.send({ to: state.varsling.sms, text: p.kodeSms(state.avsender, deps.inbox.oneTimeCode(token)) });
    } catch (err) {
      // The gateway is down or refused: the recipient gets a page saying so, not a bare 500.
      deps.log.error({ err, forsendelseId: state.id }, 'one-time code SMS failed');
      return page(
        c,
        503,
        p.kunneIkkeSendeKode,
        html`<p class="feil">${p.provIgjenOmLitt}</p>
          <p><a href="${withSprak(c, `../${token}`)}">${p.tilbake}</a></p>`,
        lang,
      );
    }
    return c.redirect(withSprak(c, `../${token}`), 303);
  });

  app.post('/:token/bekreft', async (c) => {
    const token = c.req.param('token');
    const state = await open(c, token);
    if (state instanceof Response) return state;
    const lang = await sprakFor(c, state);
    const p = INBOX_PAGE_TEXTS[lang];
    const address = clientAddress(c);
    const form = await readCodeForm(c, p, lang);
    if (form instanceof Response) return form;
    const kode = (form.get('kode') ?? '').trim();
    // Only a well-formed code is a guess; a typo like a missing digit costs no attempt, so it
    // is only checked against the lock. A guess is counted as failed in the same atomic step
    // as the check (all nodes see it at once) and taken back if right: checked first and
    // counted after, guesses sent at once would all pass. Before the comparison: a locked
    // letter reveals nothing.
    const guess = /^[0-9]{6}$/.test(kode);
    const ms = guess
      ? await guesses.attempt(state.id, address, deps.now())
      : await guesses.waitMs(state.id, address, deps.now());
    if (ms > 0) return wait(c, lang, p.forMangeFeil, ms, token);
    if (!guess || !deps.inbox.checkOneTimeCode(token, kode)) {
      return page(
        c,
        403,
        p.feilKode,
        html`<p class="feil">${p.kodeFeil}</p>
          <p><a href="${withSprak(c, `../${token}`)}">${p.provIgjen}</a></p>`,
        lang,
      );
    }
    await guesses.succeeded(state.id, address);
    setCookie(c, COOKIE, deps.inbox.proofFor(token), {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/innboks',
      maxAge: 3600,
    });
    return c.redirect(withSprak(c, `../${token}`), 303);
  });

  /** The code form, read within CODE_FORM's limit; a refusal as a page. */
  const readCodeForm = async (c: Context, p: InboxPageTexts, lang: Sprak): Promise<URLSearchParams | Response> => {
    try {
      CODE_FORM.checkDeclared(c.req.header('content-length'));
      return new URLSearchParams(await CODE_FORM.readText(requestBodyStream(c as Context<{ Bindings: HttpBindings }>)));
    } catch (error) {
      if (!(error instanceof BudbringerError)) throw error;
      return page(
        c,
        error.httpStatus,
        error.httpStatus === 413 ? p.forStortSkjema : p.ugyldigSkjema,
        html`<p class="feil">${error.message}</p>`,
        lang,
      );
    }
  };

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
        html`<p><a href="${withSprak(c, `../${token}`)}">${p.bekreftForst}</a></p>`,
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
    // or the last of the documents downloaded one by one.
    const onEnd =
      whole && state.lestAt === undefined
        ? (): void => {
            (which === 'fil'
              ? deps.inbox.markRead(state, token)
              : deps.inbox.markDocumentDownloaded(state, which, token)
            ).catch((err: unknown) => deps.log.error({ err, forsendelseId: state.id }, 'could not mark read'));
          }
        : undefined;
    const length = range === undefined ? size : range.end - range.start + 1;
    return blobResponse(
      c,
      () => deps.inbox.stream(blob, range),
      (body) => {
        c.header('Accept-Ranges', 'bytes');
        // Our composed PDF and a sender's PDF that intake parsed may open inline (sandboxed); any other file is a download.
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
          inlinePdf: which === 'fil' || doc?.sider !== undefined,
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
    );
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
  app.get('/:token/forsendelsesfil', (c) => download(c, c.req.param('token'), 'fil'));
  app.get('/:token/dokumenter/:i', (c) => download(c, c.req.param('token'), Number(c.req.param('i'))));
  return app;
}
