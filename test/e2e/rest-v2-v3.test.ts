/**
 * REST v2 and v3 end to end, as an integration built on KS's client would use them: a
 * client written from the specs alone sends with v2 and with v3 (person, organisasjon,
 * print), reads status, history and metadata, downloads a document from the metadata URL,
 * marks a letter read, looks up by eksternRef and deletes documents. Tokens are signed by
 * the test's own keys behind a JWKS on 127.0.0.1 (Maskinporten) and in a file (Fiksporten).
 * Every answer is validated against KS's OpenAPI files with ajv. A letter sent with v1 is
 * read with v2/v3, and one sent with v3 read with v1: one letter, every API.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createIntegrasjon } from '../../src/app/fiks/integrasjoner.js';
import { nodeSendForsendelse, nodeStatuser } from '../fixtures/soap/index.js';
import { encryptForNode } from '../support/openssl.js';
import { scriptV4Send } from '../fixtures/soap/versions.js';
import { nodeClientReturns, post } from '../unit/soap/support/post.js';
import {
  basic,
  eventually,
  FNR,
  letterPdf,
  ORGNR,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  type Creds,
  type TestNode,
} from '../factories.js';
import {
  FiksClient,
  hostJwks,
  makeToken,
  OpenApiChecker,
  testKey,
  TOKEN_ORGNR,
  type JwksHost,
  type TestKey,
} from './fiks-support.js';

const MASKINPORTEN = 'https://test.maskinporten.no/';
const FIKSPORTEN = 'https://fiksporten.test.ks.no/';
const STATUS_V2 = 'forsendelse-status-api-v2.json';
const STATUS_V3 = 'forsendelse-status-api-v3.json';
const SEND_V2 = 'forsendelse-send-api-v2.json';
const SEND_V3 = 'forsendelse-send-api-v3.json';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
/** A person recipient in v2's flat form. */
const KARI_V2 = {
  navn: 'Kari Nordmann',
  digitalId: FNR[0],
  adresselinje1: 'Storgata 1',
  postnummer: '0155',
  poststed: 'Oslo',
};

describe('REST v2 and v3: a client from the specs alone', () => {
  const spec = new OpenApiChecker();
  let t: TestNode;
  let key: TestKey;
  let maskinporten: JwksHost;
  let fiksporten: JwksHost;
  let creds: Creds;
  let kontoId: string;
  let client: FiksClient;
  let integrasjonId: string;
  let pdf: Uint8Array;
  const ids: Record<string, string> = {};

  before(async () => {
    key = await testKey('mp-1');
    const fpKey = await testKey('fp-1');
    // Data dir first: the Fiksporten JWKS file lives in it.
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'budbringer-fiks-'));
    maskinporten = await hostJwks([key], dir);
    fiksporten = await hostJwks([fpKey], dir);
    t = await startTestNode(
      {
        MASKINPORTEN_JWKS: maskinporten.url,
        MASKINPORTEN_ISSUER: MASKINPORTEN,
        FIKSPORTEN_JWKS: fiksporten.file,
        FIKSPORTEN_ISSUER: FIKSPORTEN,
        FORSENDELSE_TYPER: JSON.stringify(['Byggesøknad', 'nav.digisos']),
      },
      dir,
    );
    creds = await t.sender('Fiks kommune', ORGNR);
    kontoId = (await t.node.storage.config.getAvsender('Fiks kommune'))?.kontoId ?? '';
    const created = await createIntegrasjon(t.node.storage.config, {
      navn: 'Sak/arkiv',
      avsender: 'Fiks kommune',
      organisasjoner: [TOKEN_ORGNR],
      now: Date.now(),
    });
    integrasjonId = created.integrasjon.id;
    assert.equal(created.kontoId, kontoId);
    client = new FiksClient(t.url, async () => ({
      token: await makeToken(key, { issuer: MASKINPORTEN }),
      integrasjonId,
      passord: created.passord,
    }));
    pdf = await letterPdf();
    // Fiksporten's strategy uses a token from its own issuer, naming the integration.
    fiksportenClient = new FiksClient(t.url, async () => ({
      token: await makeToken(fpKey, { issuer: FIKSPORTEN, clientId: integrasjonId }),
    }));
  });
  let fiksportenClient: FiksClient;

  after(async () => {
    await t.stop();
    await maskinporten.close();
    await fiksporten.close();
    const { rm } = await import('node:fs/promises');
    await rm(t.dataDir, { recursive: true, force: true });
  });

  it('sends with v2 (multipart as KS client: forsendelse text part, filer_N parts)', async () => {
    const r = await client.send(
      `/api/v2/kontoer/${kontoId}/forsendelser/`,
      {
        tittel: 'Vedtak v2',
        mottaker: KARI_V2,
        avgivendeSystem: 'Sak v2',
        eksternReferanse: 'v2-ref',
        konteringskode: 'ans_123',
        utskriftskonfigurasjon: { utskriftMedFarger: false, tosidig: true },
        dokumenter: [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf', dokumentType: 'Vedtak' }],
      },
      [{ filename: 'vedtak.pdf', bytes: pdf, mimeType: 'application/pdf' }],
      false,
    );
    spec.check(SEND_V2, 'POST', '/v2/kontoer/{kontoId}/forsendelser', r.status, r.json);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    ids.v2 = r.json.id;
  });

  it('sends with v3 to a person, an organisation and to print', async () => {
    const adresse = { adresselinje1: 'Storgata 1', postnummer: '0155', poststed: 'Oslo' };
    const sends = {
      person: {
        tittel: 'Vedtak v3 person',
        mottaker: { navn: 'Ola Nordmann', digitalId: FNR[1], adresse },
        sikkerhetsniva: 'BETYDELIG',
        eksternReferanse: 'v3-ref',
        dokumenter: [{ filnavn: 'a.pdf', mimeType: 'application/pdf' }],
      },
      organisasjon: {
        tittel: 'Melding til organisasjon',
        mottaker: { navn: 'Mottaker AS', digitalId: '910076787', adresse },
        forsendelsestype: 'Byggesøknad',
        metadataFraAvleverendeSystem: { saksaar: 2026, sakssekvensnummer: 42, saksbehandler: 'Per' },
        dokumenter: [
          { filnavn: 'a.pdf', mimeType: 'application/pdf', ekstraMetadata: [{ key: 'k', value: 'v' }] },
          { filnavn: 'b.pdf', mimeType: 'application/pdf' },
        ],
      },
      print: {
        tittel: 'Brev på papir',
        mottaker: { navn: 'Kari Papir', adresse },
        utskriftskonfigurasjon: { tosidig: true },
        dokumenter: [{ filnavn: 'p.pdf', mimeType: 'application/pdf' }],
      },
    } as const;
    for (const [kind, json] of Object.entries(sends)) {
      const files = json.dokumenter.map((d) => ({ filename: d.filnavn, bytes: pdf, mimeType: d.mimeType }));
      const r = await client.send(`/api/v3/kontoer/${kontoId}/forsendelser/${kind}`, json, files, true);
      spec.check(SEND_V3, 'POST', `/v3/kontoer/{kontoId}/forsendelser/${kind}`, r.status, r.json);
      assert.equal(r.status, 200, `${kind}: ${JSON.stringify(r.json)}`);
      ids[kind] = r.json.id;
    }
    // The print letter has no digital recipient: it goes to print.
    const printed = await eventually(async () => {
      const r = await client.call('POST', `/api/v3/kontoer/${kontoId}/forsendelser/status/sok`, { id: [ids.print] });
      return r.json?.statuser?.[0]?.status === 'SENDT_PRINT' ? r : undefined;
    });
    spec.check(STATUS_V3, 'POST', '/v3/kontoer/{kontoId}/forsendelser/status/sok', printed.status, printed.json);
  });

  it('reads statuses with v2 (status-sok) and v3 (status/sok); unknown ids are left out', async () => {
    const all = [ids.v2, ids.person, ids.organisasjon, ids.print, '00000000-0000-4000-8000-000000000000'];
    const v2 = await client.call('POST', `/api/v2/kontoer/${kontoId}/forsendelser/status-sok`, { forsendelseIds: all });
    spec.check(STATUS_V2, 'POST', '/v2/kontoer/{kontoId}/forsendelser/status-sok', v2.status, v2.json);
    assert.deepEqual(
      v2.json.statuser.map((s: { id: string }) => s.id),
      all.slice(0, 4),
    );
    const v3 = await client.call('POST', `/api/v3/kontoer/${kontoId}/forsendelser/status/sok`, { id: all });
    spec.check(STATUS_V3, 'POST', '/v3/kontoer/{kontoId}/forsendelser/status/sok', v3.status, v3.json);
    assert.deepEqual(v3.json, v2.json);
  });

  it('answers a known path asked with another method 405 with Allow, in the Fiks error shape; OPTIONS 204', async () => {
    const wrong = await client.call('GET', `/api/v2/kontoer/${kontoId}/forsendelser/status-sok`);
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST, OPTIONS');
    assert.equal(wrong.json.errorCode, 'METODE_IKKE_TILLATT');
    assert.equal(wrong.json.error, 'Method Not Allowed');
    const options = await client.call('OPTIONS', `/api/v3/kontoer/${kontoId}/forsendelser/print`);
    assert.equal(options.status, 204);
    assert.equal(options.headers.get('allow'), 'POST, OPTIONS');
    assert.equal((await client.call('GET', `/api/v3/kontoer/${kontoId}/finnes-ikke`)).status, 404);
  });

  it('reads the history and the (empty) signing history', async () => {
    const h = await client.call('GET', `/api/v2/forsendelser/${ids.v2}/hendelser`);
    spec.check(
      'forsendelse-hendelser-api-v2.json',
      'GET',
      '/v2/forsendelser/{forsendelseId}/hendelser',
      h.status,
      h.json,
    );
    assert.equal(h.status, 200);
    assert.equal(h.json.hendelser[0].hendelse, 'Mottatt, og tildelt forsendelse-id');
    const s = await client.call('GET', `/api/v2/forsendelser/${ids.v2}/signeringshendelser`);
    spec.check(
      'forsendelse-hendelser-api-v2.json',
      'GET',
      '/v2/forsendelser/{forsendelseId}/signeringshendelser',
      s.status,
      s.json,
    );
    assert.deepEqual(s.json, { hendelser: [] });
  });

  it('reads metadata and downloads each document from its nedlasningUrl, with the same authentication', async () => {
    const m = await client.call('GET', `/api/v2/forsendelser/${ids.organisasjon}/metadata`);
    spec.check(
      'forsendelse-metadata-api-v2.json',
      'GET',
      '/v2/forsendelser/{forsendelseId}/metadata',
      m.status,
      m.json,
    );
    assert.equal(m.json.dokumenter.length, 2);
    assert.deepEqual(m.json.dokumenter[0].ekstraMetadata, [{ key: 'k', value: 'v' }]);
    for (const d of m.json.dokumenter) {
      assert.ok(d.nedlasningUrl.startsWith(t.url), d.nedlasningUrl);
      const file = await client.call('GET', d.nedlasningUrl);
      assert.equal(file.status, 200);
      assert.equal(sha256(file.bytes), d.sha256Hash);
      assert.equal(file.bytes.byteLength, d.storrelse);
    }
    // Without the integration's headers the URL answers 401, in the Fiks shape.
    const bare = await fetch(m.json.dokumenter[0].nedlasningUrl);
    assert.equal(bare.status, 401);
    assert.equal(((await bare.json()) as { status: number }).status, 401);
  });

  it("an encrypted letter's documents answer 403: only the recipient opens them (nothing was deleted)", async () => {
    const r = await client.send(
      `/api/v2/kontoer/${kontoId}/forsendelser/`,
      {
        tittel: 'Kryptert v2',
        mottaker: KARI_V2,
        kryptert: true,
        dokumenter: [{ filnavn: 'hemmelig.pdf', mimeType: 'application/pdf' }],
      },
      [{ filename: 'hemmelig.pdf', bytes: await encryptForNode(t.url, pdf), mimeType: 'application/pdf' }],
      false,
    );
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const m = await client.call('GET', `/api/v2/forsendelser/${r.json.id}/metadata`);
    const file = await client.call('GET', m.json.dokumenter[0].nedlasningUrl);
    assert.equal(file.status, 403, JSON.stringify(file.json));
    assert.equal(file.json.errorCode, 'INGEN_TILGANG');
    assert.equal(file.json.message, 'Dokumentet er sendt kryptert og kan bare åpnes av mottakeren');
  });

  it('looks up by eksternRef (ids, and ids with date and system)', async () => {
    const a = await client.call('GET', `/api/v2/kontoer/${kontoId}/forsendelser?eksternRef=v2-ref`);
    spec.check('forsendelse-eksternref-api-v2.json', 'GET', '/v2/kontoer/{kontoId}/forsendelser', a.status, a.json);
    assert.deepEqual(a.json, { forsendelseIds: [ids.v2] });
    const b = await client.call('GET', `/api/v2/kontoer/${kontoId}/forsendelser/metadata?eksternRef=v2-ref`);
    spec.check(
      'forsendelse-eksternref-api-v2.json',
      'GET',
      '/v2/kontoer/{kontoId}/forsendelser/metadata',
      b.status,
      b.json,
    );
    assert.equal(b.json.forsendelser[0].id, ids.v2);
    assert.equal(b.json.forsendelser[0].avgivendeSystem, 'Sak v2');
  });

  it('lists forsendelsestyper and mottakersystemer', async () => {
    // Registered straight in the node's register (the CLI and admin web check certificates; the lookup needs none).
    await t.node.storage.mottakersystemer.create({
      id: 'e-1',
      navn: 'Elements',
      orgnr: '910076787',
      forsendelseType: 'Byggesøknad',
      niva: 3,
      passordHash: 'scrypt$ubrukt',
      sertifikat: '',
      createdAt: Date.now(),
    });
    const typer = await client.call('GET', '/api/v2/forsendelsestyper');
    spec.check('forsendelse-typer-api-v2.json', 'GET', '/v2/forsendelsestyper', typer.status, typer.json);
    assert.deepEqual(typer.json, { forsendelsestyper: ['Byggesøknad', 'nav.digisos'] });
    const m = await client.call('GET', '/api/v2/mottakersystem?organisasjonsnummer=910076787&niva=3');
    spec.check('mottakersystem-api-v2.json', 'GET', '/v2/mottakersystem', m.status, m.json);
    assert.deepEqual(m.json.mottakersystemer, [
      { id: 'e-1', navn: 'Elements', organisasjonsnummer: '910076787', forsendelseType: 'Byggesøknad', niva: 3 },
    ]);
  });

  it('marks a letter read (204) and it becomes LEST', async () => {
    // The organisation's letter waits in the digital inbox (VARSLET): it can be read.
    const r = await client.call('POST', `/api/v2/forsendelser/${ids.organisasjon}/lest`, {
      fnr: FNR[1],
      tidspunkt: '2026-01-02T10:00:00.000+01:00',
      eksterntSystemnavn: 'Fagsystem',
    });
    spec.check('forsendelse-lest-api-v2.json', 'POST', '/v2/forsendelser/{forsendelseId}/lest', r.status, r.json);
    assert.equal(r.status, 204);
    await eventually(async () => {
      const s = await client.call('POST', `/api/v3/kontoer/${kontoId}/forsendelser/status/sok`, {
        id: [ids.organisasjon],
      });
      return s.json.statuser[0].status === 'LEST' ? true : undefined;
    });
  });

  it('deletes documents (slettetype), after which the download answers 410 and a bad slettetype 400', async () => {
    const before = await client.call('GET', `/api/v2/forsendelser/${ids.v2}/metadata`);
    const bad = await client.call('DELETE', `/api/v2/forsendelser/${ids.v2}/dokumenter?slettetype=NOEN`);
    spec.check(
      'forsendelse-slett-api-v2.json',
      'DELETE',
      '/v2/forsendelser/{forsendelseId}/dokumenter',
      bad.status,
      bad.json,
    );
    assert.equal(bad.status, 400);
    // A validation error naming the parameter, as the send's refusals name their fields.
    assert.equal(bad.json.errorCode, 'VALIDERINGSFEIL');
    assert.deepEqual(Object.keys(JSON.parse(bad.json.errorJson as string) as object), ['slettetype']);
    const r = await client.call('DELETE', `/api/v2/forsendelser/${ids.v2}/dokumenter?slettetype=ALLE`);
    spec.check(
      'forsendelse-slett-api-v2.json',
      'DELETE',
      '/v2/forsendelser/{forsendelseId}/dokumenter',
      r.status,
      r.json,
    );
    assert.equal(r.status, 204);
    const gone = await client.call('GET', before.json.dokumenter[0].nedlasningUrl);
    assert.equal(gone.status, 410);
    assert.equal(gone.json.errorCode, 'SLETTET');
    const d = await client.call('DELETE', `/api/v2/forsendelser/${ids.organisasjon}/dokumenter`);
    assert.equal(d.status, 204);
  });

  it('answers NHN with "not supported" in the Fiks shape', async () => {
    const r = await client.send(
      `/api/v3/kontoer/${kontoId}/forsendelser/nhn`,
      { tittel: 'Til fastlege' },
      [{ filename: 'a.pdf', bytes: pdf, mimeType: 'application/pdf' }],
      true,
    );
    spec.check(SEND_V3, 'POST', '/v3/kontoer/{kontoId}/forsendelser/nhn', r.status, r.json);
    assert.equal(r.status, 501);
    assert.match(r.json.message, /Norsk Helsenett \(NHN\) støttes ikke/);
  });

  it('one letter, every API: sent with v1 and read with v2/v3; sent with v3 and read with v1', async () => {
    const sent = await restSend(t.url, creds, restForsendelse({ eksternReferanse: 'v1-ref' }), [
      { filename: 'brev.pdf', bytes: pdf },
    ]);
    assert.equal(sent.status, 200);
    const v1Id = sent.body.id as string;
    const s = await client.call('POST', `/api/v3/kontoer/${kontoId}/forsendelser/status/sok`, { id: [v1Id] });
    spec.check(STATUS_V3, 'POST', '/v3/kontoer/{kontoId}/forsendelser/status/sok', s.status, s.json);
    assert.equal(s.json.statuser[0].id, v1Id);
    const m = await client.call('GET', `/api/v2/forsendelser/${v1Id}/metadata`);
    assert.equal(m.json.dokumenter[0].sha256Hash, sha256(pdf));
    const h = await client.call('GET', `/api/v2/forsendelser/${v1Id}/hendelser`);
    const v1h = await restCall(t.url, creds, `/${v1Id}/historikk`);
    assert.equal(h.json.hendelser.length, v1h.body.hendelsesLogger.length);

    const v1Status = await restCall(t.url, creds, `/${ids.print}/status`);
    assert.equal(v1Status.status, 200);
    assert.equal(v1Status.body.forsendelsesId.id, ids.print);
    const v1Ref = await restCall(t.url, creds, '/eksternref/v3-ref');
    assert.deepEqual(v1Ref.body.forsendelseIder, [{ id: ids.person }]);
  });

  it('one letter, every API: sent with SOAP and read with v2/v3; sent with v2 and read with SOAP', async () => {
    const endpoint = `${t.url}/tjenester/forsendelseservice/ForsendelsesServiceV9`;
    const sent = await post(
      endpoint,
      nodeSendForsendelse({ dokumenter: [{ data: pdf, filnavn: 'soap.pdf' }], eksternref: 'soap-ref' }),
      basic(creds),
    );
    assert.equal(sent.status, 200, sent.text);
    const [soapId] = nodeClientReturns(sent.text);
    const byRef = await client.call('GET', `/api/v2/kontoer/${kontoId}/forsendelser?eksternRef=soap-ref`);
    assert.deepEqual(byRef.json, { forsendelseIds: [soapId] });
    const m = await client.call('GET', `/api/v2/forsendelser/${soapId}/metadata`);
    spec.check(
      'forsendelse-metadata-api-v2.json',
      'GET',
      '/v2/forsendelser/{forsendelseId}/metadata',
      m.status,
      m.json,
    );
    assert.equal(m.json.dokumenter[0].filnavn, 'soap.pdf');
    assert.equal(sha256((await client.call('GET', m.json.dokumenter[0].nedlasningUrl)).bytes), sha256(pdf));

    const statuser = await post(endpoint, nodeStatuser([ids.v2 as string]), basic(creds));
    assert.equal(statuser.status, 200, statuser.text);
    assert.match(statuser.text, new RegExp(`<forsendelsesid>${ids.v2}</forsendelsesid>`));
  });

  it('one letter, every API: sent with SOAP V4 (a script client) and read with v2, v3 and v1 alike', async () => {
    const v4 = scriptV4Send(pdf, 'Sendt med V4');
    const sent = await post(`${t.url}/tjenester/forsendelseservice/ForsendelsesServiceV4`, v4, basic(creds));
    assert.equal(sent.status, 200, sent.text);
    const [id] = nodeClientReturns(sent.text);
    assert.match(id ?? '', /^[0-9a-f-]{36}$/, sent.text);
    // The same status and the same history lines through every API, once the letter holds still.
    await eventually(
      async () => {
        const v1Status = await restCall(t.url, creds, `/${id}/status`);
        const v1History = await restCall(t.url, creds, `/${id}/historikk`);
        const v2 = await client.call('POST', `/api/v2/kontoer/${kontoId}/forsendelser/status-sok`, {
          forsendelseIds: [id],
        });
        spec.check(STATUS_V2, 'POST', '/v2/kontoer/{kontoId}/forsendelser/status-sok', v2.status, v2.json);
        const v3 = await client.call('POST', `/api/v3/kontoer/${kontoId}/forsendelser/status/sok`, { id: [id] });
        spec.check(STATUS_V3, 'POST', '/v3/kontoer/{kontoId}/forsendelser/status/sok', v3.status, v3.json);
        const h = await client.call('GET', `/api/v2/forsendelser/${id}/hendelser`);
        spec.check(
          'forsendelse-hendelser-api-v2.json',
          'GET',
          '/v2/forsendelser/{forsendelseId}/hendelser',
          h.status,
          h.json,
        );
        const v1Lines = (v1History.body.hendelsesLogger as { hendelse: string }[]).map((l) => l.hendelse);
        const v2Lines = (h.json.hendelser as { hendelse: string }[]).map((l) => l.hendelse);
        const same =
          v2.json.statuser[0]?.status === v1Status.body.status &&
          v3.json.statuser[0]?.status === v1Status.body.status &&
          v1Status.body.status !== 'MOTTATT' &&
          JSON.stringify(v1Lines) === JSON.stringify(v2Lines);
        return same ? true : undefined;
      },
      30_000,
      'the V4 letter reads alike through REST v1, v2 and v3',
    );
  });

  it("Fiksporten's strategy: only a bearer token whose client_id is the integration", async () => {
    const r = await fiksportenClient.call('POST', `/api/v3/kontoer/${kontoId}/forsendelser/status/sok`, {
      id: [ids.print],
    });
    spec.check(STATUS_V3, 'POST', '/v3/kontoer/{kontoId}/forsendelser/status/sok', r.status, r.json);
    assert.equal(r.status, 200);
    assert.equal(r.json.statuser[0].id, ids.print);
  });

  it('fetched the Maskinporten JWKS over HTTP and cached it', () => {
    assert.ok(maskinporten.fetches() >= 1);
    assert.ok(maskinporten.fetches() <= 2, `fetched ${maskinporten.fetches()} times`);
  });
});
