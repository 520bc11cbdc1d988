/**
 * The one-time code of a level-4 letter (krevNiva4Innlogging, docs/architecture.md step 7):
 * the code sent by SMS, and its check, each throttled per letter and per address, in the
 * recipient's language. A right code sets the proof cookie the letter's pages ask for.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import type { Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { NIVA4_PROOF_MS } from '../../app/inbox-service.js';
import { SAME_FORM_MS } from '../../app/one-time-code-uses.js';
import { BudbringerError } from '../../domain/errors.js';
import type { ForsendelseState } from '../../domain/forsendelse-state.js';
import { AttemptThrottle, type ThrottleOptions } from '../attempt-throttle.js';
import { BodyLimit, KIB } from '../body-limit.js';
import { clientAddress } from '../client-address.js';
import { requestBodyStream } from '../request-body.js';
import { formFromUrlEncoded, type FormFields } from '../url-encoded-form.js';
import { cameOverHttps } from '../secure-cookie.js';
import { page, withSprak } from './inbox-page.js';
import { INBOX_PAGE_TEXTS, type InboxPageTexts } from './inbox-page-texts.js';
import type { Sprak } from './inbox-texts.js';
import type { InboxDeps } from './inbox-deps.js';

/** The code form carries six digits: 4 KiB leaves room for any browser's encoding of it and nothing more. */
const CODE_FORM = new BodyLimit(4 * KIB, 'Skjemaet er for stort');

/**
 * A six-digit code has a million values and two are valid at a time: without a limit a
 * link forwarded by mistake could be opened by guessing in minutes. Five wrong codes per
 * letter and person (each person a letter is shared with has codes of their own), then a
 * lock of a minute, doubling up to a day.
 */
export const CODE_GUESSES: ThrottleOptions = {
  perSubject: 5,
  perAddress: 50,
  baseLockMs: 60_000,
  maxLockMs: 24 * 3600_000,
  windowMs: 24 * 3600_000,
};
/** Every code SMS costs money and may annoy the recipient: three per letter and person, then a lock of a minute, doubling. */
export const CODE_SMS: ThrottleOptions = {
  perSubject: 3,
  perAddress: 30,
  baseLockMs: 60_000,
  maxLockMs: 24 * 3600_000,
  windowMs: 24 * 3600_000,
};

/** The cookie that ties a rendering of the code form to the browser it was rendered for. */
const FORM_COOKIE = 'bb_skjema';

/**
 * A new id for one rendering of the code form, tied to the browser it was rendered for: the
 * browser gets a random nonce as a cookie at the letter's path, the form carries a digest
 * of it (formIdOf). A second send of a used code counts as a double click only when the
 * form's id is the digest of the sender's cookie (SAME_FORM_MS): a review replayed the id
 * with the code from another client, which then opened the letter, and when the cookie
 * held the id itself, replayed it as the cookie too. The digest does not give the nonce.
 */
export function newCodeForm(c: Context, deps: Pick<InboxDeps, 'secureCookies'>, token: string): string {
  const nonce = randomBytes(24).toString('base64url');
  setCookie(c, FORM_COOKIE, nonce, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: deps.secureCookies ?? cameOverHttps(c),
    path: `/innboks/${token}`,
    maxAge: SAME_FORM_MS / 1000 + 3600,
  });
  return formIdOf(nonce);
}

/** The form id for a cookie's nonce: 22 base64url characters of its SHA-256. */
function formIdOf(nonce: string): string {
  return createHash('sha256').update(nonce).digest('base64url').slice(0, 22);
}

/** What the code routes share with the letter's pages. */
export interface InboxRequestKit {
  /** The letter behind a token, or a Response explaining why not. */
  readonly open: (c: Context, token: string) => Promise<ForsendelseState | Response>;
  /** The recipient's language for the letter's pages. */
  readonly sprakFor: (c: Context, state: ForsendelseState) => Promise<Sprak>;
  /** The name of the proof cookie. */
  readonly cookie: string;
}

/** Registers POST /:token/kode (send a code) and POST /:token/bekreft (check it). */
export function codeRoutes(app: Hono, deps: InboxDeps, kit: InboxRequestKit): void {
  const { open, sprakFor } = kit;
  const COOKIE = kit.cookie;
  const guesses = new AttemptThrottle(deps.attempts, 'inbox-code', deps.codeGuesses ?? CODE_GUESSES);
  const codeSms = new AttemptThrottle(deps.attempts, 'inbox-sms', deps.codeSms ?? CODE_SMS);
  /** A page that says what went wrong (`why`, then `more` when given) and links back to the letter. */
  const backToLetter = (
    c: Context,
    lang: Sprak,
    token: string,
    {
      status,
      title,
      why,
      more,
      link,
    }: { status: 403 | 429 | 503; title: string; why: string; more?: string; link: string },
  ) =>
    page(
      c,
      status,
      title,
      html`<p class="feil">${why}</p>
        ${more === undefined ? '' : html`<p>${more}</p>`}
        <p><a href="${withSprak(c, `../${token}`)}">${link}</a></p>`,
      lang,
    );
  const wait = (c: Context, lang: Sprak, why: string, ms: number, token: string) => {
    const p = INBOX_PAGE_TEXTS[lang];
    return backToLetter(c, lang, token, {
      status: 429,
      title: p.forMangeForsok,
      why,
      more: p.vent(ms),
      link: p.tilbake,
    });
  };

  /** A letter that needs no code: no SMS, no lookup, no code used up; the letter's own page. */
  const noCodeNeeded = (c: Context, state: ForsendelseState, token: string): Response | undefined =>
    state.input.krevNiva4Innlogging ? undefined : c.redirect(withSprak(c, `../${token}`), 303);

  app.post('/:token/kode', async (c) => {
    const token = c.req.param('token');
    const state = await open(c, token);
    if (state instanceof Response) return state;
    const plain = noCodeNeeded(c, state, token);
    if (plain !== undefined) return plain;
    const lang = await sprakFor(c, state);
    const p = INBOX_PAGE_TEXTS[lang];
    const address = clientAddress(c);
    // Per person: each one a letter is shared with (eksponertFor) gets codes of their own, on
    // their own phone; a person's SMS are limited, not the letter's.
    const subject = deps.inbox.codeSubject(state, token);
    // Every request counts, never taken back, and before the number is looked up: a shared
    // person's number comes from the contact register, whose quota a link must not drain.
    const ms = await codeSms.attempt(subject, address, deps.now());
    if (ms > 0) return wait(c, lang, p.flereKoder, ms, token);
    try {
      const mobil = await deps.inbox.codeMobile(state, token);
      if (mobil === undefined)
        return await page(c, 409, p.kanIkkeSendeKode, html`<p class="feil">${p.ingenMobil}</p>`, lang);
      // The name the recipient knows from the notification and the page, not the account's.
      const { navn } = await deps.inbox.avsenderProfil(state.avsender);
      await deps.sms.send({ to: mobil, text: p.kodeSms(navn, await deps.inbox.oneTimeCode(state, token)) });
    } catch (err) {
      // The gateway or the contact register is down: the recipient gets a page saying so, not a bare 500.
      deps.log.error({ err, forsendelseId: state.id }, 'one-time code SMS failed');
      return backToLetter(c, lang, token, {
        status: 503,
        title: p.kunneIkkeSendeKode,
        why: p.provIgjenOmLitt,
        link: p.tilbake,
      });
    }
    // Back to the form, which then says the code is on its way (a page that looked the same
    // made recipients press again, using up their codes: found in a review).
    const back = withSprak(c, `../${token}`);
    return c.redirect(`${back}${back.includes('?') ? '&' : '?'}kode=sendt`, 303);
  });

  app.post('/:token/bekreft', async (c) => {
    const token = c.req.param('token');
    const state = await open(c, token);
    if (state instanceof Response) return state;
    const lang = await sprakFor(c, state);
    const p = INBOX_PAGE_TEXTS[lang];
    const address = clientAddress(c);
    // Read (within its limit) before anything else, whatever the letter: a form is a form.
    const form = await readCodeForm(c, p, lang);
    if (form instanceof Response) return form;
    const plain = noCodeNeeded(c, state, token);
    if (plain !== undefined) return plain;
    // Blanks anywhere are no part of a code: "727 571" is how a phone may show it.
    const kode = (form.get('kode') ?? '').replace(/\s/g, '');
    // Only a well-formed code is a guess; a typo like a missing digit costs no attempt, so it
    // is only checked against the lock. A guess is counted as failed in the same atomic step
    // as the check (all nodes see it at once) and taken back if right: checked first and
    // counted after, guesses sent at once would all pass. Before the comparison: a locked
    // letter reveals nothing. Counted per person, as their codes are: a link the letter was
    // shared with cannot lock the recipient out.
    const guess = /^[0-9]{6}$/.test(kode);
    const subject = deps.inbox.codeSubject(state, token);
    const ms = guess
      ? await guesses.attempt(subject, address, deps.now())
      : await guesses.waitMs(subject, address, deps.now());
    if (ms > 0) return wait(c, lang, p.forMangeFeil, ms, token);
    // The form's random id (inbox-routes.ts): a second send of the same form is a double click.
    const skjema = form.get('skjema') ?? '';
    const nonce = getCookie(c, FORM_COOKIE);
    const fromForm =
      /^[A-Za-z0-9_-]{22}$/.test(skjema) && nonce !== undefined && formIdOf(nonce) === skjema ? skjema : undefined;
    const checked = guess ? await deps.inbox.useOneTimeCode(state, token, kode, fromForm) : 'feil';
    // The same code sent twice from a browser that it already opened the letter in (a
    // double click, a resent form): the letter again, nothing counted against it.
    if (checked === 'brukt' && deps.inbox.isVerified(state, token, getCookie(c, COOKIE))) {
      await guesses.succeeded(subject, address);
      return c.redirect(withSprak(c, `../${token}`), 303);
    }
    if (checked !== 'rett') {
      const why = checked === 'brukt' ? p.kodeBrukt : guess ? p.kodeFeil : p.kodeSeksSifre;
      return backToLetter(c, lang, token, { status: 403, title: p.feilKode, why, link: p.provIgjen });
    }
    await guesses.succeeded(subject, address);
    // At the letter's own path: each letter keeps its own proof (one cookie name at
    // /innboks would let a second letter's code log the recipient out of the first).
    // Lax: the letter's link is opened from a webmail (another site); with Strict every such
    // opening asked for a new code within the proof's hour (found in a review). It opens GET pages only.
    setCookie(c, COOKIE, deps.inbox.proofFor(token), {
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.secureCookies ?? cameOverHttps(c),
      path: `/innboks/${token}`,
      maxAge: NIVA4_PROOF_MS / 1000,
    });
    return c.redirect(withSprak(c, `../${token}`), 303);
  });

  /** The code form, read within CODE_FORM's limit; a refusal as a page. */
  const readCodeForm = async (c: Context, p: InboxPageTexts, lang: Sprak): Promise<FormFields | Response> => {
    try {
      CODE_FORM.checkDeclared(c.req.header('content-length'));
      // Decoded strictly, as the admin web's forms are (docs/interfaces.md §9a).
      return formFromUrlEncoded(await CODE_FORM.readText(requestBodyStream(c as Context<{ Bindings: HttpBindings }>)));
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
}
