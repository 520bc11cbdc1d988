/**
 * The inbox's page frame (docs/architecture.md step 7): one stylesheet, a strict policy, the
 * language of the page, and how a chosen language (`?sprak=`) is kept on links and forms.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { INBOX_PAGE_TEXTS } from './inbox-page-texts.js';
import { INBOX_TEXTS, SPRAK_NAVN, sprakOf, type Sprak } from './inbox-texts.js';

// overflow-wrap:anywhere: a title or file name without spaces (archive names such as
// "Vedlegg_til_vedtak_…_2026-004213.pdf") breaks where it must instead of making the page
// scroll sideways on a phone (WCAG 1.4.10; found in review, 1 034 px in a 360 px window).
const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5;overflow-wrap:anywhere}
h1{font-size:1.5rem}a.knapp,button{display:inline-block;background:#0b4f8a;color:#fff;padding:.6rem 1rem;border-radius:.3rem;text-decoration:none;border:0;font-size:1rem}
.logo{display:block;max-height:4rem;max-width:12rem;margin:0 0 1rem}dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.3rem 1rem}dt{font-weight:600}.feil{color:#a00000}.hint{color:#444;font-size:.95rem}`;

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

export function page(
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

export function gone(c: Context, lang: Sprak, text: string): Response | Promise<Response> {
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
export function chosenSprak(c: Context): Sprak | undefined {
  return sprakOf(c.req.query('sprak'));
}

/** `path` with the chosen language kept (`?sprak=`), when the recipient chose one. */
export function withSprak(c: Context, path: string): string {
  const chosen = chosenSprak(c);
  return chosen === undefined ? path : `${path}?sprak=${chosen}`;
}

/** The language links of a letter's pages: the current one in bold, the others to pick (`?sprak=`). */
export function languageNav(lang: Sprak): unknown {
  const t = INBOX_TEXTS[lang];
  const languages = (['nb', 'nn', 'en'] as const).map((l) =>
    l === lang
      ? html`<strong lang="${l}">${SPRAK_NAVN[l]}</strong>`
      : html`<a href="?sprak=${l}" lang="${l}" hreflang="${l}">${SPRAK_NAVN[l]}</a>`,
  );
  return html`<nav class="hint" aria-label="${t.sprakvalg}">
    ${t.sprakvalg}: ${languages.map((l, i) => (i === 0 ? l : html` · ${l}`))}
  </nav>`;
}
