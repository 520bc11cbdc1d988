/**
 * The receiving systems' pages of the admin web (issue #15): register one with a
 * certificate file, see its certificate, replace it, issue a new password (shown once);
 * a bad certificate is refused with a clear message and stores nothing; only admins.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestNode } from '../factories.js';
import { makeOpensslIdentity, OPENSSL, type OpensslIdentity } from '../support/openssl.js';
import { AdminClient, addUser, csrfIn, loggedIn, startAdminTestNode } from '../browser/support.js';

const ORG = '923456783';

describe('admin web: receiving systems (SvarInn)', () => {
  let t: TestNode;
  let admin: AdminClient;
  let first: OpensslIdentity;
  let second: OpensslIdentity;

  before(async () => {
    t = await startAdminTestNode([]);
    await t.sender('Adminkommune', ORG);
    await addUser(t, 'admin', 'admin');
    await addUser(t, 'lokal', 'local-admin', 'Adminkommune');
    admin = await loggedIn(t.url, 'admin');
    first = makeOpensslIdentity('/CN=Arkiv forste/O=Kommune', 1001);
    second = makeOpensslIdentity('/CN=Arkiv andre/O=Kommune', 1002);
  });
  after(async () => {
    first.cleanup();
    second.cleanup();
    await t.stop();
  });

  /** Posts a multipart form with the token in the action URL, as the page's form does. */
  const upload = async (
    path: string,
    page: string,
    fields: Record<string, string>,
    certFile?: string | Uint8Array<ArrayBuffer>,
    fileName = 'cert.pem',
  ) => {
    const token = csrfIn((await admin.get(page)).text);
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (certFile !== undefined)
      form.append('sertifikatfil', new Blob([certFile], { type: 'application/x-pem-file' }), fileName);
    return admin.request(`${path}?_csrf=${encodeURIComponent(token)}`, { method: 'POST', body: form });
  };

  it('registers a system from a certificate file, shows the password once and the certificate’s facts', async () => {
    const created = await upload(
      '/forvaltning/mottakersystemer',
      '/forvaltning/mottakersystemer',
      { navn: 'Sak/arkiv', orgnr: ORG, forsendelseType: '', niva: '4', epost: 'arkiv@kommune.no' },
      first.certificatePem,
    );
    assert.equal(created.status, 200, created.text);
    const id = /<code id="systemid">([0-9a-f-]{36})<\/code>/.exec(created.text)?.[1];
    const passord = /id="tjenestepassord">([^<]+)</.exec(created.text)?.[1];
    assert.ok(id && passord);
    const stored = await t.node.storage.mottakersystemer.get(id);
    assert.equal(stored?.navn, 'Sak/arkiv');
    assert.equal(stored?.niva, 4);
    assert.equal(stored?.forsendelseType, undefined);
    assert.ok(!JSON.stringify(stored).includes(passord), 'only a hash is stored');
    const list = await admin.get('/forvaltning/mottakersystemer');
    assert.match(list.text, /Sak\/arkiv/);
    assert.ok(!list.text.includes(passord), 'the password is never shown again');

    const page = await admin.get(`/forvaltning/mottakersystemer/${id}`);
    assert.equal(page.status, 200);
    const fingerprint = execFileSync(OPENSSL, ['x509', '-noout', '-fingerprint', '-sha256', '-in', first.certPath])
      .toString()
      .split('=')[1]
      ?.trim();
    assert.ok(fingerprint);
    assert.ok(page.text.includes(fingerprint), 'the SHA-256 fingerprint OpenSSL computes');
    assert.match(page.text, /CN=Arkiv forste/);
    assert.match(page.text, /3E9/i, 'the serial number (1001)');

    const replaced = await upload(
      `/forvaltning/mottakersystemer/${id}/sertifikat`,
      `/forvaltning/mottakersystemer/${id}`,
      {
        sertifikat: second.certificatePem,
      },
    );
    assert.equal(replaced.status, 303);
    const after = await admin.get(`/forvaltning/mottakersystemer/${id}?ok=sertifikat`);
    assert.match(after.text, /Sertifikatet er erstattet/);
    assert.match(after.text, /CN=Arkiv andre/);
    assert.equal((await t.node.storage.mottakersystemer.get(id))?.sertifikat.trim(), second.certificatePem.trim());

    const token = csrfIn(after.text);
    const rotated = await admin.post(`/forvaltning/mottakersystemer/${id}/nytt-passord`, { _csrf: token });
    assert.equal(rotated.status, 200);
    const nytt = /id="tjenestepassord">([^<]+)</.exec(rotated.text)?.[1];
    assert.ok(nytt && nytt !== passord);
    const svarinn = (pw: string) =>
      fetch(`${t.url}/tjenester/svarinn/mottaker/hentNyeForsendelser`, {
        headers: { authorization: `Basic ${Buffer.from(`${id}:${pw}`).toString('base64')}` },
      }).then((r) => r.status);
    assert.equal(await svarinn(nytt), 200);
    assert.equal(await svarinn(passord), 401, 'the old password stops working');
    const log = await t.node.storage.audit.list({ objekt: id, limit: 10, offset: 0 });
    assert.deepEqual(log.items.map((e) => e.handling).sort(), [
      'mottakersystem.nytt-passord',
      'mottakersystem.opprettet',
      'mottakersystem.sertifikat-erstattet',
    ]);
  });

  it('takes a binary DER certificate file (Windows’ «.cer» export) as the same certificate', async () => {
    const created = await upload(
      '/forvaltning/mottakersystemer',
      '/forvaltning/mottakersystemer',
      { navn: 'DER-arkiv', orgnr: ORG, forsendelseType: 'ks.der', niva: '4', epost: '' },
      first.certificatePem,
    );
    assert.equal(created.status, 200, created.text);
    const id = /<code id="systemid">([0-9a-f-]{36})<\/code>/.exec(created.text)?.[1] ?? '';
    const der = execFileSync(OPENSSL, ['x509', '-in', second.certPath, '-outform', 'DER']);
    assert.equal(der[0], 0x30, 'a DER SEQUENCE, not text');
    const replaced = await upload(
      `/forvaltning/mottakersystemer/${id}/sertifikat`,
      `/forvaltning/mottakersystemer/${id}`,
      {},
      new Uint8Array(der),
      'arkiv.cer',
    );
    assert.equal(replaced.status, 303, replaced.text);
    assert.equal((await t.node.storage.mottakersystemer.get(id))?.sertifikat.trim(), second.certificatePem.trim());
  });

  it('changes a system’s name, filters and contact; a refused change names the field and changes nothing', async () => {
    const created = await upload(
      '/forvaltning/mottakersystemer',
      '/forvaltning/mottakersystemer',
      { navn: 'Gammelt navn', orgnr: ORG, forsendelseType: 'Faktura', niva: '', epost: '' },
      first.certificatePem,
    );
    const id = /<code id="systemid">([0-9a-f-]{36})<\/code>/.exec(created.text)?.[1];
    assert.ok(id, created.text);
    const path = `/forvaltning/mottakersystemer/${id}`;
    const before = await t.node.storage.mottakersystemer.get(id);

    const changed = await admin.post(`${path}/opplysninger`, {
      _csrf: csrfIn((await admin.get(path)).text),
      navn: 'Nytt navn',
      forsendelseType: '',
      niva: '3',
      epost: 'kontakt@kommune.no',
    });
    assert.equal(changed.status, 303, changed.text);
    const stored = await t.node.storage.mottakersystemer.get(id);
    assert.deepEqual(
      [stored?.navn, stored?.forsendelseType, stored?.niva, stored?.epost],
      ['Nytt navn', undefined, 3, 'kontakt@kommune.no'],
    );
    assert.equal(stored?.passordHash, before?.passordHash, 'the password is kept');
    assert.equal(stored?.sertifikat, before?.sertifikat, 'the certificate is kept');
    const page = await admin.get(`${path}?ok=opplysninger`);
    assert.match(page.text, /Endringene er lagret/);
    assert.match(page.text, /value="kontakt@kommune.no"/);

    const refused = await admin.post(`${path}/opplysninger`, {
      _csrf: csrfIn(page.text),
      navn: 'Nytt navn',
      forsendelseType: 'ikke gyldig!',
      niva: '3',
      epost: 'kontakt@kommune.no',
    });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /Ugyldig forsendelsestype/);
    assert.match(refused.text, /value="ikke gyldig!"/, 'the form comes back as sent');
    assert.deepEqual(await t.node.storage.mottakersystemer.get(id), stored, 'nothing changed');
    const log = await t.node.storage.audit.list({ objekt: id, limit: 10, offset: 0 });
    assert.deepEqual(log.items.map((e) => e.handling).sort(), ['mottakersystem.endret', 'mottakersystem.opprettet']);
  });

  it('refuses an expired, a non-RSA, a sign-only and an unreadable certificate with a clear message, storing nothing', async () => {
    const ec = execFileSync(OPENSSL, [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      '/dev/null',
      '-days',
      '5',
      '-subj',
      '/CN=EC',
    ]).toString();
    const expired = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'expired-rsa-cert.pem'), 'utf8');
    // KeyUsage present without keyEncipherment: RSA key transport to it is not allowed (RFC 5280 §4.2.1.3).
    const signOnly = execFileSync(OPENSSL, [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '/dev/null', '-days', '5', '-subj', '/CN=Sign'],
      ...['-addext', 'keyUsage=critical,digitalSignature'],
    ]).toString();
    const cases: [string, RegExp][] = [
      [ec, /Ugyldig sertifikat: nøkkelen må være RSA \(fikk ec\)/],
      [signOnly, /Ugyldig sertifikat: nøkkelbruken \(KeyUsage\) mangler keyEncipherment/],
      [expired, /Ugyldig sertifikat: utløpt 20/],
      [
        '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
        /Ugyldig sertifikat: kan ikke leses som X\.509/,
      ],
      ['ikke et sertifikat', /Ugyldig sertifikat: fant ingen PEM-blokk/],
    ];
    const before = (await t.node.storage.mottakersystemer.list()).length;
    for (const [pem, message] of cases) {
      const r = await upload('/forvaltning/mottakersystemer', '/forvaltning/mottakersystemer', {
        navn: 'Avvist',
        orgnr: ORG,
        sertifikat: pem,
      });
      assert.equal(r.status, 400);
      assert.match(r.text, message);
      assert.match(r.text, /value="Avvist"/, 'typed values are kept');
    }
    assert.equal((await t.node.storage.mottakersystemer.list()).length, before);
  });

  it('is for admins only', async () => {
    const lokal = await loggedIn(t.url, 'lokal');
    assert.equal((await lokal.get('/forvaltning/mottakersystemer')).status, 403);
    assert.doesNotMatch((await lokal.get('/forvaltning/forsendelser')).text, /Mottakersystemer/);
    const [system] = await t.node.storage.mottakersystemer.list();
    assert.ok(system);
    const page = await lokal.get('/forvaltning/forsendelser');
    const changed = await lokal.post(`/forvaltning/mottakersystemer/${system.id}/opplysninger`, {
      _csrf: csrfIn(page.text),
      navn: 'Kapret',
      niva: '',
    });
    assert.equal(changed.status, 403);
    assert.notEqual((await t.node.storage.mottakersystemer.get(system.id))?.navn, 'Kapret');
  });
});
