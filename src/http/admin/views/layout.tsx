/** The page frame of the admin web: skip link, header with menu and logout, main, footer. */
import type { Child } from 'hono/jsx';
import { tryGetContext } from 'hono/context-storage';
import { raw } from 'hono/html';
import type { AdminUser } from '../../../storage/ports.js';
import { ROLLE_NAVN } from '../../../app/admin/access.js';
import { BASE, type AdminEnv } from '../admin-context.js';
import { CSRF_FIELD } from '../csrf.js';
import { SESSION_IDLE_MS, sessionLeftMs } from '../session.js';

/** Menu entries; the page passes its own key to mark it current. */
export type NavKey =
  | 'forsendelser'
  | 'print'
  | 'send'
  | 'konfigurasjon'
  | 'mottakersystemer'
  | 'integrasjoner'
  | 'statistikk'
  | 'revisjonslogg'
  | 'jobber'
  | 'hjelp';

const NAV: readonly { key: NavKey; href: string; label: string; roles: readonly AdminUser['rolle'][] }[] = [
  { key: 'forsendelser', href: `${BASE}/forsendelser`, label: 'Forsendelser', roles: ['admin', 'local-admin'] },
  { key: 'print', href: `${BASE}/manuell-print`, label: 'Manuell print', roles: ['admin', 'local-admin'] },
  { key: 'send', href: `${BASE}/send`, label: 'Send forsendelse', roles: ['admin', 'local-admin', 'sender-only'] },
  { key: 'konfigurasjon', href: `${BASE}/konfigurasjon`, label: 'Konfigurasjon', roles: ['admin', 'local-admin'] },
  { key: 'mottakersystemer', href: `${BASE}/mottakersystemer`, label: 'Mottakersystemer', roles: ['admin'] },
  { key: 'integrasjoner', href: `${BASE}/integrasjoner`, label: 'Integrasjoner', roles: ['admin'] },
  { key: 'statistikk', href: `${BASE}/statistikk`, label: 'Statistikk', roles: ['admin', 'local-admin'] },
  { key: 'revisjonslogg', href: `${BASE}/revisjonslogg`, label: 'Revisjonslogg', roles: ['admin'] },
  { key: 'jobber', href: `${BASE}/jobber`, label: 'Jobber', roles: ['admin'] },
  { key: 'hjelp', href: `${BASE}/hjelp`, label: 'Hjelp', roles: ['admin', 'local-admin'] },
];

/** The menu entries a role sees. */
export function navFor(rolle: AdminUser['rolle']): readonly NavKey[] {
  return NAV.filter((n) => n.roles.includes(rolle)).map((n) => n.key);
}

/** What every page knows about the request. */
export interface PageCtx {
  readonly user?: AdminUser;
  readonly csrf: string;
}

/** The hidden CSRF field every POST form carries. */
export function CsrfField(props: { csrf: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.csrf} />;
}

/** A status message after an action (role=status so screen readers announce it). */
export function Melding(props: { text?: string; kind?: 'ok' | 'feil' }) {
  if (props.text === undefined || props.text === '') return null;
  return (
    <div class={`melding melding-${props.kind ?? 'ok'}`} role={props.kind === 'feil' ? 'alert' : 'status'}>
      {props.text}
    </div>
  );
}

/** A whole page. */
export function Layout(props: {
  title: string;
  ctx: PageCtx;
  active?: NavKey;
  melding?: string;
  feil?: string;
  children?: Child;
}) {
  const user = props.ctx.user;
  // Queues span every organisation: the board is for admins only (src/http/queue-board.ts).
  const board = user?.rolle === 'admin' ? tryGetContext<AdminEnv>()?.var.queueBoardPath : undefined;
  const session = tryGetContext<AdminEnv>()?.var.session;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="nb">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} – Budbringer forvaltning`}</title>
          <link rel="stylesheet" href={`${BASE}/static/forvaltning.css`} />
          <script src={`${BASE}/static/forvaltning.js`} defer></script>
        </head>
        <body
          data-okt-ms={user === undefined ? undefined : String(SESSION_IDLE_MS)}
          data-okt-maks-ms={user === undefined || session === undefined ? undefined : String(sessionLeftMs(session))}
        >
          {user !== undefined && (
            // Shown by the script five minutes before the session ends, idle or at its longest
            // (WCAG 2.2.1; found in review: work typed into a form was lost at the end of the hour).
            <div id="okt-varsel" class="okt-varsel" role="alert" hidden>
              <span data-okt="inaktiv">Du blir logget ut om 5 minutter fordi du ikke har gjort noe på en stund. </span>
              <span data-okt="maks" hidden>
                Du blir logget ut om 5 minutter fordi en innlogging varer høyst 10 timer. Lagre det du holder på med, og
                logg inn på nytt.
              </span>
              <button type="button" data-okt-url={`${BASE}/okt`}>
                Fortsett å være innlogget
              </button>
            </div>
          )}
          <a class="hopp" href="#innhold">
            Hopp til hovedinnhold
          </a>
          <header class="topp">
            <div class="merke">
              <a href={BASE}>Budbringer</a> <span>Forvaltning</span>
            </div>
            {user !== undefined && (
              <nav aria-label="Hovedmeny">
                <ul>
                  {NAV.filter((n) => n.roles.includes(user.rolle)).map((n) => (
                    <li>
                      <a href={n.href} aria-current={n.key === props.active ? 'page' : undefined}>
                        {n.label}
                      </a>
                    </li>
                  ))}
                  {board !== undefined && (
                    <li>
                      <a href={board}>Jobbkøer</a>
                    </li>
                  )}
                </ul>
              </nav>
            )}
            {user !== undefined && (
              <div class="bruker">
                <span>
                  {user.brukernavn} <small>({ROLLE_NAVN[user.rolle]})</small>
                </span>
                <form method="post" action={`${BASE}/logg-ut`}>
                  <CsrfField csrf={props.ctx.csrf} />
                  <button type="submit" class="lenkeknapp">
                    Logg ut
                  </button>
                </form>
              </div>
            )}
          </header>
          <main id="innhold" tabindex={-1}>
            <h1>{props.title}</h1>
            <Melding text={props.melding} />
            <Melding text={props.feil} kind="feil" />
            {props.children}
          </main>
          <footer class="bunn">
            <p>
              Budbringer – åpen kildekode, kompatibel med SvarUt. <a href="/">Om Budbringer</a>
            </p>
          </footer>
        </body>
      </html>
    </>
  );
}
