/**
 * What a letter carries besides its documents, on the inbox page: the sender's links
 * (lenker: shown with their lead text, docs/interfaces.md §5; only http, https and ftp get
 * past intake) and, when the sender asked for it (svarPaForsendelseLink), a link to answer.
 * Everything here is the sender's text and is escaped by hono's html.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Lenke } from '../../domain/model.js';

/** The links section and the reply link; empty when the letter has neither. */
export function letterExtras(
  lenker: readonly Lenke[],
  svarLenke: string | undefined,
): HtmlEscapedString | Promise<HtmlEscapedString> | string {
  const items = lenker.map(
    (l) =>
      html`<li>
        ${l.ledetekst === undefined || l.ledetekst.trim() === '' ? '' : html`${l.ledetekst} `}<a
          href="${l.urlLenke}"
          rel="noreferrer"
          >${l.urlTekst}</a
        >
      </li>`,
  );
  return html`${
    items.length === 0
      ? ''
      : html`<h2>Lenker fra avsender</h2>
          <ul class="lenker">
            ${items}
          </ul>`
  }${
    svarLenke === undefined
      ? ''
      : html`<h2>Svar</h2>
          <p><a class="knapp" href="${svarLenke}" rel="noreferrer">Svar avsenderen</a></p>
          <p class="hint">Svaret ditt går til avsenderen gjennom svartjenesten lenken åpner.</p>`
  }`;
}
