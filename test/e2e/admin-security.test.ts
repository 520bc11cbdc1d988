/**
 * The admin web's security (issue "Security tests"): nothing is reachable without login,
 * a local admin never sees another organisation's letters, every form needs a valid CSRF
 * token, sessions are HttpOnly/SameSite=Lax signed cookies that survive a restart, and
 * failed logins are throttled.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { letterPdf, ORGNR, type Creds, type TestNode } from '../factories.js';
import {
  AdminClient,
  addUser,
  csrfIn,
  loggedIn,
  PAPIRMOTTAKER,
  sendLetter,
  startAdminTestNode,
  useManualPrint,
  waitForRecord,
} from '../browser/support.js';

/** A second valid organisasjonsnummer (mod-11). */
const ORGNR_B = '921234562';

describe('admin web security', () => {
  let dir: string;
  let t: TestNode;
  let credsA: Creds;
  let credsB: Creds;
  let idA: string;
  let idB: string;
  const tittelB = `Hemmelig brev fra B ${Date.now()}`;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-admin-sec-'));
    t = await startAdminTestNode([], {}, join(dir, 'data'));
    credsA = await t.sender('Kommune A', ORGNR);
    credsB = await t.sender('Kommune B', ORGNR_B);
    await useManualPrint(t, 'Kommune B');
    await addUser(t, 'admin', 'admin');
    await addUser(t, 'lokal-a', 'local-admin', 'Kommune A');
    await addUser(t, 'sender-a', 'sender-only', 'Kommune A');
    idA = await sendLetter(t, credsA, { tittel: 'Vanlig brev fra A' });
    idB = await sendLetter(t, credsB, { tittel: tittelB, mottaker: PAPIRMOTTAKER });
    await waitForRecord(t, idA, 'SENDT_PRINT');
    await waitForRecord(t, idB, 'SENDT_PRINT');
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('answers every page and download without login with a redirect to the login page, and no data', async () => {
    const anon = new AdminClient(t.url);
    const paths = [
      '/forvaltning',
      '/forvaltning/forsendelser',
      `/forvaltning/forsendelser?tittel=${encodeURIComponent(tittelB)}`,
      `/forvaltning/forsendelser/${idB}`,
      `/forvaltning/forsendelser/${idB}/dokumenter/0`,
      `/forvaltning/forsendelser/${idB}/forsendelsesfil`,
      `/forvaltning/forsendelser/${idB}/printfil`,
      '/forvaltning/send',
      '/forvaltning/manuell-print',
      '/forvaltning/konfigurasjon',
      '/forvaltning/konfigurasjon/Kommune%20B',
      '/forvaltning/konfigurasjon/Kommune%20B/forside.pdf',
      '/forvaltning/statistikk',
      '/forvaltning/statistikk.csv',
      '/forvaltning/revisjonslogg',
      '/forvaltning/hjelp',
      '/forvaltning/noe-som-ikke-finnes',
    ];
    for (const path of paths) {
      const r = await anon.get(path);
      assert.equal(r.status, 303, path);
      assert.match(r.location ?? '', /^\/forvaltning\/logg-inn/, path);
      assert.doesNotMatch(r.text, new RegExp(`${idB}|Hemmelig|%PDF`), path);
    }
    // Unsafe requests without a session are refused before anything happens.
    const posts = [
      [`/forvaltning/forsendelser/${idB}/manuelt-handtert`, { grunn: 'x' }],
      ['/forvaltning/manuell-print/bunke.pdf', { utskrift: 'ensidig' }],
      ['/forvaltning/manuell-print/bekreft', { id: idB }],
      ['/forvaltning/konfigurasjon/Kommune%20B/tjenestepassord', {}],
    ] as const;
    for (const [path, fields] of posts) {
      const r = await anon.post(path, fields, null);
      assert.equal(r.status, 403, path);
      assert.doesNotMatch(r.text, /%PDF|tjenestepassordet er byttet/i, path);
    }
    assert.equal((await t.node.storage.readModel.get(idB))?.status, 'SENDT_PRINT');
    // The login page itself is public, and so are the stylesheet and the front page.
    assert.equal((await anon.get('/forvaltning/logg-inn')).status, 200);
    assert.equal((await anon.get('/forvaltning/static/forvaltning.css')).status, 200);
    const home = await anon.get('/');
    assert.equal(home.status, 200);
    assert.match(home.text, /href="\/forvaltning"/);
    assert.match(home.text, /ForsendelsesServiceV9\?wsdl/);
  });

  it('shows a local admin only its own organisation: search, detail, downloads, print queue, configuration, statistics', async () => {
    const lokal = await loggedIn(t.url, 'lokal-a');
    const list = await lokal.get('/forvaltning/forsendelser');
    assert.equal(list.status, 200);
    assert.match(list.text, /Vanlig brev fra A/);
    assert.doesNotMatch(list.text, /Hemmelig brev fra B/);
    const search = await lokal.get(
      `/forvaltning/forsendelser?tittel=Hemmelig&avsender=${encodeURIComponent('Kommune B')}`,
    );
    assert.doesNotMatch(search.text, /Hemmelig brev fra B/);
    assert.match(search.text, /Ingen forsendelser funnet/);
    const byId = await lokal.get(`/forvaltning/forsendelser?id=${idB}`);
    assert.match(byId.text, /Ingen forsendelser funnet/);
    assert.doesNotMatch(byId.text, new RegExp(`href="/forvaltning/forsendelser/${idB}"`));
    for (const path of [
      `/forvaltning/forsendelser/${idB}`,
      `/forvaltning/forsendelser/${idB}/dokumenter/0`,
      `/forvaltning/forsendelser/${idB}/forsendelsesfil`,
    ]) {
      const r = await lokal.get(path);
      assert.equal(r.status, 404, path);
      assert.doesNotMatch(r.text, /Hemmelig|%PDF/, path);
    }
    for (const path of [
      '/forvaltning/konfigurasjon/Kommune%20B',
      '/forvaltning/konfigurasjon/Kommune%20B/forside.pdf',
    ]) {
      assert.equal((await lokal.get(path)).status, 404, path);
    }
    assert.doesNotMatch((await lokal.get('/forvaltning/konfigurasjon')).text, /Kommune B/);
    assert.doesNotMatch((await lokal.get('/forvaltning/manuell-print')).text, /Hemmelig/);
    // Acting on B's letter is refused and changes nothing.
    assert.equal(
      (await lokal.post(`/forvaltning/forsendelser/${idB}/manuelt-handtert`, { grunn: 'forsøk' })).status,
      404,
    );
    const confirm = await lokal.post('/forvaltning/manuell-print/bekreft', { id: idB });
    assert.equal(confirm.status, 303);
    assert.equal(confirm.location, '/forvaltning/manuell-print?bekreftet=0');
    assert.equal((await t.node.storage.readModel.get(idB))?.status, 'SENDT_PRINT');
    // Asking for B's figures is refused, naming it (it once gave A's figures under B's name).
    const csv = await lokal.get(`/forvaltning/statistikk.csv?avsender=${encodeURIComponent('Kommune B')}`);
    assert.equal(csv.status, 400);
    assert.match(csv.text, /Ukjent avsender «Kommune B»/);
    assert.doesNotMatch(csv.text, /;Kommune B;/);
    const own = await lokal.get('/forvaltning/statistikk.csv');
    assert.equal(own.status, 200);
    assert.match(own.text, /Kommune A/);
    assert.doesNotMatch(own.text, /Kommune B/);
    assert.equal((await lokal.get('/forvaltning/revisjonslogg')).status, 403);
    // Sending as B is refused, before a letter exists.
    const form = new FormData();
    form.append('avsender', 'Kommune B');
    form.append('tittel', 'Forsøk');
    form.append('filer', new Blob([Buffer.from(await letterPdf())], { type: 'application/pdf' }), 'brev.pdf');
    const token = csrfIn((await lokal.get('/forvaltning/send')).text);
    const send = await lokal.request(`/forvaltning/send?_csrf=${encodeURIComponent(token)}`, {
      method: 'POST',
      body: form,
    });
    assert.equal(send.status, 403);
    // The admin sees both.
    const admin = await loggedIn(t.url, 'admin');
    assert.match((await admin.get(`/forvaltning/forsendelser/${idB}`)).text, /Hemmelig brev fra B/);
  });

  it('lets a sender-only user see the send form and nothing else', async () => {
    const sender = await loggedIn(t.url, 'sender-a');
    const send = await sender.get('/forvaltning/send');
    assert.equal(send.status, 200);
    assert.match(send.text, /Sendes som avsender <strong>Kommune A<\/strong>/);
    assert.doesNotMatch(send.text, /href="\/forvaltning\/forsendelser"/);
    for (const path of [
      '/forvaltning/forsendelser',
      `/forvaltning/forsendelser/${idA}`,
      `/forvaltning/forsendelser/${idA}/forsendelsesfil`,
      '/forvaltning/manuell-print',
      '/forvaltning/konfigurasjon',
      '/forvaltning/konfigurasjon/Kommune%20A',
      '/forvaltning/statistikk',
      '/forvaltning/revisjonslogg',
      '/forvaltning/hjelp',
    ]) {
      const r = await sender.get(path);
      assert.equal(r.status, 403, path);
      assert.doesNotMatch(r.text, /Vanlig brev fra A|%PDF/, path);
    }
  });

  it('refuses forms without a valid CSRF token: none, wrong, another session’s, or from another origin', async () => {
    const admin = await loggedIn(t.url, 'admin');
    const other = await loggedIn(t.url, 'admin');
    const path = `/forvaltning/forsendelser/${idA}/manuelt-handtert`;
    const good = await admin.csrf('/forvaltning/hjelp');
    for (const [what, token, headers] of [
      ['no token', null, {}],
      ['a wrong token', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', {}],
      ["another session's token", await other.csrf('/forvaltning/hjelp'), {}],
      ['another origin', good, { origin: 'https://angriper.example' }],
    ] as const) {
      const r = await admin.post(path, { grunn: 'CSRF-forsøk' }, token, headers);
      assert.equal(r.status, 403, what);
      assert.match(r.text, /CSRF/, what);
    }
    const config = await admin.post(
      '/forvaltning/konfigurasjon/Kommune%20A/forside',
      { forsideNavn: 'Hacket', tekst: 'x' },
      null,
    );
    assert.equal(config.status, 403);
    assert.notEqual((await t.node.storage.config.getAvsender('Kommune A'))?.forside.navn, 'Hacket');
    // Multipart: the token travels in the action URL; without it nothing is stored or sent.
    const form = new FormData();
    form.append('avsender', 'Kommune A');
    form.append('tittel', 'CSRF-sending');
    form.append('navn', 'X');
    form.append('filer', new Blob([Buffer.from(await letterPdf())], { type: 'application/pdf' }), 'brev.pdf');
    const send = await admin.request('/forvaltning/send', { method: 'POST', body: form });
    assert.equal(send.status, 403);
    const found = await t.node.storage.readModel.search({ tittel: 'CSRF-sending', limit: 5, offset: 0 });
    assert.equal(found.total, 0);
    // The letter is untouched; with the right token the same request works.
    assert.notEqual((await t.node.storage.readModel.get(idA))?.status, 'MANUELT_HANDTERT');
    const ok = await admin.post(path, { grunn: 'Levert på servicetorget' }, good);
    assert.equal(ok.status, 303);
    await waitForRecord(t, idA, 'MANUELT_HANDTERT');
  });

  // SameSite=Lax lets a link from another site carry the session: such a link must not make a
  // clerk's browser download a letter's file and write that download in the audit log.
  it('refuses a download started by a page of another site, writing nothing in the audit log', async () => {
    const admin = await loggedIn(t.url, 'admin');
    const downloads = async () =>
      (await t.node.storage.audit.list({ limit: 1000, offset: 0 })).items.filter(
        (e) => e.handling.endsWith('-lastet-ned') || e.handling === 'statistikk.eksportert',
      ).length;
    const before = await downloads();
    for (const path of [
      `/forvaltning/forsendelser/${idA}/dokumenter/0`,
      `/forvaltning/forsendelser/${idA}/printfil`,
      '/forvaltning/statistikk.csv',
    ]) {
      const r = await admin.request(path, { headers: { 'sec-fetch-site': 'cross-site' } });
      assert.equal(r.status, 403, path);
      assert.match(r.text, /lenken kom fra et annet nettsted/, path);
      assert.doesNotMatch(r.text, /%PDF/, path);
    }
    assert.equal(await downloads(), before, 'no download in the audit log');
    for (const site of ['same-origin', 'none']) {
      const r = await admin.request(`/forvaltning/forsendelser/${idA}/dokumenter/0`, {
        headers: { 'sec-fetch-site': site },
      });
      assert.equal(r.status, 200, site);
    }
    assert.equal(await downloads(), before + 2);
  });

  it('keeps the session in an HttpOnly, SameSite=Lax signed cookie; a forged one is a logged-out visitor', async () => {
    const client = new AdminClient(t.url);
    const r = await client.login('admin');
    const cookie = r.setCookie.find((c) => c.startsWith('budbringer_forvaltning='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    // Scoped to the admin web (issue #13); the job-queue board gets its own copy (test/e2e/queue-board.test.ts).
    assert.match(cookie, /Path=\/forvaltning(;|$)/i);
    assert.equal((await client.get('/forvaltning/forsendelser')).status, 200);
    const [name, value] = client.cookie.split('=') as [string, string];
    const [body, mac] = value.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const forged = new AdminClient(t.url);
    forged.cookie = `${name}=${Buffer.from(JSON.stringify({ ...claims, user: 'lokal-a' })).toString('base64url')}.${mac}`;
    const answer = await forged.get('/forvaltning/forsendelser');
    assert.equal(answer.status, 303);
    assert.match(answer.location ?? '', /logg-inn/);
  });

  it('throttles failed logins: after five wrong passwords even the right one is refused for a while', async () => {
    await addUser(t, 'gjettes', 'admin');
    const client = new AdminClient(t.url);
    for (let i = 0; i < 5; i++) assert.equal((await client.login('gjettes', `feil-passord-${i}`)).status, 401);
    const blocked = await client.login('gjettes');
    assert.equal(blocked.status, 429);
    assert.match(blocked.text, /For mange mislykkede innlogginger/);
    // Another user from the same address is not locked by these five.
    assert.equal((await client.login('admin')).status, 303);
  });

  it('reads a login form strictly and keeps control and direction characters out of the audit log', async () => {
    const client = new AdminClient(t.url);
    const token = await client.csrf('/forvaltning/logg-inn');
    const raw = (brukernavn: string) =>
      client.request('/forvaltning/logg-inn', {
        method: 'POST',
        body: `_csrf=${encodeURIComponent(token)}&brukernavn=${brukernavn}&passord=x`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    // Percent-encoded bytes that are no UTF-8, and a lone surrogate: refused, nothing logged.
    for (const bad of ['%FF%FE', `${'a'.repeat(10)}%ED%A0%BD`, 'ola%']) {
      const r = await raw(bad);
      assert.equal(r.status, 400, bad);
      assert.match(r.text, /prosentkoding som ikke er gyldig UTF-8/, bad);
    }
    const r = await raw('%1B%5B31m%0D%0Afalsk%E2%80%AE');
    assert.equal(r.status, 401);
    const { items } = await t.node.storage.audit.list({ handling: 'innlogging.feilet', limit: 500, offset: 0 });
    const logged = items.map((e) => e.bruker ?? '');
    assert.ok(logged.includes('\\u001b[31m\\u000d\\u000afalsk\\u202e'), logged.join(' | '));
    assert.ok(
      logged.every((b) => !/[\u0000-\u001f\u202e\ufffd]/.test(b)),
      'no control, direction or replacement character',
    );
  });

  it('counts wrong passwords sent all at once: no more than five are tried', async () => {
    await addUser(t, 'parallell', 'admin');
    const statuses = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => (await new AdminClient(t.url).login('parallell', `feil-${i}`)).status),
    );
    assert.equal(
      statuses.filter((s) => s === 401).length,
      5,
      `five tried, the rest refused untried: ${statuses.join(',')}`,
    );
    assert.equal(statuses.filter((s) => s === 429).length, 7);
  });

  it('ends sessions of a user whose password changes or who is deactivated', async () => {
    await addUser(t, 'bytter', 'admin');
    const client = await loggedIn(t.url, 'bytter');
    assert.equal((await client.get('/forvaltning/forsendelser')).status, 200);
    await addUser(t, 'bytter', 'admin'); // a new password hash (new salt)
    assert.equal((await client.get('/forvaltning/forsendelser')).status, 303);

    const admin = await loggedIn(t.url, 'admin');
    const lokal = await loggedIn(t.url, 'lokal-a');
    const deactivate = await admin.post('/forvaltning/konfigurasjon/Kommune%20A/brukere/deaktiver', {
      brukernavn: 'lokal-a',
    });
    assert.equal(deactivate.status, 303);
    assert.equal((await lokal.get('/forvaltning/forsendelser')).status, 303);
    assert.equal((await new AdminClient(t.url).login('lokal-a')).status, 401);
  });
});

describe('admin web across a restart', () => {
  it('keeps the session and the audit log when the node restarts on the same DATA_DIR', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'budbringer-admin-restart-'));
    const dataDir = join(dir, 'data');
    try {
      let t = await startAdminTestNode([], {}, dataDir);
      await t.sender('Omstartkommune', ORGNR);
      await addUser(t, 'admin', 'admin');
      const client = await loggedIn(t.url, 'admin');
      const saved = await client.post('/forvaltning/konfigurasjon/Omstartkommune/print', { leverandor: 'manual' });
      assert.equal(saved.status, 303);
      await t.stop();

      t = await startAdminTestNode([], {}, dataDir);
      const restarted = new AdminClient(t.url);
      restarted.cookie = client.cookie;
      const log = await restarted.get('/forvaltning/revisjonslogg');
      assert.equal(log.status, 200, 'the session cookie still works');
      assert.match(log.text, /Endret printleverandør/);
      assert.match(log.text, /filedrop → manual/);
      assert.match(log.text, /Logget inn/);
      await t.stop();
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    }
  });
});
