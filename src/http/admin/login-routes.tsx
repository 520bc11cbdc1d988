/**
 * Login and logout. A failed login costs one scrypt verification (also for unknown users,
 * so timing does not tell which names exist) and counts towards the throttle; a
 * successful one starts a new session id (no session fixation) and is audited. Logout
 * ends every session of the user server-side (endSessions), not just this cookie.
 */
import type { Hono } from 'hono';
import { endSessions } from '../../app/accounts.js';
import { prepareUnknownUserHash, verifyPassword, verifyUnknownUser } from '../../app/passwords.js';
import { isDeaktivert } from '../../app/admin/access.js';
import { audit, BASE, formOf, type AdminDeps, type AdminEnv } from './admin-context.js';
import { AttemptThrottle } from '../attempt-throttle.js';
import { clientAddress } from '../client-address.js';
import type { SessionCodec } from './session.js';
import { LoginPage } from './views/simple-pages.js';

/** Only paths inside the admin web and the job-queue board are followed after login (no open redirect). */
export function safeNext(neste: string | undefined): string | undefined {
  if (neste === undefined) return undefined;
  return /^\/(forvaltning|admin\/queues)(\/[A-Za-z0-9\-._~%/?=&+]*)?$/.test(neste) && !neste.includes('//')
    ? neste
    : undefined;
}

/** Registers GET/POST /logg-inn and POST /logg-ut. */
export function loginRoutes(
  app: Hono<AdminEnv>,
  deps: AdminDeps,
  sessions: SessionCodec,
  throttle = new AttemptThrottle(deps.attempts, 'admin-login'),
): void {
  const now = deps.now ?? Date.now;
  void prepareUnknownUserHash();

  app.get('/logg-inn', async (c) => {
    const user = c.get('user');
    if (user !== undefined) {
      // Written again, so the board's copy of the cookie exists before we send an admin there.
      // Only admins have the board's copy: anyone else sent back there would come straight back here.
      c.set('session', { ...c.get('session') });
      const neste = safeNext(c.req.query('neste'));
      const boardOnly = neste !== undefined && !neste.startsWith(BASE) && user.rolle !== 'admin';
      return c.redirect(boardOnly ? BASE : (neste ?? BASE), 303);
    }
    const melding = c.req.query('utlogget') !== undefined ? 'Du er logget ut.' : undefined;
    // Only while no user exists: how to make the first one (it says nothing about a running installation).
    const forsteGang = (await deps.config.listUsers()).length === 0;
    return c.html(
      <LoginPage
        ctx={{ csrf: c.get('csrf') }}
        neste={safeNext(c.req.query('neste'))}
        melding={melding}
        forsteGang={forsteGang}
      />,
    );
  });

  app.post('/logg-inn', async (c) => {
    const form = formOf(c);
    // Cut between characters, never inside one; what no user name holds (control and
    // direction characters) is shown escaped, in the audit log too (found in review).
    const brukernavn = visible(
      Array.from((form.get('brukernavn') ?? '').trim())
        .slice(0, 64)
        .join(''),
    );
    const passord = form.get('passord') ?? '';
    const neste = safeNext(form.get('neste'));
    const address = clientAddress(c);
    const page = (feil: string, status: 401 | 429) =>
      c.html(<LoginPage ctx={{ csrf: c.get('csrf') }} neste={neste} brukernavn={brukernavn} feil={feil} />, status);

    // Counted as failed in the same atomic step as the check, and taken back on success:
    // counted after scrypt, every attempt of a burst sent at once (to any node) passed first.
    const wait = await throttle.attempt(brukernavn, address, now());
    if (wait > 0) {
      await audit(c, deps, {
        bruker: brukernavn,
        handling: 'innlogging.sperret',
        detaljer: 'For mange mislykkede forsøk',
      });
      return page(
        `For mange mislykkede innlogginger. Vent ${Math.ceil(wait / 1000)} sekunder før du prøver igjen.`,
        429,
      );
    }
    const user = brukernavn === '' ? undefined : await deps.config.getUser(brukernavn);
    let ok = false;
    if (user !== undefined && !isDeaktivert(user)) ok = await verifyPassword(passord, user.passordHash);
    else await verifyUnknownUser(passord);
    if (!ok || user === undefined) {
      await audit(c, deps, { bruker: brukernavn || '(tomt)', handling: 'innlogging.feilet' });
      return page('Feil brukernavn eller passord.', 401);
    }
    await throttle.succeeded(brukernavn, address);
    c.set('session', { ...sessions.fresh(now()), user: user.brukernavn, fp: sessions.fingerprint(user) });
    c.set('user', user);
    await audit(c, deps, { handling: 'innlogging' });
    const landing = user.rolle === 'sender-only' ? `${BASE}/send` : `${BASE}/forsendelser`;
    return c.redirect(neste ?? landing, 303);
  });

  app.post('/logg-ut', async (c) => {
    const user = c.get('user');
    if (user !== undefined) {
      // Server-side: the cookie could have been copied, and clearing it here only clears this browser's.
      await endSessions(deps.config, user.brukernavn);
      await audit(c, deps, { handling: 'utlogging' });
    }
    c.set('session', sessions.fresh(now()));
    c.set('user', undefined);
    return c.redirect(`${BASE}/logg-inn?utlogget=1`, 303);
  });
}

/** `text` with control and bidirectional formatting characters written as `\uXXXX`, so none of them reaches a page or the audit log. */
function visible(text: string): string {
  return text.replace(
    /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
