/**
 * The recipient's page presents the sender (issue #18): the name from its cover page, the
 * contact line from the admin configuration, and the language the sender chose (bokmål,
 * nynorsk, English), which the recipient may change. The configuration form refuses a
 * contact line that is too long, naming the field.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, FNR, type Creds, type TestNode } from '../factories.js';
import {
  addUser,
  loggedIn,
  sendLetter,
  csrfIn,
  startAdminTestNode,
  waitForRecord,
  type AdminClient,
} from '../browser/support.js';
import { inboxLink } from '../support/outbox.js';

describe('inbox page: sender name, contact line and language', () => {
  let t: TestNode;
  let creds: Creds;
  let admin: AdminClient;
  before(async () => {
    t = await startAdminTestNode([{ fnr: FNR[0], epost: 'kari@example.no' }]);
    creds = await t.sender('profilkommune');
    await addUser(t, 'admin', 'admin');
    admin = await loggedIn(t.url, 'admin');
  });
  after(() => t.stop());

  it('configures the recipient page, and the page follows it; the recipient picks another language', async () => {
    const a = await t.node.storage.config.getAvsender('profilkommune');
    assert.ok(a);
    await t.node.storage.config.updateAvsender({ ...a, forside: { ...a.forside, navn: 'Profil kommune' } });
    const kontakt = 'Servicetorget, tlf. 22 00 00 00, postmottak@profil.kommune.no';
    const saved = await admin.post('/forvaltning/konfigurasjon/profilkommune/mottakerside', { kontakt, sprak: 'nn' });
    assert.equal(saved.status, 303);
    assert.equal(saved.location, '/forvaltning/konfigurasjon/profilkommune?ok=mottakerside#mottakerside');
    const config = await admin.get('/forvaltning/konfigurasjon/profilkommune?ok=mottakerside');
    assert.match(
      config.text,
      /<h2 id="mottakerside">Mottakersiden<\/h2><div class="melding melding-ok" role="status">Mottakersiden er lagret\.<\/div>/,
    );
    assert.match((await admin.get('/forvaltning/revisjonslogg')).text, /Endret mottakersiden/);

    const id = await sendLetter(t, creds, { tittel: 'Vedtak om plass i kulturskulen' });
    await waitForRecord(t, id, 'VARSLET');
    const outbox = join(t.dataDir, 'outbox');
    const link = await eventually(
      async () => {
        for (const f of (await readdir(outbox).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'))) {
          const raw = (await readFile(join(outbox, f), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
          const m = /http:\/\/127\.0\.0\.1:\d+(\/innboks\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(raw);
          if (m?.[1] !== undefined) return m[1];
        }
        return undefined;
      },
      15_000,
      'the notification',
    );
    // The notification is in the sender's language too (its texts were the defaults).
    const mails = await readdir(outbox);
    const body = Buffer.concat(
      await Promise.all(mails.filter((n) => n.endsWith('.eml')).map((f) => readFile(join(outbox, f)))),
    )
      .toString('latin1')
      .replace(/=\r?\n/g, '');
    const decoded = Buffer.from(
      body.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
    assert.match(decoded, /Du har fått eit brev frå Profil kommune\./);
    // The admin form shows the texts as they go out, in nynorsk (found in review: it showed
    // bokmål, so every edit began in bokmål and went out under lang="nn").
    const { DEFAULT_VARSLING, DEFAULT_VARSLING_SPRAK } = await import('../../src/channels/notify/index.js');
    const form = await admin.get('/forvaltning/konfigurasjon/profilkommune');
    assert.match(form.text, /Du har fått eit brev frå \{avsender\}\./);
    assert.doesNotMatch(form.text, /Du har fått et brev fra \{avsender\}\./);
    // Saved as shown, with only another field changed, they stay the default, which follows the language.
    const resaved = await admin.post('/forvaltning/konfigurasjon/profilkommune/varsling', {
      ...DEFAULT_VARSLING_SPRAK.nn,
      organisasjonEpost: 'post@profil.kommune.no',
    });
    assert.equal(resaved.status, 303);
    const stored = (await t.node.storage.config.getAvsender('profilkommune'))?.varsling;
    assert.deepEqual(stored, { ...DEFAULT_VARSLING, organisasjonEpost: 'post@profil.kommune.no' });
    const nn = await (await fetch(`${t.url}${link}`)).text();
    assert.match(nn, /<html lang="nn">/);
    assert.match(nn, /<dt>Frå<\/dt>\s*<dd id="avsender">Profil kommune<\/dd>/);
    assert.match(nn, new RegExp(`<dd id="kontakt">${kontakt.replace(/\./g, '\\.')}</dd>`));
    assert.match(nn, /registrert som lese, og då sender vi det ikkje på papir/);
    const en = await (await fetch(`${t.url}${link}?sprak=en`)).text();
    assert.match(en, /<html lang="en">/);
    assert.match(en, /<dt>From<\/dt>/);
    assert.match(en, /Download the letter \(PDF\)/);
    assert.match(en, /<a href="\?sprak=nb" lang="nb" hreflang="nb">Bokmål<\/a>/);
    const nb = await (await fetch(`${t.url}${link}?sprak=nb`)).text();
    assert.match(nb, /<dt>Fra<\/dt>/);
    assert.match(nb, /Last ned brevet \(PDF\)/);
  });

  it('shows the logo uploaded in the configuration; refuses a file that is no image, or only starts like one', async () => {
    const { createCanvas } = await import('@napi-rs/canvas');
    const canvas = createCanvas(160, 48);
    const g = canvas.getContext('2d');
    g.fillStyle = '#0a4a85';
    g.fillRect(0, 0, 160, 48);
    const png = new Uint8Array(await canvas.encode('png'));
    const upload = async (bytes: Uint8Array, name: string, type: string) => {
      const token = csrfIn((await admin.get('/forvaltning/konfigurasjon/profilkommune')).text);
      const form = new FormData();
      form.append('logo', new Blob([Buffer.from(bytes)], { type }), name);
      return admin.request(`/forvaltning/konfigurasjon/profilkommune/logo?_csrf=${encodeURIComponent(token)}`, {
        method: 'POST',
        body: form,
      });
    };
    const bad = await upload(new TextEncoder().encode('<svg onload="alert(1)"/>'), 'logo.svg', 'image/svg+xml');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Ugyldig logo: filen må være et PNG- eller JPEG-bilde/);
    // The PNG signature alone made HTML an "image/png" served to every recipient.
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    const forged = await upload(new Uint8Array([...png.subarray(0, 8), ...html]), 'logo.png', 'image/png');
    assert.equal(forged.status, 400);
    assert.match(forged.text, /Ugyldig logo: filen er ikke et gyldig PNG-bilde \(starter ikke med en IHDR-blokk/);
    assert.equal((await t.node.storage.config.getAvsender('profilkommune'))?.mottakerside?.logo, undefined);
    const ok = await upload(png, 'logo.png', 'image/png');
    assert.equal(ok.status, 303, ok.text.slice(0, 300));
    const link = await inboxLink(t.dataDir, 'the notification');
    const pageHtml = await (await fetch(`${t.url}${link}`)).text();
    const src = /<img class="logo" src="([^"]+)" alt="Profil kommune"/.exec(pageHtml)?.[1];
    assert.ok(src, 'the page shows the logo');
    const logo = await fetch(`${t.url}/innboks/${src}`);
    assert.equal(logo.status, 200);
    assert.equal(logo.headers.get('content-type'), 'image/png');
    assert.deepEqual(new Uint8Array(await logo.arrayBuffer()), png);
    // Saving the contact line keeps the logo.
    await admin.post('/forvaltning/konfigurasjon/profilkommune/mottakerside', { kontakt: 'Ny linje', sprak: 'nb' });
    assert.equal((await t.node.storage.config.getAvsender('profilkommune'))?.mottakerside?.logo?.mimetype, 'image/png');
  });

  it('keeps texts the sender wrote itself, whatever the language', async () => {
    const { varslingFor, DEFAULT_VARSLING } = await import('../../src/channels/notify/index.js');
    const a = await t.node.storage.config.getAvsender('profilkommune');
    assert.ok(a);
    const own = {
      ...a,
      varsling: { ...a.varsling, ...DEFAULT_VARSLING, smsTekst: 'Eige SMS frå {avsender}: {lenke}' },
    };
    const en = varslingFor({ ...own, mottakerside: { sprak: 'en' } });
    assert.equal(en.epostEmne, 'You have a letter from {avsender}');
    assert.equal(en.smsTekst, 'Eige SMS frå {avsender}: {lenke}');
    assert.deepEqual(varslingFor({ ...own, mottakerside: { sprak: 'nb' } }), own.varsling);
  });

  it('refuses a contact line over 200 characters and an unknown language, naming the fields', async () => {
    const r = await admin.post('/forvaltning/konfigurasjon/profilkommune/mottakerside', {
      kontakt: 'x'.repeat(201),
      sprak: 'sv',
    });
    assert.equal(r.status, 400);
    assert.match(r.text, /For lang kontaktlinje: høyst 200 tegn \(har 201\)/);
    assert.match(r.text, /Velg språk for mottakersiden: bokmål, nynorsk eller engelsk/);
  });
});

describe('inbox page: an expired link in the sender language', () => {
  let t: TestNode;
  before(async () => {
    // Links live 3 seconds here, long enough for the notification to go out.
    t = await startAdminTestNode([{ fnr: FNR[0], epost: 'kari@example.no' }], { INBOX_LINK_TTL: 'PT3S' });
  });
  after(() => t.stop());

  it('says the link has expired in the language the sender chose, and in the one the recipient picks', async () => {
    const creds = await t.sender('nynorskkommune');
    const a = await t.node.storage.config.getAvsender('nynorskkommune');
    assert.ok(a);
    await t.node.storage.config.updateAvsender({ ...a, mottakerside: { sprak: 'nn' } });
    const id = await sendLetter(t, creds, { tittel: 'Vedtak' });
    await waitForRecord(t, id, 'VARSLET');
    const link = await inboxLink(t.dataDir, 'the notification');
    const expired = await eventually(
      async () => {
        const res = await fetch(`${t.url}${link}`);
        return res.status === 410 ? res.text() : undefined;
      },
      15_000,
      'the link to expire',
    );
    assert.match(expired, /<html lang="nn">/);
    assert.match(expired, /Lenka har gått ut\./);
    assert.match(await (await fetch(`${t.url}${link}?sprak=en`)).text(), /The link has expired\./);
    // Another letter's expired link, altered, is no link: bokmål, and nothing about the letter.
    const forged = `${link.slice(0, -2)}${link.endsWith('AA') ? 'AB' : 'AA'}`;
    const invalid = await (await fetch(`${t.url}${forged}`)).text();
    assert.match(invalid, /<html lang="nb">/);
  });
});
