/**
 * What a letter carries besides its documents, on the inbox page: the sender's links
 * (lenker: shown with their lead text, docs/interfaces.md §5; only http, https and ftp get
 * past intake) and, when the sender asked for it (svarPaForsendelseLink), a link to answer.
 * Everything here is the sender's text and is escaped by hono's html.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Lenke } from '../../domain/model.js';
import type { InboxTexts } from './inbox-texts.js';

/** The links section and the reply link, in the page's language `t`; empty when the letter has neither. */
export function letterExtras(
  lenker: readonly Lenke[],
  svarLenke: string | undefined,
  t: Pick<InboxTexts, 'lenker' | 'svar' | 'svarKnapp' | 'svarHint'>,
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
      : html`<h2>${t.lenker}</h2>
          <ul class="lenker">
            ${items}
          </ul>`
  }${
    svarLenke === undefined
      ? ''
      : html`<h2>${t.svar}</h2>
          <p><a class="knapp" href="${svarLenke}" rel="noreferrer">${t.svarKnapp}</a></p>
          <p class="hint">${t.svarHint}</p>`
  }`;
}
