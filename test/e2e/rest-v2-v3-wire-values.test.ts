/**
 * REST v2/v3 values outside what the specs allow, and problems that share a field (an outside
 * review of 6 December 2026): the mottakersystem query is checked as mottakersystem-api-v2.json
 * types it, `errorJson` keeps every problem of a field, and a v3 reply address in Norsk
 * helsenett (NHN_MOTTAKER, which the schema allows) is refused as such, not as a fødselsnummer.
 * Every answer is validated against KS's OpenAPI.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createIntegrasjon } from '../../src/app/fiks/integrasjoner.js';
import { FNR, letterPdf, startTestNode, type TestNode } from '../factories.js';
import {
  FiksClient,
  hostJwks,
  makeToken,
  OpenApiChecker,
  testKey,
  TOKEN_ORGNR,
  type JwksHost,
} from './fiks-support.js';

const ISSUER = 'https://test.maskinporten.no/';
const ADRESSE = { adresselinje1: 'Storgata 1', postnummer: '0155', poststed: 'Oslo' };

describe('REST v2/v3 values on the wire', () => {
  const spec = new OpenApiChecker();
  let dir: string;
  let t: TestNode;
  let jwks: JwksHost;
  let kontoId: string;
  let client: FiksClient;
  let pdf: Uint8Array;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-fiks-values-'));
    const key = await testKey('mp-1');
    jwks = await hostJwks([key], dir);
    t = await startTestNode({ MASKINPORTEN_JWKS: jwks.url, MASKINPORTEN_ISSUER: ISSUER });
    await t.sender('Verdikommune');
    const config = t.node.storage.config;
    kontoId = (await config.getAvsender('Verdikommune'))?.kontoId ?? '';
    const i = await createIntegrasjon(config, {
      navn: 'Verdisystem',
      avsender: 'Verdikommune',
      organisasjoner: [TOKEN_ORGNR],
      now: Date.now(),
    });
    client = new FiksClient(t.url, async () => ({
      token: await makeToken(key, { issuer: ISSUER }),
      integrasjonId: i.integrasjon.id,
      passord: i.passord,
    }));
    pdf = await letterPdf();
  });

  after(async () => {
    await t.stop();
    await jwks.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('mottakersystem: a query value the spec does not allow is a 400 naming the parameter', async () => {
    for (const [query, field] of [
      ['niva=12', 'niva'],
      ['niva=99999999999999999999', 'niva'],
      ['organisasjonsnummer=abc', 'organisasjonsnummer'],
      ['organisasjonsnummer=12345678', 'organisasjonsnummer'],
      ['forsendelseType=..%20x', 'forsendelseType'],
    ] as const) {
      const r = await client.call('GET', `/api/v2/mottakersystem?${query}`);
      spec.check('mottakersystem-api-v2.json', 'GET', '/v2/mottakersystem', r.status, r.json);
      assert.equal(r.status, 400, `${query}: ${JSON.stringify(r.json)}`);
      assert.ok(field in JSON.parse(r.json.errorJson as string), `${query}: ${r.json.errorJson}`);
    }
    const ok = await client.call(
      'GET',
      '/api/v2/mottakersystem?organisasjonsnummer=910076787&niva=4&forsendelseType=Byggesak.Soknad',
    );
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.deepEqual(ok.json, { mottakersystemer: [] });
  });

  it('errorJson keeps both problems of one field', async () => {
    const r = await client.send(
      `/api/v2/kontoer/${kontoId}/forsendelser`,
      {
        tittel: 'To filer for mye',
        mottaker: { navn: 'Kari Nordmann', digitalId: FNR[0], ...ADRESSE },
        dokumenter: [{ filnavn: 'brev.pdf', mimeType: 'application/pdf' }],
      },
      [
        { filename: 'brev.pdf', bytes: pdf, mimeType: 'application/pdf' },
        { filename: 'ekstra1.pdf', bytes: pdf, mimeType: 'application/pdf' },
        { filename: 'ekstra2.pdf', bytes: pdf, mimeType: 'application/pdf' },
      ],
      false,
    );
    spec.check('forsendelse-send-api-v2.json', 'POST', '/v2/kontoer/{kontoId}/forsendelser', r.status, r.json);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    const byField = JSON.parse(r.json.errorJson as string) as Record<string, string>;
    const dokumenter = Object.entries(byField).find(([field]) => field.startsWith('dokumenter'))?.[1] ?? '';
    assert.match(dokumenter, /ekstra1\.pdf/);
    assert.match(dokumenter, /ekstra2\.pdf/);
  });

  it('v3: svarSendesTil of type NHN_MOTTAKER is refused by its type, not read as a fødselsnummer', async () => {
    const r = await client.send(
      `/api/v3/kontoer/${kontoId}/forsendelser/organisasjon`,
      {
        tittel: 'Svar via helsenett',
        mottaker: { navn: 'Mottaker AS', digitalId: '910076787', adresse: ADRESSE },
        svarSendesTil: { type: 'NHN_MOTTAKER', digitalId: '123456', navn: 'Legekontoret', adresse: ADRESSE },
        dokumenter: [{ filnavn: 'brev.pdf', mimeType: 'application/pdf' }],
      },
      [{ filename: 'brev.pdf', bytes: pdf, mimeType: 'application/pdf' }],
      true,
    );
    spec.check(
      'forsendelse-send-api-v3.json',
      'POST',
      '/v3/kontoer/{kontoId}/forsendelser/organisasjon',
      r.status,
      r.json,
    );
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.match(r.json.message as string, /svarSendesTil\.type: NHN_MOTTAKER .* støttes ikke/);
    assert.doesNotMatch(r.json.message as string, /fødselsnummer/);
  });
});
