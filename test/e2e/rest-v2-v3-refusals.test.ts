/**
 * REST v2/v3 refusals: every token problem, a wrong integration password, an account
 * without a grant, another account's letter and a v3 person letter to an organisation each
 * get a clear refusal in the Fiks error shape (validated against KS's OpenAPI with ajv) and
 * change nothing. Another account's letter answers exactly like an unknown id.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createIntegrasjon,
  rotateIntegrasjonPassord,
  setOrganisasjon,
  setTilgang,
} from '../../src/app/fiks/integrasjoner.js';
import { FNR, letterPdf, ORGNR, startTestNode, type TestNode } from '../factories.js';
import {
  FiksClient,
  hostJwks,
  makeToken,
  OpenApiChecker,
  testKey,
  TOKEN_ORGNR,
  type FiksAnswer,
  type JwksHost,
  type TestKey,
} from './fiks-support.js';

const ISSUER = 'https://test.maskinporten.no/';
const STATUS_V3 = 'forsendelse-status-api-v3.json';
const SOK = '/v3/kontoer/{kontoId}/forsendelser/status/sok';

describe('REST v2/v3 refusals', () => {
  const spec = new OpenApiChecker();
  let dir: string;
  let t: TestNode;
  let key: TestKey;
  let otherKey: TestKey;
  let jwks: JwksHost;
  let kontoA: string;
  let kontoB: string;
  let a: { id: string; passord: string };
  let b: { id: string; passord: string };
  let letterB: string;

  /** A status search on `konto` with these credentials; the answer checked against the spec. */
  async function sok(
    konto: string,
    auth: { token: string; integrasjonId?: string; passord?: string },
    id: string[] = [],
  ): Promise<FiksAnswer> {
    const client = new FiksClient(t.url, async () =>
      auth.integrasjonId === undefined
        ? { token: auth.token }
        : { token: auth.token, integrasjonId: auth.integrasjonId, passord: auth.passord ?? '' },
    );
    const r = await client.call('POST', `/api/v3/kontoer/${konto}/forsendelser/status/sok`, { id });
    spec.check(STATUS_V3, 'POST', SOK, r.status, r.json);
    return r;
  }

  const good = (): Promise<string> => makeToken(key, { issuer: ISSUER });
  const asA = async (): Promise<{ token: string; integrasjonId: string; passord: string }> => ({
    token: await good(),
    integrasjonId: a.id,
    passord: a.passord,
  });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-fiks-refusals-'));
    key = await testKey('mp-1');
    // Another key under the same kid: its signatures must not pass.
    otherKey = await testKey('mp-1');
    jwks = await hostJwks([key], dir);
    t = await startTestNode({ MASKINPORTEN_JWKS: jwks.url, MASKINPORTEN_ISSUER: ISSUER });
    await t.sender('Kommune A', ORGNR);
    await t.sender('Kommune B');
    const config = t.node.storage.config;
    kontoA = (await config.getAvsender('Kommune A'))?.kontoId ?? '';
    kontoB = (await config.getAvsender('Kommune B'))?.kontoId ?? '';
    const ia = await createIntegrasjon(config, {
      navn: 'A-system',
      avsender: 'Kommune A', // its orgnr is the tokens' organisation: authorised by that alone
      now: Date.now(),
    });
    const ib = await createIntegrasjon(config, {
      navn: 'B-system',
      avsender: 'Kommune B',
      organisasjoner: [TOKEN_ORGNR],
      now: Date.now(),
    });
    a = { id: ia.integrasjon.id, passord: ia.passord };
    b = { id: ib.integrasjon.id, passord: ib.passord };
    const clientB = new FiksClient(t.url, async () => ({
      token: await good(),
      integrasjonId: b.id,
      passord: b.passord,
    }));
    const sent = await clientB.send(
      `/api/v3/kontoer/${kontoB}/forsendelser/print`,
      {
        tittel: 'B sitt brev',
        mottaker: { navn: 'Kari', adresse: { adresselinje1: 'Gata 1', postnummer: '0155', poststed: 'Oslo' } },
        dokumenter: [{ filnavn: 'b.pdf', mimeType: 'application/pdf' }],
      },
      [{ filename: 'b.pdf', bytes: await letterPdf(), mimeType: 'application/pdf' }],
      true,
    );
    assert.equal(sent.status, 200, JSON.stringify(sent.json));
    letterB = sent.json.id;
  });

  after(async () => {
    await t.stop();
    await jwks.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts the good token and integration (the baseline)', async () => {
    assert.equal((await sok(kontoA, await asA())).status, 200);
  });

  it('accepts the token of the organisation of an avsender the integration acts for, with no organisation of its own', async () => {
    assert.equal((await t.node.storage.config.getIntegrasjon(a.id))?.organisasjoner, undefined);
    assert.equal((await sok(kontoA, await asA())).status, 200);
  });

  it('refuses a token of an organisation not authorised for the integration, until it is (KS: org.nr i JWT-en må være autorisert)', async () => {
    const other = async (): Promise<{ token: string; integrasjonId: string; passord: string }> => ({
      ...(await asA()),
      token: await makeToken(key, { issuer: ISSUER, consumer: '910076787' }),
    });
    const refused = await sok(kontoA, await other());
    assert.equal(refused.status, 403, JSON.stringify(refused.json));
    assert.match(
      JSON.stringify(refused.json),
      /Organisasjon 910076787 \(consumer i Maskinporten-tokenet\) er ikke autorisert/,
    );
    const config = t.node.storage.config;
    await setOrganisasjon(config, { integrasjonId: a.id, orgnr: '910076787', autorisert: true });
    assert.equal((await sok(kontoA, await other())).status, 200);
    await setOrganisasjon(config, { integrasjonId: a.id, orgnr: '910076787', autorisert: false });
    assert.equal((await sok(kontoA, await other())).status, 403, 'no longer authorised: refused at once');
    const none = await sok(kontoA, {
      ...(await asA()),
      token: await makeToken(key, { issuer: ISSUER, consumer: null }),
    });
    assert.equal(none.status, 403, JSON.stringify(none.json));
    assert.match(JSON.stringify(none.json), /mangler consumer/);
    // Present but not ISO 6523 0192 (the organisation number alone, another scheme): said so, not "missing".
    for (const consumerId of ['974760673', '9908:974760673']) {
      const malformed = await sok(kontoA, {
        ...(await asA()),
        token: await makeToken(key, { issuer: ISSUER, consumerId }),
      });
      assert.equal(malformed.status, 403, JSON.stringify(malformed.json));
      assert.equal(
        malformed.json.message,
        `consumer.ID i Maskinporten-tokenet må være «0192:» og et organisasjonsnummer på 9 siffer (fikk «${consumerId}»)`,
      );
    }
  });

  it('refuses a status search with an id that is no UUID, naming it, instead of answering as if unknown', async () => {
    const r = await sok(kontoA, await asA(), ['abc', '3f0e9d6c-8e5e-4c9a-9d3b-1a2b3c4d5e6f']);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.match(String(r.json.errorJson), /id\[0\].*må være en UUID \(fikk «abc»\)/);
    const v2 = await new FiksClient(t.url, asA).call('POST', `/api/v2/kontoer/${kontoA}/forsendelser/status-sok`, {
      forsendelseIds: ['not-a-uuid'],
    });
    assert.equal(v2.status, 400, JSON.stringify(v2.json));
    assert.match(String(v2.json.errorJson), /forsendelseIds\[0\]/);
  });

  it('refuses a token issued an hour ahead of the clock, and takes one issued 30 s ahead (clock skew)', async () => {
    const ahead = (issuedIn: number) => makeToken(key, { issuer: ISSUER, expiresIn: 7200, issuedIn });
    const r = await sok(kontoA, { ...(await asA()), token: await ahead(3600) });
    assert.equal(r.status, 401, JSON.stringify(r.json));
    assert.match(r.json.message, /utstedt fram i tid/);
    assert.equal((await sok(kontoA, { ...(await asA()), token: await ahead(30) })).status, 200);
  });

  it('takes a token expired 30 s ago and one valid from 30 s ahead (clock skew, as for iat), and refuses them an hour off', async () => {
    // KS's clients reuse a token until about 10 s before exp by their own clock: a node whose
    // clock runs ahead refused the last seconds of every token (found in review).
    const expired = (expiresIn: number) => makeToken(key, { issuer: ISSUER, expiresIn });
    assert.equal((await sok(kontoA, { ...(await asA()), token: await expired(-30) })).status, 200);
    const notYet = (notBeforeIn: number) => makeToken(key, { issuer: ISSUER, expiresIn: 7200, notBeforeIn });
    assert.equal((await sok(kontoA, { ...(await asA()), token: await notYet(30) })).status, 200);
    const late = await sok(kontoA, { ...(await asA()), token: await notYet(3600) });
    assert.equal(late.status, 401, JSON.stringify(late.json));
    assert.equal(late.json.message, 'Ugyldig token: tokenet er ikke gyldig ennå (nbf)');
  });

  it('refuses an expired token', async () => {
    // Expired by more than the clock skew taken (CLOCK_LEEWAY_S); 30 s, as before, is within it.
    const r = await sok(kontoA, {
      ...(await asA()),
      token: await makeToken(key, { issuer: ISSUER, expiresIn: -3600 }),
    });
    assert.equal(r.status, 401);
    assert.equal(r.json.errorCode, 'UGYLDIG_TOKEN');
    assert.match(r.json.message, /utløpt/);
  });

  it('refuses a token without scope ks:fiks', async () => {
    const token = await makeToken(key, { issuer: ISSUER, scope: 'ks:annet digdir:dpi' });
    const r = await sok(kontoA, { ...(await asA()), token });
    assert.equal(r.status, 401);
    assert.match(r.json.message, /scope ks:fiks/);
  });

  it('refuses a token signed by another key (same kid)', async () => {
    const r = await sok(kontoA, { ...(await asA()), token: await makeToken(otherKey, { issuer: ISSUER }) });
    assert.equal(r.status, 401);
    assert.match(r.json.message, /signaturen/);
  });

  it('refuses a token from another issuer, a malformed one and none', async () => {
    const other = await sok(kontoA, { ...(await asA()), token: await makeToken(key, { issuer: 'https://evil/' }) });
    assert.equal(other.status, 401);
    assert.match(other.json.message, /utstederen/);
    const malformed = await sok(kontoA, { ...(await asA()), token: 'ikke.et.token' });
    assert.equal(malformed.status, 401);
    assert.equal(malformed.json.message, 'Ugyldig token: tokenet er ikke en gyldig JWT');
    // An unsigned token (alg none): named as such, not by a library's error code.
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ iss: ISSUER, scope: 'ks:fiks', exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString('base64url')}.`;
    const none = await sok(kontoA, { ...(await asA()), token: unsigned });
    assert.equal(none.status, 401);
    assert.match(none.json.message, /^Ugyldig token: tokenet er signert med en algoritme nøklene ikke tillater/);
    const res = await fetch(`${t.url}/api/v3/kontoer/${kontoA}/forsendelser/status/sok`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', IntegrasjonId: a.id, IntegrasjonPassord: a.passord },
      body: '{"id":[]}',
    });
    const json = await res.json();
    spec.check(STATUS_V3, 'POST', SOK, res.status, json);
    assert.equal(res.status, 401);
    assert.match((json as { message: string }).message, /Bearer/);
  });

  it("refuses a valid token with another integration's password", async () => {
    const r = await sok(kontoA, { token: await good(), integrasjonId: a.id, passord: b.passord });
    assert.equal(r.status, 401);
    assert.match(r.json.message, /IntegrasjonPassord/);
    const unknown = await sok(kontoA, { token: await good(), integrasjonId: randomUUID(), passord: a.passord });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.json.message, r.json.message, 'an unknown integration answers like a wrong password');
  });

  it('refuses an account the integration has no grant for, and an unknown account, alike (403)', async () => {
    const r = await sok(kontoB, await asA(), [letterB]);
    assert.equal(r.status, 403);
    assert.match(r.json.message, /har ikke tilgang til konto/);
    const unknown = await sok(randomUUID(), await asA());
    assert.equal(unknown.status, 403);
    assert.equal(unknown.json.errorCode, r.json.errorCode);
  });

  it('refuses an account id that is no UUID (the OpenAPI files type it so) with 400, naming kontoId', async () => {
    const r = await sok('abc', await asA(), [letterB]);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.match(String(r.json.errorJson), /"kontoId":"Ugyldig kontoId: kontoId må være en UUID \(fikk «abc»\)"/);
    // A grant it has, in capitals, is still the same account.
    const upper = await sok(kontoA.toUpperCase(), await asA(), [letterB]);
    assert.equal(upper.status, 200, JSON.stringify(upper.json));
  });

  it("answers another account's letter exactly like an unknown id (404), for every id operation", async () => {
    const client = new FiksClient(t.url, asA);
    const unknown = randomUUID();
    const ops: [string, string, unknown?][] = [
      ['GET', 'hendelser'],
      ['GET', 'signeringshendelser'],
      ['GET', 'metadata'],
      ['GET', 'dokumenter/0'],
      ['POST', 'lest', { fnr: FNR[0], tidspunkt: '2026-01-01T10:00:00+01:00' }],
      ['DELETE', 'dokumenter'],
    ];
    for (const [method, op, body] of ops) {
      const foreign = await client.call(method, `/api/v2/forsendelser/${letterB}/${op}`, body);
      const missing = await client.call(method, `/api/v2/forsendelser/${unknown}/${op}`, body);
      assert.equal(foreign.status, 404, `${method} ${op}`);
      const strip = (j: Record<string, unknown>): unknown => ({
        ...j,
        errorId: 0,
        timestamp: 0,
        path: 0,
        originalPath: 0,
      });
      assert.deepEqual(strip(foreign.json), strip(missing.json), `${method} ${op}`);
    }
    // A status search on A's own account leaves B's letter out, as an unknown id.
    const s = await sok(kontoA, await asA(), [letterB, unknown]);
    assert.deepEqual(s.json, { statuser: [] });
    // B's letter is untouched: its documents are still there for B.
    const clientB = new FiksClient(t.url, async () => ({
      token: await good(),
      integrasjonId: b.id,
      passord: b.passord,
    }));
    const meta = await clientB.call('GET', `/api/v2/forsendelser/${letterB}/metadata`);
    assert.equal((await clientB.call('GET', meta.json.dokumenter[0].nedlasningUrl)).status, 200);
  });

  it('refuses a v2 lest without a real tidspunkt or fnr, naming the v2 field, and the letter stays unread', async () => {
    const clientB = new FiksClient(t.url, async () => ({
      token: await good(),
      integrasjonId: b.id,
      passord: b.passord,
    }));
    const bodies: [unknown, string][] = [
      [{ fnr: FNR[0] }, 'tidspunkt'],
      [{ fnr: FNR[0], tidspunkt: 12345 }, 'tidspunkt'],
      [{ fnr: FNR[0], tidspunkt: '1' }, 'tidspunkt'],
      [{ fnr: FNR[0], tidspunkt: 'Tue Mar 1 2022' }, 'tidspunkt'],
      [{ fnr: FNR[0], tidspunkt: '2099-01-01T00:00:00Z' }, 'tidspunkt'],
      // format: date-time (RFC 3339): a bare date, or a time without its offset, is not one.
      [{ fnr: FNR[0], tidspunkt: '2026-01-01' }, 'tidspunkt'],
      [{ fnr: FNR[0], tidspunkt: '2026-01-01T12:00:00' }, 'tidspunkt'],
      // Hours run 00–23 (xsd's 24:00:00 is not RFC 3339; found in review).
      [{ fnr: FNR[0], tidspunkt: '2026-01-01T24:00:00Z' }, 'tidspunkt'],
      [{ fnr: '123', tidspunkt: '2026-01-01T10:00:00+01:00' }, 'fnr'],
      [{ fnr: FNR[0], tidspunkt: '0001-01-01T00:00:00Z' }, 'tidspunkt'],
      [
        { fnr: FNR[0], tidspunkt: '2026-01-01T10:00:00+01:00', eksterntSystemnavn: 'x'.repeat(200_000) },
        'eksterntSystemnavn',
      ],
      [
        { fnr: FNR[0], tidspunkt: '2026-01-01T10:00:00+01:00', eksterntSystemnavn: 'a\u001b[31m' },
        'eksterntSystemnavn',
      ],
    ];
    for (const [body, field] of bodies) {
      const r = await clientB.call('POST', `/api/v2/forsendelser/${letterB}/lest`, body);
      spec.check('forsendelse-lest-api-v2.json', 'POST', '/v2/forsendelser/{forsendelseId}/lest', r.status, r.json);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual(Object.keys(JSON.parse(r.json.errorJson)), [field], JSON.stringify(body));
    }
    const s = await sok(kontoB, { token: await good(), integrasjonId: b.id, passord: b.passord }, [letterB]);
    assert.notEqual(s.json.statuser[0].status, 'LEST');
  });

  it('refuses a forsendelseId in the path that is no UUID with 400 naming it, on every id operation', async () => {
    const client = new FiksClient(t.url, asA);
    for (const [method, path, body] of [
      ['GET', '/api/v2/forsendelser/ikke-en-uuid/hendelser'],
      ['GET', '/api/v2/forsendelser/ikke-en-uuid/signeringshendelser'],
      ['GET', '/api/v2/forsendelser/ikke-en-uuid/metadata'],
      ['POST', '/api/v2/forsendelser/ikke-en-uuid/lest', { fnr: FNR[0], tidspunkt: '2026-01-01T10:00:00+01:00' }],
      ['DELETE', '/api/v2/forsendelser/ikke-en-uuid/dokumenter'],
    ] as const) {
      const r = await client.call(method, path, body);
      assert.equal(r.status, 400, `${method} ${path}: ${JSON.stringify(r.json)}`);
      assert.deepEqual(Object.keys(JSON.parse(r.json.errorJson)), ['forsendelseId'], path);
      assert.match(r.json.message, /Ugyldig forsendelseId: forsendelseId må være en UUID \(fikk «ikke-en-uuid»\)/);
    }
    // A UUID with a blank around it is no UUID either (Spring's conversion refuses it too).
    const padded = await client.call('GET', `/api/v2/forsendelser/%20${crypto.randomUUID()}/hendelser`);
    assert.equal(padded.status, 400, JSON.stringify(padded.json));
  });

  it('refuses a v3 person letter to an organisation number, naming the field, and stores nothing', async () => {
    const client = new FiksClient(t.url, asA);
    const r = await client.send(
      `/api/v3/kontoer/${kontoA}/forsendelser/person`,
      {
        tittel: 'Feil mottaker',
        mottaker: { navn: 'Firma AS', digitalId: ORGNR },
        eksternReferanse: 'feil-mottaker',
        dokumenter: [{ filnavn: 'a.pdf', mimeType: 'application/pdf' }],
      },
      [{ filename: 'a.pdf', bytes: await letterPdf(), mimeType: 'application/pdf' }],
      true,
    );
    spec.check('forsendelse-send-api-v3.json', 'POST', '/v3/kontoer/{kontoId}/forsendelser/person', r.status, r.json);
    assert.equal(r.status, 400);
    assert.match(r.json.message, /mottaker\.digitalId.*organisasjonsnummer/);
    assert.ok(JSON.parse(r.json.errorJson)['mottaker.digitalId']);
    const found = await client.call('GET', `/api/v2/kontoer/${kontoA}/forsendelser?eksternRef=feil-mottaker`);
    assert.deepEqual(found.json, { forsendelseIds: [] });
  });

  /**
   * Sends a person letter with `eksternReferanse`, its JSON ending in `tail` (the closing brace
   * included), through v3 and v2; each is refused with 400 and a message matching `message`,
   * and nothing is stored under the reference.
   */
  async function refusedAtBothSends(eksternReferanse: string, tail: string, message: RegExp): Promise<void> {
    const client = new FiksClient(t.url, asA);
    const json = JSON.stringify({
      tittel: 'Avvist',
      mottaker: { navn: 'Kari', digitalId: FNR[0] },
      eksternReferanse,
      dokumenter: [{ filnavn: 'a.pdf', mimeType: 'application/pdf' }],
    }).replace(/}$/, tail);
    for (const [path, v3] of [
      [`/api/v3/kontoer/${kontoA}/forsendelser/person`, true],
      [`/api/v2/kontoer/${kontoA}/forsendelser`, false],
    ] as const) {
      const r = await client.send(
        path,
        json,
        [{ filename: 'a.pdf', bytes: await letterPdf(), mimeType: 'application/pdf' }],
        v3,
      );
      assert.equal(r.status, 400, `${path}: ${JSON.stringify(r.json)}`);
      assert.match(r.json.message, message);
    }
    const found = await client.call('GET', `/api/v2/kontoer/${kontoA}/forsendelser?eksternRef=${eksternReferanse}`);
    assert.deepEqual(found.json, { forsendelseIds: [] });
  }

  it('refuses a forsendelse part nested 5 000 levels deep, even in a field it does not read, with 400 (not 500)', async () => {
    await refusedAtBothSends(
      'dyp-json',
      `,"ukjent":${'{"x":'.repeat(5000)}1${'}'.repeat(5000)}}`,
      /forsendelse.*nøstet dypere enn 32 nivåer/,
    );
  });

  it('refuses a forsendelse part that names a key twice, naming it, and stores nothing', async () => {
    await refusedAtBothSends(
      'to-nokler',
      `,"mottaker":{"navn":"Ola","digitalId":"${FNR[1]}"}}`,
      /forsendelse.*feltet «mottaker» forekommer mer enn én gang i samme objekt/,
    );
  });

  it('refuses a forsendelse part of null or no object naming forsendelse, not the files it does not describe (found in review)', async () => {
    const client = new FiksClient(t.url, asA);
    for (const json of ['null', '[]', '"brev"']) {
      for (const [path, v3] of [
        [`/api/v3/kontoer/${kontoA}/forsendelser/person`, true],
        [`/api/v2/kontoer/${kontoA}/forsendelser`, false],
      ] as const) {
        const r = await client.send(
          path,
          json,
          [{ filename: 'a.pdf', bytes: await letterPdf(), mimeType: 'application/pdf' }],
          v3,
        );
        assert.equal(r.status, 400, `${path} ${json}: ${JSON.stringify(r.json)}`);
        assert.deepEqual(JSON.parse(r.json.errorJson), {
          forsendelse: 'Ugyldig verdi i forsendelse: forventet et objekt',
        });
      }
    }
  });

  it('a rotated password works at once and the old one stops; a revoked grant stops too', async () => {
    const config = t.node.storage.config;
    const nytt = await rotateIntegrasjonPassord(config, a.id);
    assert.equal((await sok(kontoA, await asA())).status, 401);
    a = { ...a, passord: nytt };
    assert.equal((await sok(kontoA, await asA())).status, 200);
    await setTilgang(config, { integrasjonId: a.id, avsender: 'Kommune A', tilgang: false });
    assert.equal((await sok(kontoA, await asA())).status, 403);
    await setTilgang(config, { integrasjonId: a.id, avsender: 'Kommune A', tilgang: true });
    assert.equal((await sok(kontoA, await asA())).status, 200);
  });

  it('without Fiksporten configured, a bare token (no integration headers) is refused', async () => {
    const r = await sok(kontoA, { token: await makeToken(key, { issuer: ISSUER, clientId: a.id }) });
    assert.equal(r.status, 401);
    assert.match(r.json.message, /Mangler IntegrasjonId/);
  });
});

describe('REST v2/v3 with the JWKS in a file', () => {
  it('checks tokens against the keys in MASKINPORTEN_JWKS as a file path, and refuses a Fiksporten client_id that is no integration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'budbringer-fiks-file-'));
    const key = await testKey('file-1');
    const fp = await testKey('fp-1');
    const jwks = await hostJwks([key], dir);
    const fpJwks = await hostJwks([fp], dir);
    const t = await startTestNode({
      MASKINPORTEN_JWKS: jwks.file,
      MASKINPORTEN_ISSUER: ISSUER,
      FIKSPORTEN_JWKS: fpJwks.file,
      FIKSPORTEN_ISSUER: 'https://fiksporten/',
    });
    try {
      await t.sender('Fil kommune');
      const konto = (await t.node.storage.config.getAvsender('Fil kommune'))?.kontoId ?? '';
      const i = await createIntegrasjon(t.node.storage.config, {
        navn: 'Fil',
        avsender: 'Fil kommune',
        organisasjoner: [TOKEN_ORGNR],
        now: Date.now(),
      });
      const call = async (auth: Record<string, string>): Promise<number> =>
        (
          await fetch(`${t.url}/api/v2/kontoer/${konto}/forsendelser?eksternRef=x`, {
            headers: auth,
          })
        ).status;
      const token = await makeToken(key, { issuer: ISSUER });
      assert.equal(
        await call({
          authorization: `Bearer ${token}`,
          IntegrasjonId: i.integrasjon.id,
          IntegrasjonPassord: i.passord,
        }),
        200,
      );
      assert.equal(jwks.fetches(), 0, 'the file, not the URL, was read');
      const stranger = await makeToken(fp, { issuer: 'https://fiksporten/', clientId: randomUUID() });
      assert.equal(await call({ authorization: `Bearer ${stranger}` }), 401);
      const named = await makeToken(fp, { issuer: 'https://fiksporten/', clientId: i.integrasjon.id });
      assert.equal(await call({ authorization: `Bearer ${named}` }), 200);
      // A Maskinporten token without the integration's headers: what is missing, not whose key signed it.
      const bare = await fetch(`${t.url}/api/v2/kontoer/${konto}/forsendelser?eksternRef=x`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(bare.status, 401);
      assert.match(
        ((await bare.json()) as { message: string }).message,
        /^Mangler IntegrasjonId og IntegrasjonPassord: bare et token fra Fiksporten brukes uten dem/,
      );
      const trailing = await fetch(`${t.url}/api/v2/kontoer/${konto}/forsendelser?eksternRef=x`, {
        headers: { authorization: `Bearer ${named} ekstra` },
      });
      assert.equal(trailing.status, 401);
      assert.match(
        ((await trailing.json()) as { message: string }).message,
        /^Ugyldig Authorization: skal være «Bearer» og ett token/,
      );

      // The file gone: a token of a new key cannot be checked (503, the operator's problem, not
      // the caller's); the keys already read still work.
      await rm(jwks.file);
      const newKey = await testKey('file-2');
      const unknownKid = await makeToken(newKey, { issuer: ISSUER });
      const res = await fetch(`${t.url}/api/v2/kontoer/${konto}/forsendelser?eksternRef=x`, {
        headers: {
          authorization: `Bearer ${unknownKid}`,
          IntegrasjonId: i.integrasjon.id,
          IntegrasjonPassord: i.passord,
        },
      });
      const body = (await res.json()) as { status: number; errorCode: string };
      new OpenApiChecker().check(
        'forsendelse-eksternref-api-v2.json',
        'GET',
        '/v2/kontoer/{kontoId}/forsendelser',
        res.status,
        body,
      );
      assert.equal(res.status, 503);
      assert.equal(body.errorCode, 'TOKENNOKLER_UTILGJENGELIGE');
      assert.equal(
        await call({
          authorization: `Bearer ${token}`,
          IntegrasjonId: i.integrasjon.id,
          IntegrasjonPassord: i.passord,
        }),
        200,
      );
    } finally {
      await t.stop();
      await jwks.close();
      await fpJwks.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with MASKINPORTEN_AUDIENCE set, refuses a token for another audience and takes one for this', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'budbringer-fiks-aud-'));
    const key = await testKey('aud-e2e');
    const jwks = await hostJwks([key], dir);
    const audience = 'https://budbringer.test/';
    const t = await startTestNode({
      MASKINPORTEN_JWKS: jwks.file,
      MASKINPORTEN_ISSUER: ISSUER,
      MASKINPORTEN_AUDIENCE: audience,
    });
    try {
      await t.sender('Aud kommune');
      const konto = (await t.node.storage.config.getAvsender('Aud kommune'))?.kontoId ?? '';
      const i = await createIntegrasjon(t.node.storage.config, {
        navn: 'Aud',
        avsender: 'Aud kommune',
        organisasjoner: [TOKEN_ORGNR],
        now: Date.now(),
      });
      const call = async (token: string): Promise<{ status: number; message?: string }> => {
        const res = await fetch(`${t.url}/api/v2/kontoer/${konto}/forsendelser?eksternRef=x`, {
          headers: { authorization: `Bearer ${token}`, IntegrasjonId: i.integrasjon.id, IntegrasjonPassord: i.passord },
        });
        return { status: res.status, ...((await res.json()) as { message?: string }) };
      };
      const other = await call(await makeToken(key, { issuer: ISSUER, audience: 'https://annen.tjeneste/' }));
      assert.equal(other.status, 401);
      assert.equal(other.message, `Ugyldig token: tokenet er ikke utstedt for ${audience} (aud)`);
      assert.equal((await call(await makeToken(key, { issuer: ISSUER }))).status, 401);
      assert.equal((await call(await makeToken(key, { issuer: ISSUER, audience }))).status, 200);
    } finally {
      await t.stop();
      await jwks.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
