/**
 * The admin web's forms over HTTP: manual send with validation messages that name the
 * field, manual handling with a reason, resending a notification, configuration forms
 * (cover page, notification texts, print), the one-time service password, new avsendere,
 * and users and roles within a local admin's reach.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, FNR, letterPdf, ORGNR, restCall, type Creds, type TestNode } from '../factories.js';
import {
  AdminClient,
  addUser,
  csrfIn,
  loggedIn,
  sendLetter,
  startAdminTestNode,
  waitForRecord,
} from '../browser/support.js';

const DIGITAL = {
  postAdresse: { navn: 'Vera Varsel', adresse1: 'Nettveien 2', postNummer: '0150', postSted: 'Oslo' },
  digitalAdresse: { fodselsNummer: FNR[1] },
};

describe('admin web forms', () => {
  let t: TestNode;
  let creds: Creds;
  let admin: AdminClient;

  before(async () => {
    t = await startAdminTestNode([{ fnr: FNR[1], epost: 'vera@example.no' }]);
    creds = await t.sender('Skjemakommune', ORGNR);
    await t.sender('Fremmed kommune');
    await t.sender('Ålesund kommune');
    await addUser(t, 'admin', 'admin');
    await addUser(t, 'lokal', 'local-admin', 'Skjemakommune');
    admin = await loggedIn(t.url, 'admin');
  });
  after(() => t.stop());

  /** Posts the send form as multipart with the CSRF token in the action URL, like the page does. */
  const sendForm = async (
    client: AdminClient,
    fields: Record<string, string>,
    files: { name: string; bytes: Uint8Array }[],
  ) => {
    const token = csrfIn((await client.get('/forvaltning/send')).text);
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const f of files) form.append('filer', new Blob([Buffer.from(f.bytes)], { type: 'application/pdf' }), f.name);
    return client.request(`/forvaltning/send?_csrf=${encodeURIComponent(token)}`, { method: 'POST', body: form });
  };

  it('sends by hand and shows every broken rule next to its field', async () => {
    const bad = await sendForm(
      admin,
      { avsender: 'Skjemakommune', mottakerId: '12345', navn: '', postnr: '12', tittel: '' },
      [],
    );
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Skjemaet har feil/);
    assert.match(bad.text, /<a href="#mottakerId">Ugyldig mottaker-id/);
    assert.match(bad.text, /<a href="#filer">Mangler dokument/);
    const domain = await sendForm(
      admin,
      { avsender: 'Skjemakommune', navn: 'Ola', postnr: '12', poststed: 'Oslo', tittel: '' },
      [{ name: 'brev.pdf', bytes: await letterPdf() }],
    );
    assert.equal(domain.status, 400);
    assert.match(domain.text, /<a href="#tittel">Mangler tittel/);
    assert.match(domain.text, /<a href="#postnr">Ugyldig postnummer/);
    assert.match(domain.text, /value="Ola"/, 'typed values are kept');
    assert.equal(
      (await t.node.storage.readModel.search({ avsendere: ['Skjemakommune'], limit: 10, offset: 0 })).total,
      0,
    );

    const ok = await sendForm(
      admin,
      {
        avsender: 'Skjemakommune',
        navn: 'Ola Nordmann',
        adresse1: 'Gata 1',
        postnr: '5003',
        poststed: 'Bergen',
        tittel: 'Sendt for hånd',
        konteringskode: 'K-9',
        tosidig: 'ja',
        brevtype: 'APOST',
      },
      [{ name: 'vedtak.pdf', bytes: await letterPdf() }],
    );
    assert.equal(ok.status, 303);
    const id = /forsendelser\/([0-9a-f-]{36})\?ok=sendt/.exec(ok.location ?? '')?.[1];
    assert.ok(id);
    const detail = await admin.get(`/forvaltning/forsendelser/${id}?ok=sendt`);
    assert.match(detail.text, /Forsendelsen er mottatt og lagt i køen/);
    const state = await t.node.actors.state(id);
    assert.equal(state?.input.konteringskode, 'K-9');
    assert.deepEqual(state?.input.printkonfigurasjon, { tosidig: true, fargePrint: false, brevtype: 'APOST' });
    assert.equal(state?.dokumenter[0]?.filnavn, 'vedtak.pdf');
    // Same pipeline as REST: the avsender sees it through its own API.
    assert.equal((await restCall(t.url, creds, `/${id}/status`)).status, 200);
    await waitForRecord(t, id, 'SENDT_PRINT');
  });

  it('answers a page asked with a method it does not take 405 with Allow, after the login and CSRF checks', async () => {
    const wrong = await admin.post('/forvaltning/hjelp', {});
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD, OPTIONS');
    assert.match(wrong.text, /Metoden POST er ikke tillatt for \/forvaltning\/hjelp; bruk GET/);
    assert.equal((await admin.post('/forvaltning/finnes-ikke', {})).status, 404);
    // OPTIONS is a safe method: no CSRF token asked for, only Allow answered (found in review).
    const options = await admin.request('/forvaltning/hjelp', { method: 'OPTIONS' });
    assert.equal(options.status, 204);
    assert.equal(options.headers.get('allow'), 'GET, HEAD, OPTIONS');
  });

  it('marks a forsendelse MANUELT_HANDTERT only with a reason, and writes the reason in the history', async () => {
    const id = await sendLetter(t, creds, { tittel: 'Skal håndteres' });
    await waitForRecord(t, id, 'SENDT_PRINT');
    const empty = await admin.post(`/forvaltning/forsendelser/${id}/manuelt-handtert`, { grunn: '   ' });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /Oppgi en begrunnelse/);
    const ok = await admin.post(`/forvaltning/forsendelser/${id}/manuelt-handtert`, { grunn: 'Levert personlig' });
    assert.equal(ok.status, 303);
    await waitForRecord(t, id, 'MANUELT_HANDTERT');
    const page = await admin.get(`/forvaltning/forsendelser/${id}`);
    assert.match(page.text, /Manuelt håndtert av admin: Levert personlig/);
    const again = await admin.post(`/forvaltning/forsendelser/${id}/manuelt-handtert`, { grunn: 'To ganger' });
    assert.equal(again.status, 409);
    assert.match(again.text, /allerede manuelt håndtert/);
  });

  it('resends the notification with a fresh link, to the same address', async () => {
    const id = await sendLetter(t, creds, { tittel: 'Varsles igjen', mottaker: DIGITAL });
    await waitForRecord(t, id, 'VARSLET');
    const outbox = join(t.dataDir, 'outbox');
    const before = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    const r = await admin.post(`/forvaltning/forsendelser/${id}/varsle-pa-nytt`, {});
    assert.equal(r.status, 303);
    assert.equal(r.location, `/forvaltning/forsendelser/${id}?ok=varslet`);
    const added = (await readdir(outbox)).filter((f) => f.endsWith('.eml') && !before.includes(f));
    assert.equal(added.length, 1);
    const mail = await readFile(join(outbox, added[0] ?? ''), 'utf8');
    assert.match(mail, /vera@example\.no/);
    assert.match(mail, /P=C3=A5minnelse|Påminnelse/);
    assert.match(mail.replace(/=\r?\n/g, ''), /\/innboks\//);
    // The resend is in the letter's history, naming who resent it: in the admin web and through the avsender's API.
    const line = 'Varsel sendt på nytt til mottaker på e-post av admin';
    const page = await admin.get(`/forvaltning/forsendelser/${id}`);
    assert.ok(page.text.includes(line), 'the detail page shows the resend in the history');
    const hist = await restCall(t.url, creds, `/${id}/historikk`);
    assert.equal(hist.body.hendelsesLogger.at(-1).hendelse, line);
    assert.equal((await t.node.actors.state(id))?.status, 'VARSLET', 'a resend changes no status');
    const printed = await sendLetter(t, creds, { tittel: 'Aldri varslet' });
    await waitForRecord(t, printed, 'SENDT_PRINT');
    assert.equal((await admin.post(`/forvaltning/forsendelser/${printed}/varsle-pa-nytt`, {})).status, 409);
  });

  it('an organisation letter with no address to notify: the page says so and offers no resend', async () => {
    // Skjemakommune has no organisation e-mail: the letter waits in the inbox, nobody notified,
    // until its deadline sends it to print (a digital-only one would not be delivered at all).
    const id = await sendLetter(t, creds, {
      tittel: 'Til en organisasjon',
      mottaker: {
        postAdresse: { navn: 'Mottaker AS', adresse1: 'Gata 1', postNummer: '0155', postSted: 'Oslo' },
        digitalAdresse: { organisasjonsNummer: '910076787' },
      },
    });
    const state = await eventually(async () => {
      const s = await t.node.actors.state(id);
      return s?.varsletAt !== undefined ? s : undefined;
    });
    assert.deepEqual(state.varsletKanaler, [], 'recorded as notified on no channel');
    const page = await admin.get(`/forvaltning/forsendelser/${id}`);
    assert.match(page.text, /\(ingen varslingsadresse; venter i innboksen\)/);
    assert.doesNotMatch(page.text, /\d\d:\d\d:\d\d \(\)/, 'no empty list of channels');
    assert.doesNotMatch(page.text, /varsle-pa-nytt/, 'no resend that could only fail');
    assert.match(page.text, /Forsendelsen har ingen varslingsadresse, så det er ikke noe varsel å sende på nytt/);
    const r = await admin.post(`/forvaltning/forsendelser/${id}/varsle-pa-nytt`, {});
    assert.equal(r.status, 409);
    assert.match(r.text, /Forsendelsen har ingen varslingsadresse/);
  });

  it('a digital-only organisation letter with no address to notify is not delivered, and says why (was SENDT_DIGITALT for good)', async () => {
    const id = await sendLetter(t, creds, {
      tittel: 'Kun digitalt til en organisasjon',
      kunDigitalLevering: true,
      mottaker: {
        postAdresse: { navn: 'Mottaker AS', adresse1: 'Gata 1', postNummer: '0155', postSted: 'Oslo' },
        digitalAdresse: { organisasjonsNummer: '910076787' },
      },
    });
    await waitForRecord(t, id, 'IKKE_LEVERT');
    const status = await restCall(t.url, creds, `/${id}/status`);
    assert.equal(status.body.status, 'IKKE_LEVERT');
    const hist = await restCall(t.url, creds, `/${id}/historikk`);
    assert.ok(
      (hist.body.hendelsesLogger as { hendelse: string }[]).some((h) =>
        h.hendelse.includes('ingen varslingsadresse for virksomheter er satt opp'),
      ),
      JSON.stringify(hist.body),
    );
    assert.equal((await t.node.actors.state(id))?.varsletAt, undefined, 'never recorded as notified');
  });

  it('saves the cover page, notification texts and print provider, refusing invalid values with the field named', async () => {
    const base = '/forvaltning/konfigurasjon/Skjemakommune';
    const bad = await admin.post(`${base}/forside`, { forsideNavn: '', postnr: '12a', tekst: 'x' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Mangler navn på forsiden/);
    assert.match(bad.text, /Ugyldig postnummer: må være 4 siffer/);
    const ok = await admin.post(`${base}/forside`, {
      forsideNavn: 'Skjemakommune Oppvekst',
      adresselinje1: 'Rådhusgata 1',
      adresselinje2: '',
      postnr: '7010',
      poststed: 'Trondheim',
      tekst: 'Ny tekst på forsiden.',
    });
    assert.equal(ok.status, 303);
    const forside = (await t.node.storage.config.getAvsender('Skjemakommune'))?.forside;
    assert.deepEqual(forside, {
      navn: 'Skjemakommune Oppvekst',
      adresselinjer: ['Rådhusgata 1'],
      postnr: '7010',
      poststed: 'Trondheim',
      tekst: 'Ny tekst på forsiden.',
    });

    const noLink = await admin.post(`${base}/varsling`, {
      epostEmne: 'Brev',
      epostTekst: 'Hei',
      smsTekst: 'Hei {lenke}',
    });
    assert.equal(noLink.status, 400);
    assert.match(noLink.text, /E-postteksten må inneholde \{lenke\}/);
    assert.equal(
      (
        await admin.post(`${base}/varsling`, {
          epostEmne: 'Brev fra {avsender}',
          epostTekst: 'Les: {lenke}',
          smsTekst: 'Brev: {lenke}',
        })
      ).status,
      303,
    );
    assert.equal((await t.node.storage.config.getAvsender('Skjemakommune'))?.varsling.smsTekst, 'Brev: {lenke}');

    assert.equal((await admin.post(`${base}/print`, { leverandor: 'manual' })).status, 303);
    assert.equal((await t.node.storage.config.getAvsender('Skjemakommune'))?.print.leverandor, 'manual');
    assert.equal((await admin.post(`${base}/print`, { leverandor: 'ukjent' })).status, 400);
    await admin.post(`${base}/print`, { leverandor: 'filedrop' });
  });

  it('shows a new service password once; the old one stops working at once', async () => {
    const r = await admin.post('/forvaltning/konfigurasjon/Skjemakommune/tjenestepassord', {});
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'no-store', 'never cached');
    const passord = /<p class="engang" id="tjenestepassord">([^<]+)<\/p>/.exec(r.text)?.[1];
    assert.ok(passord && passord.length >= 40);
    assert.equal((await restCall(t.url, creds, '/forsendelseTyper')).status, 401, 'the old password is refused');
    assert.equal(
      (await restCall(t.url, { user: 'Skjemakommune', password: passord }, '/forsendelseTyper')).status,
      200,
    );
    creds = { user: 'Skjemakommune', password: passord };
    assert.doesNotMatch((await admin.get('/forvaltning/konfigurasjon/Skjemakommune')).text, new RegExp(passord));
  });

  it('lets an admin create an avsender (password shown once) and refuses a bad name', async () => {
    const bad = await admin.post('/forvaltning/konfigurasjon/ny-avsender', { navn: 'x', orgnr: '123' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Ugyldig navn/);
    const ok = await admin.post('/forvaltning/konfigurasjon/ny-avsender', { navn: 'Ny etat', orgnr: '' });
    assert.equal(ok.status, 200);
    const passord = /id="tjenestepassord">([^<]+)</.exec(ok.text)?.[1] ?? '';
    assert.equal((await restCall(t.url, { user: 'Ny etat', password: passord }, '/forsendelseTyper')).status, 200);
    const lokal = await loggedIn(t.url, 'lokal');
    assert.equal((await lokal.post('/forvaltning/konfigurasjon/ny-avsender', { navn: 'Lokal etat' })).status, 403);
  });

  it('lets a local admin add users to its own avsender but never an admin, nor take over another user', async () => {
    const lokal = await loggedIn(t.url, 'lokal');
    const base = '/forvaltning/konfigurasjon/Skjemakommune';
    const page = await lokal.get(base);
    assert.doesNotMatch(page.text, /<option value="admin"/);
    assert.equal(
      (
        await lokal.post(`${base}/brukere`, {
          nyttBrukernavn: 'ny-admin',
          nyttPassord: 'langt-nok-passord',
          rolle: 'admin',
        })
      ).status,
      403,
    );
    assert.equal(
      (
        await lokal.post(`${base}/brukere`, {
          nyttBrukernavn: 'admin',
          nyttPassord: 'langt-nok-passord',
          rolle: 'sender-only',
        })
      ).status,
      403,
    );
    assert.equal((await t.node.storage.config.getUser('admin'))?.rolle, 'admin', 'the admin is untouched');
    const short = await lokal.post(`${base}/brukere`, {
      nyttBrukernavn: 'skranke2',
      nyttPassord: 'kort',
      rolle: 'sender-only',
    });
    assert.equal(short.status, 400);
    assert.match(short.text, /For kort passord: minst 10 tegn/);
    assert.equal(
      (
        await lokal.post(`${base}/brukere`, {
          nyttBrukernavn: 'skranke2',
          nyttPassord: 'langt-nok-passord',
          rolle: 'sender-only',
        })
      ).status,
      303,
    );
    const user = await t.node.storage.config.getUser('skranke2');
    assert.equal(user?.rolle, 'sender-only');
    assert.equal(user?.avsender, 'Skjemakommune');
    assert.equal((await new AdminClient(t.url).login('skranke2', 'langt-nok-passord')).location, '/forvaltning/send');
    assert.equal(
      (
        await lokal.post('/forvaltning/konfigurasjon/Fremmed%20kommune/brukere', {
          nyttBrukernavn: 'x-bruker',
          nyttPassord: 'langt-nok-passord',
          rolle: 'sender-only',
        })
      ).status,
      404,
    );
    assert.equal((await lokal.post(`${base}/brukere/deaktiver`, { brukernavn: 'admin' })).status, 403);
  });

  it('after adding or deactivating a user of an avsender named with æ, ø or å, leads back to its page', async () => {
    const base = '/forvaltning/konfigurasjon/%C3%85lesund%20kommune';
    const added = await admin.post(`${base}/brukere`, {
      nyttBrukernavn: 'aalesund-skranke',
      nyttPassord: 'langt-nok-passord',
      rolle: 'sender-only',
    });
    assert.equal(added.status, 303, added.text.slice(0, 300));
    // c.req.path is decoded: the Location held a raw Latin-1 Å, and the browser landed on a 404.
    assert.equal(added.location, `${base}?ok=bruker#tilgang`);
    assert.equal((await admin.get(`${base}?ok=bruker`)).status, 200);
    const gone = await admin.post(`${base}/brukere/deaktiver`, { brukernavn: 'aalesund-skranke' });
    assert.equal(gone.status, 303);
    assert.equal(gone.location, `${base}?ok=deaktivert#tilgang`);
  });
});
