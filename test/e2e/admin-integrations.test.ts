/**
 * The admin web's integrations page over HTTP: an admin creates an integration with access
 * to an account (the password shown once, with integrasjonId and kontoId, and that works
 * against REST v3 at once), grants and revokes another account, and makes a new password;
 * every change is audited; a local admin may not see the page.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ORGNR, type TestNode } from '../factories.js';
import { addUser, loggedIn, startAdminTestNode, type AdminClient } from '../browser/support.js';
import { hostJwks, makeToken, testKey, type JwksHost, type TestKey } from './fiks-support.js';

const ISSUER = 'https://maskinporten.test/';

describe('admin web: integrations', () => {
  let dir: string;
  let t: TestNode;
  let key: TestKey;
  let jwks: JwksHost;
  let admin: AdminClient;
  let created: { id: string; passord: string; kontoId: string };

  const status = async (kontoId: string, passord = created.passord): Promise<number> => {
    const res = await fetch(`${t.url}/api/v3/kontoer/${kontoId}/forsendelser/status/sok`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await makeToken(key, { issuer: ISSUER })}`,
        IntegrasjonId: created.id,
        IntegrasjonPassord: passord,
        'content-type': 'application/json',
      },
      body: '{"id":[]}',
    });
    await res.arrayBuffer();
    return res.status;
  };
  const kontoId = async (navn: string): Promise<string> =>
    (await t.node.storage.config.getAvsender(navn))?.kontoId ?? '';
  const text = (html: string, id: string): string => {
    const m = new RegExp(`id="${id}"[^>]*>([^<]+)<`).exec(html);
    assert.ok(m?.[1], `${id} on the page`);
    return m[1].trim();
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-admin-fiks-'));
    key = await testKey('k');
    jwks = await hostJwks([key], dir);
    t = await startAdminTestNode([], { MASKINPORTEN_JWKS: jwks.url, MASKINPORTEN_ISSUER: ISSUER });
    await t.sender('Integrasjonskommune', ORGNR);
    await t.sender('Nabokommune');
    await addUser(t, 'admin', 'admin');
    await addUser(t, 'lokal', 'local-admin', 'Integrasjonskommune');
    admin = await loggedIn(t.url, 'admin');
  });
  after(async () => {
    await t.stop();
    await jwks.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates an integration; its password is shown once with integrasjonId and kontoId, and works', async () => {
    const page = await admin.get('/forvaltning/integrasjoner');
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(await kontoId('Integrasjonskommune')));
    const r = await admin.post('/forvaltning/integrasjoner/ny', { navn: 'Sak/arkiv', avsender: 'Integrasjonskommune' });
    assert.equal(r.status, 200, r.text.slice(0, 500));
    created = {
      id: text(r.text, 'integrasjonId'),
      passord: text(r.text, 'integrasjonPassord'),
      kontoId: text(r.text, 'kontoId'),
    };
    assert.equal(created.kontoId, await kontoId('Integrasjonskommune'));
    assert.equal(await status(created.kontoId), 200);
    const list = await admin.get('/forvaltning/integrasjoner');
    assert.match(list.text, new RegExp(created.id));
    assert.ok(!list.text.includes(created.passord), 'the password is never shown again');
  });

  it('refuses a bad name next to the field, and creates nothing', async () => {
    const before_ = (await t.node.storage.config.listIntegrasjoner()).length;
    const r = await admin.post('/forvaltning/integrasjoner/ny', { navn: 'x', avsender: '' });
    assert.equal(r.status, 400);
    assert.match(r.text, /Ugyldig navn på integrasjonen/);
    assert.equal((await t.node.storage.config.listIntegrasjoner()).length, before_);
  });

  it('grants and revokes another account', async () => {
    const nabo = await kontoId('Nabokommune');
    assert.equal(await status(nabo), 403);
    const g = await admin.post(`/forvaltning/integrasjoner/${created.id}/gi-tilgang`, { avsender: 'Nabokommune' });
    assert.equal(g.status, 303);
    assert.equal(await status(nabo), 200);
    const f = await admin.post(`/forvaltning/integrasjoner/${created.id}/fjern-tilgang`, { avsender: 'Nabokommune' });
    assert.equal(f.status, 303);
    assert.equal(await status(nabo), 403);
  });

  it('refuses to revoke an access the integration never had, and names it', async () => {
    const f = await admin.post(`/forvaltning/integrasjoner/${created.id}/fjern-tilgang`, { avsender: 'Nabokommune' });
    assert.equal(f.status, 400);
    assert.match(f.text, /har ikke tilgang til avsender «Nabokommune»: ingenting å fjerne/);
    const unknown = await admin.post(`/forvaltning/integrasjoner/${created.id}/fjern-tilgang`, {
      avsender: 'Finnesikke',
    });
    assert.equal(unknown.status, 404);
  });

  it('makes a new password: shown once, the old one stops at once', async () => {
    const r = await admin.post(`/forvaltning/integrasjoner/${created.id}/nytt-passord`, {});
    assert.equal(r.status, 200);
    const nytt = text(r.text, 'integrasjonPassord');
    assert.equal(await status(created.kontoId), 401);
    assert.equal(await status(created.kontoId, nytt), 200);
  });

  it('audits every change, never with a password', async () => {
    const log = await t.node.storage.audit.list({ objekt: created.id, limit: 50, offset: 0 });
    assert.deepEqual(log.items.map((e) => e.handling).sort(), [
      'integrasjon.nytt-passord',
      'integrasjon.opprettet',
      'integrasjon.tilgang-fjernet',
      'integrasjon.tilgang-gitt',
    ]);
    assert.ok(!JSON.stringify(log.items).includes(created.passord));
  });

  it('is for admins only', async () => {
    const lokal = await loggedIn(t.url, 'lokal');
    assert.equal((await lokal.get('/forvaltning/integrasjoner')).status, 403);
    assert.equal((await lokal.post(`/forvaltning/integrasjoner/${created.id}/nytt-passord`, {})).status, 403);
    assert.ok(!(await lokal.get('/forvaltning/forsendelser')).text.includes('/forvaltning/integrasjoner'));
  });

  it('authorises and removes the organisations that may call, warning when there are none (audited)', async () => {
    const r = await admin.post('/forvaltning/integrasjoner/ny', { navn: 'Nabosystem', avsender: 'Nabokommune' });
    assert.equal(r.status, 200, r.text.slice(0, 500));
    const nabo = { id: text(r.text, 'integrasjonId'), passord: text(r.text, 'integrasjonPassord') };
    const call = async (): Promise<number> => {
      const res = await fetch(`${t.url}/api/v3/kontoer/${await kontoId('Nabokommune')}/forsendelser/status/sok`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await makeToken(key, { issuer: ISSUER })}`,
          IntegrasjonId: nabo.id,
          IntegrasjonPassord: nabo.passord,
          'content-type': 'application/json',
        },
        body: '{"id":[]}',
      });
      await res.arrayBuffer();
      return res.status;
    };
    assert.equal(await call(), 403, 'Nabokommune has no orgnr, and none is authorised');
    assert.match((await admin.get('/forvaltning/integrasjoner')).text, /Ingen organisasjon er autorisert/);
    const path = `/forvaltning/integrasjoner/${nabo.id}`;
    assert.equal((await admin.post(`${path}/legg-til-organisasjon`, { orgnr: ORGNR })).status, 303);
    assert.equal(await call(), 200);
    const bad = await admin.post(`${path}/legg-til-organisasjon`, { orgnr: '123456789' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Ugyldig organisasjonsnummer: 123456789/);
    assert.equal((await admin.post(`${path}/fjern-organisasjon`, { orgnr: ORGNR })).status, 303);
    assert.equal(await call(), 403);
    const log = await t.node.storage.audit.list({ objekt: nabo.id, limit: 50, offset: 0 });
    assert.deepEqual(log.items.map((e) => e.handling).sort(), [
      'integrasjon.opprettet',
      'integrasjon.organisasjon-fjernet',
      'integrasjon.organisasjon-lagt-til',
    ]);
  });
});
