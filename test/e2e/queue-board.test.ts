/**
 * bull-board at /admin/queues (issue #6): a logged-in admin sees the board, its API lists
 * our per-type queues and its static files load; anonymous visitors are sent to the login
 * (pages) or get 401 (API, files); local admins and sender-only users get 403; changes
 * must come from this origin and are audited. Real node, real Redis (unique prefix).
 * A node without REDIS_URL has no board and no menu link.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ORGNR, type TestNode } from '../factories.js';
import { AdminClient, addUser, loggedIn, PASSORD, sendLetter, startAdminTestNode } from '../browser/support.js';
import { redisSkip, redisUrl, sweepKeys, uniquePrefix } from '../redis-support.js';

const skip = await redisSkip('bull-board-testene');

describe('bull-board at /admin/queues', { skip }, () => {
  let t: TestNode;
  const prefix = uniquePrefix('board');

  before(async () => {
    t = await startAdminTestNode([], { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix });
    const creds = await t.sender('Kommune A', ORGNR);
    await addUser(t, 'admin', 'admin');
    await addUser(t, 'lokal-a', 'local-admin', 'Kommune A');
    await addUser(t, 'sender-a', 'sender-only', 'Kommune A');
    await sendLetter(t, creds);
  });
  after(async () => {
    await t?.stop();
    await sweepKeys(prefix);
  });

  it('shows the board and its queues to an admin, with its static files', async () => {
    const admin = await loggedIn(t.url, 'admin');
    const page = await admin.request('/admin/queues', { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200, page.text.slice(0, 300));
    assert.match(page.contentType, /^text\/html/);
    assert.match(page.text, /<base href="\/admin\/queues\/"/);
    assert.match(page.text, /Budbringer – jobbkøer/);
    assert.match(page.headers.get('content-security-policy') ?? '', /font-src 'self'/);

    const assets = [...page.text.matchAll(/(?:src|href)="(static\/[^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(
      assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')),
      `assets in the page: ${assets.join(', ')}`,
    );
    for (const asset of assets) {
      const r = await admin.get(`/admin/queues/${asset}`);
      assert.equal(r.status, 200, asset);
      assert.ok(r.bytes.length > 0, asset);
      assert.match(
        r.contentType,
        asset.endsWith('.js') ? /javascript/ : asset.endsWith('.css') ? /text\/css/ : /image\//,
        asset,
      );
    }

    const api = await admin.get(
      '/admin/queues/api/queues?activeQueue=budbringer.compose&status=latest&page=1&jobsPerPage=10',
    );
    assert.equal(api.status, 200, api.text.slice(0, 300));
    const body = JSON.parse(api.text) as {
      queues: { name: string; counts: Record<string, number>; jobs: { id: string }[] }[];
    };
    const names = body.queues.map((q) => q.name).sort();
    for (const type of ['compose', 'deadline', 'notify', 'print', 'purge', 'reminder', 'route']) {
      assert.ok(names.includes(`budbringer.${type}`), `queue budbringer.${type} in ${names.join(', ')}`);
    }
    // The letter sent in before() went through the compose queue of this very prefix.
    const compose = body.queues.find((q) => q.name === 'budbringer.compose');
    assert.ok(compose);
    assert.ok(Object.values(compose.counts).reduce((a, b) => a + b, 0) >= 1, JSON.stringify(compose.counts));
    assert.ok(compose.jobs.length >= 1);
  });

  it('sends anonymous visitors to the login and back, and refuses the API and files with 401', async () => {
    const anon = new AdminClient(t.url);
    const page = await anon.request('/admin/queues', { headers: { accept: 'text/html' } });
    assert.equal(page.status, 303);
    assert.equal(page.location, '/forvaltning/logg-inn?neste=%2Fadmin%2Fqueues');
    for (const path of [
      '/admin/queues/api/queues',
      '/admin/queues/static/favicon.ico',
      '/admin/queues/queue/budbringer.compose',
    ]) {
      const r = await anon.get(path);
      assert.equal(r.status, 401, path);
      assert.doesNotMatch(r.text, /budbringer\.compose"|counts/, path);
    }
    const resume = await anon.request('/admin/queues/api/queues/budbringer.notify/resume', { method: 'PUT' });
    assert.equal(resume.status, 401);

    // Logging in with neste=/admin/queues lands on the board.
    const token = await anon.csrf('/forvaltning/logg-inn?neste=%2Fadmin%2Fqueues');
    const login = await anon.post(
      '/forvaltning/logg-inn',
      { brukernavn: 'admin', passord: PASSORD, neste: '/admin/queues' },
      token,
    );
    assert.equal(login.status, 303);
    assert.equal(login.location, '/admin/queues');
    assert.equal((await anon.get('/admin/queues/api/queues')).status, 200);
  });

  it('refuses local admins and sender-only users with 403', async () => {
    for (const user of ['lokal-a', 'sender-a']) {
      const client = await loggedIn(t.url, user);
      for (const path of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/favicon.ico']) {
        const r = await client.request(path, { headers: { accept: 'text/html' } });
        assert.equal(r.status, 403, `${user} ${path}`);
        assert.doesNotMatch(r.text, /budbringer\.compose|<base href/, `${user} ${path}`);
      }
      assert.equal(
        (await client.request('/admin/queues/api/queues/budbringer.notify/pause', { method: 'PUT' })).status,
        403,
        user,
      );
    }
    assert.equal(await t.node.storage.jobs.state('never'), undefined); // the queue still answers
  });

  it("gives admins a copy of the session at the board's path only, and expires one still held at the old Path=/", async () => {
    const admin = new AdminClient(t.url);
    const login = await admin.login('admin');
    assert.ok(
      login.setCookie.some(
        (c) => c.startsWith('budbringer_forvaltning=') && /Path=\/admin\/queues(;|$)/.test(c) && !/Max-Age=0/.test(c),
      ),
      login.setCookie.join(' | '),
    );
    assert.ok(
      login.setCookie.some((c) => c.startsWith('budbringer_forvaltning=') && /Path=\/forvaltning(;|$)/.test(c)),
      login.setCookie.join(' | '),
    );
    assert.ok(
      !login.setCookie.some((c) => /Path=\/(;|$)/.test(c) && !/Max-Age=0/.test(c)),
      login.setCookie.join(' | '),
    );
    const lokal = new AdminClient(t.url);
    const local = await lokal.login('lokal-a');
    assert.ok(
      !local.setCookie.some((c) => /Path=\/admin\/queues/.test(c) && !/Max-Age=0/.test(c)),
      local.setCookie.join(' | '),
    );
    // A browser holding the cookie of the version before (Path=/) sends it as well.
    const legacy = 'budbringer_forvaltning=ugyldig.gammel';
    const res = await fetch(`${t.url}/admin/queues/api/queues`, { headers: { cookie: `${admin.cookie}; ${legacy}` } });
    assert.equal(res.status, 200);
    const setCookie = res.headers.getSetCookie();
    assert.ok(
      setCookie.some((c) => /^budbringer_forvaltning=;/.test(c) && /Path=\/(;|$)/i.test(c) && /Max-Age=0/i.test(c)),
      setCookie.join(' | '),
    );
    assert.ok(
      setCookie.some(
        (c) => c.startsWith('budbringer_forvaltning=') && /Path=\/admin\/queues(;|$)/.test(c) && !/Max-Age=0/.test(c),
      ),
      setCookie.join(' | '),
    );
  });

  it('links the board in the menu of admins only', async () => {
    const admin = await loggedIn(t.url, 'admin');
    assert.match((await admin.get('/forvaltning/forsendelser')).text, /<a href="\/admin\/queues">Jobbkøer<\/a>/);
    const lokal = await loggedIn(t.url, 'lokal-a');
    assert.doesNotMatch((await lokal.get('/forvaltning/forsendelser')).text, /\/admin\/queues/);
  });

  it('takes changes only from this origin, and audits them', async () => {
    const admin = await loggedIn(t.url, 'admin');
    const foreign = await admin.request('/admin/queues/api/queues/budbringer.purge/pause', {
      method: 'PUT',
      headers: { origin: 'https://angriper.example' },
    });
    assert.equal(foreign.status, 403);
    const origin = new URL(t.url).origin;
    const paused = async (): Promise<boolean | undefined> => {
      const body = JSON.parse((await admin.get('/admin/queues/api/queues')).text) as {
        queues: { name: string; isPaused: boolean }[];
      };
      return body.queues.find((q) => q.name === 'budbringer.purge')?.isPaused;
    };
    assert.equal(await paused(), false);
    const pause = await admin.request('/admin/queues/api/queues/budbringer.purge/pause', {
      method: 'PUT',
      headers: { origin },
    });
    assert.equal(pause.status, 200, pause.text);
    assert.equal(await paused(), true);
    const resume = await admin.request('/admin/queues/api/queues/budbringer.purge/resume', {
      method: 'PUT',
      headers: { origin },
    });
    assert.equal(resume.status, 200, resume.text);
    assert.equal(await paused(), false);
    const log = await admin.get('/forvaltning/revisjonslogg');
    assert.match(log.text, /Endret jobbkøen \(køtavla\)/);
    assert.match(log.text, /\/api\/queues\/budbringer\.purge\/pause/);
  });
});

describe('without REDIS_URL', () => {
  it('has no board and no menu link', async () => {
    const t = await startAdminTestNode();
    try {
      await addUser(t, 'admin', 'admin');
      const admin = await loggedIn(t.url, 'admin');
      assert.equal((await admin.get('/admin/queues')).status, 404);
      assert.doesNotMatch((await admin.get('/forvaltning/forsendelser')).text, /\/admin\/queues/);
    } finally {
      await t.stop();
    }
  });
});
