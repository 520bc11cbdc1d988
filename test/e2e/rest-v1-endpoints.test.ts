/**
 * REST v1 endpoints besides send (docs/interfaces.md §9): settLest, forsendelseTyper, mottakersystem,
 * signeringhistorikk, slettFiler, statuser — with every response checked against the
 * v1 JSON schemas (jsonschema-rest-v1/, transcribed below).
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  basic,
  FNR,
  letterPdf,
  ORGNR,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { makeLetterPdf } from '../fixtures/index.js';

const BASE = '/tjenester/api/forsendelse/v1';
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
/** Two organisations with receiving systems (mod-11 valid), and one without. */
const SVARINN_A = '923456783';
const SVARINN_B = '812345672';
const MOTTAKERSYSTEMER = [
  { orgnr: SVARINN_A, forsendelseType: 'Byggesøknad', mottakersystem: 'Byggsak', mottakerId: 'byggsak-1', niva: 4 },
  { orgnr: SVARINN_A, mottakersystem: 'Arkiv', mottakerId: 'arkiv-1', niva: 3 },
  { orgnr: SVARINN_B, mottakersystem: 'Sak', mottakerId: 'sak-9', niva: 3 },
];

// ------------------------------------------------------------------ the v1 schemas
// Transcribed from ks-no/svarut-rest-klient json/*.json (MIT, (c) 2019 KS), commit
// e140192a: property names and types of every response body. Properties are not
// `required` there; Budbringer always writes every one, nulls included, and that is checked too.

interface Schema {
  readonly type: string | readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly enum?: readonly string[];
  readonly pattern?: string;
}
const str: Schema = { type: 'string' };
const nstr: Schema = { type: ['string', 'null'] };
const forsendelsesId: Schema = { type: ['object', 'null'], properties: { id: { type: 'string', pattern: UUID } } };
const STATUSES = [
  'MOTTATT',
  'AKSEPTERT',
  'AVVIST',
  'VARSLET',
  'LEST',
  'SENDT_PRINT',
  'PRINTET',
  'MANUELT_HANDTERT',
  'SENDT_DIGITALT',
  'SENDT_SDP',
  'LEVERT_SDP',
  'KLAR_FOR_MOTTAK',
  'IKKE_LEVERT',
];
const forsendelseStatus: Schema = {
  type: 'object',
  properties: {
    forsendelsesId,
    sisteStatusEndring: { type: ['integer', 'null'] },
    status: { type: 'string', enum: STATUSES },
  },
};
const entry: Schema = { type: 'object', properties: { key: str, value: str } };
const SCHEMAS = {
  forsendelsesIdResult: {
    type: 'object',
    properties: { forsendelseIder: { type: ['array', 'null'], items: forsendelsesId } },
  },
  forsendelseStatus,
  forsendelseStatusResult: {
    type: 'object',
    properties: { statuser: { type: ['array', 'null'], items: forsendelseStatus } },
  },
  forsendelsesHistorikk: {
    type: 'object',
    properties: {
      hendelsesLogger: { type: 'array', items: { type: 'object', properties: { tidspunkt: str, hendelse: str } } },
    },
  },
  dokumentMetadataResult: {
    type: 'object',
    properties: {
      dokumentMetadata: {
        type: ['array', 'null'],
        items: {
          type: 'object',
          properties: {
            mimeType: str,
            filnavn: str,
            kanSigneres: { type: 'boolean' },
            inneholderPersonsensitivInformasjon: { type: ['boolean', 'null'] },
            sizeInBytes: { type: ['integer', 'null'] },
            sha256hash: nstr,
            dokumentType: nstr,
            nedlasningsUrl: nstr,
            signeringsUrl: nstr,
            ekstraMetadata: { type: 'array', items: entry },
          },
        },
      },
    },
  },
  signeringsHistorikk: {
    type: 'object',
    properties: {
      forsendelsesId,
      logg: {
        type: ['array', 'null'],
        items: { type: 'object', properties: { tidspunkt: str, type: str, hendelse: str } },
      },
    },
  },
  forsendelseTyperResult: { type: 'object', properties: { forsendelseTyper: { type: ['array', 'null'], items: str } } },
  mottakerForsendelsesTyperResult: {
    type: 'object',
    properties: {
      treff: {
        type: ['array', 'null'],
        items: {
          type: 'object',
          properties: {
            organisasjonsNummer: str,
            forsendelsesType: nstr,
            mottakerSystem: nstr,
            mottakerId: str,
            niva: { type: 'integer' },
          },
        },
      },
    },
  },
  error: { type: 'object', properties: { errorcode: nstr, message: str } },
} satisfies Record<string, Schema>;

/** JSON type names a value has ('integer' also counts as 'number'). */
function typesOf(v: unknown): string[] {
  if (v === null) return ['null'];
  if (Array.isArray(v)) return ['array'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['integer', 'number'] : ['number'];
  return [typeof v];
}

/** Problems of `value` against `schema`, every declared property required. */
function schemaProblems(value: unknown, schema: Schema, path = '$'): string[] {
  const allowed = typeof schema.type === 'string' ? [schema.type] : schema.type;
  if (!typesOf(value).some((t) => allowed.includes(t)))
    return [`${path}: ${JSON.stringify(value)} is not ${allowed.join('|')}`];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value as string)) problems.push(`${path}: ${String(value)} not in enum`);
  if (schema.pattern && !new RegExp(schema.pattern).test(value as string))
    problems.push(`${path}: ${String(value)} !~ ${schema.pattern}`);
  if (Array.isArray(value) && schema.items)
    value.forEach((v, i) => problems.push(...schemaProblems(v, schema.items as Schema, `${path}[${i}]`)));
  if (schema.properties && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, s] of Object.entries(schema.properties)) {
      if (!(k in value)) problems.push(`${path}.${k}: missing`);
      else problems.push(...schemaProblems((value as Record<string, unknown>)[k], s, `${path}.${k}`));
    }
  }
  return problems;
}

function assertShape(value: unknown, schema: keyof typeof SCHEMAS): void {
  assert.deepEqual(schemaProblems(value, SCHEMAS[schema]), [], `${schema}: ${JSON.stringify(value)}`);
}

// ------------------------------------------------------------------ the tests

describe('REST v1 endpoints', () => {
  let t: TestNode;
  let creds: Creds;
  let pdf: Uint8Array;

  /** A letter to an organisation without a receiving system: it waits in the digital inbox (VARSLET). */
  async function sendToInbox(extra: Record<string, unknown> = {}, bytes?: Uint8Array): Promise<string> {
    const json = restForsendelse({
      mottaker: {
        postAdresse: { navn: 'Mottaker AS', postNummer: '0155', postSted: 'Oslo' },
        digitalAdresse: { organisasjonsNummer: ORGNR },
      },
      ...extra,
    });
    const sent = await restSend(t.url, creds, json, [{ filename: 'brev.pdf', bytes: bytes ?? pdf }]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assertShape({ forsendelseIder: [sent.body] }, 'forsendelsesIdResult');
    const id = String(sent.body.id);
    await waitForStatus(t.url, creds, id, 'VARSLET');
    return id;
  }

  before(async () => {
    t = await startTestNode({ ACTOR_IDLE_MS: '1000' });
    // Registered straight in the node's register (the CLI and admin web check certificates; the lookup needs none).
    for (const [i, m] of MOTTAKERSYSTEMER.entries()) {
      await t.node.storage.mottakersystemer.create({
        id: m.mottakerId,
        navn: m.mottakersystem,
        orgnr: m.orgnr,
        ...(m.forsendelseType === undefined ? {} : { forsendelseType: m.forsendelseType }),
        niva: m.niva as 3 | 4,
        passordHash: 'scrypt$ubrukt',
        sertifikat: '',
        createdAt: i,
      });
    }
    creds = await t.sender('Endepunkt kommune');
    pdf = await letterPdf();
  });
  after(() => t.stop());

  describe('settLest', () => {
    it('makes the letter LEST with "Lest eksternt … i systemet \'…\'" in the history; 200 with an empty body', async () => {
      const id = await sendToInbox();
      const datoLest = Date.UTC(2026, 0, 12, 8, 30, 15); // 09:30:15 Oslo
      const res = await fetch(`${t.url}${BASE}/${id}/settLest`, {
        method: 'POST',
        headers: { authorization: basic(creds), 'content-type': 'application/json' },
        body: JSON.stringify({ lestAvFodselsNummer: FNR[1], navnPaEksterntSystem: 'Arkivsystem X', datoLest }),
      });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), '');
      const status = await restCall(t.url, creds, `/${id}/status`);
      assert.equal(status.body.status, 'LEST');
      assertShape(status.body, 'forsendelseStatus');
      const hist = await restCall(t.url, creds, `/${id}/historikk`);
      assertShape(hist.body, 'forsendelsesHistorikk');
      const lines = hist.body.hendelsesLogger.map((h: { hendelse: string }) => h.hendelse);
      assert.equal(
        lines.at(-1),
        `Lest eksternt 12.01.2026 09:30:15 av ${FNR[1]} hos avsender Endepunkt kommune i systemet 'Arkivsystem X'`,
      );

      // Again: nothing changes, still 200.
      const again = await restCall(t.url, creds, `/${id}/settLest`, {
        json: { lestAvFodselsNummer: FNR[1], navnPaEksterntSystem: 'Arkivsystem X', datoLest },
      });
      assert.equal(again.status, 200);
      assert.equal((await restCall(t.url, creds, `/${id}/historikk`)).body.hendelsesLogger.length, lines.length);
    });

    it('without datoLest the read time is now', async () => {
      const id = await sendToInbox();
      const r = await restCall(t.url, creds, `/${id}/settLest`, {
        json: { lestAvFodselsNummer: FNR[2], navnPaEksterntSystem: 'Y', datoLest: null },
      });
      assert.equal(r.status, 200);
      const last = (await restCall(t.url, creds, `/${id}/historikk`)).body.hendelsesLogger.at(-1);
      assert.match(
        last.hendelse,
        new RegExp(`^Lest eksternt \\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}:\\d{2} av ${FNR[2]} `),
      );
      assert.equal(
        last.hendelse.slice('Lest eksternt '.length, 'Lest eksternt '.length + 19),
        last.tidspunkt.slice(0, 19),
      );
    });

    it('a bad lestAvFodselsNummer is 400 naming the field, and the letter stays unread', async () => {
      const id = await sendToInbox();
      for (const fnr of ['', '123', '0101900008x', undefined]) {
        const r = await restCall(t.url, creds, `/${id}/settLest`, {
          json: { lestAvFodselsNummer: fnr, navnPaEksterntSystem: 'X', datoLest: Date.now() },
        });
        assert.equal(r.status, 400, String(fnr));
        assert.deepEqual(r.body, {
          errorcode: 'VALIDERINGSFEIL',
          message: 'Ugyldig fødselsnummer: lestAvFodselsNummer må være 11 siffer',
        });
        assertShape(r.body, 'error');
      }
      assert.equal((await restCall(t.url, creds, `/${id}/status`)).body.status, 'VARSLET');
    });

    it('a system name that is no one line of at most 100 characters, a value of the wrong type or a read time before 2000 is 400 naming the field', async () => {
      const id = await sendToInbox();
      const cases: [Record<string, unknown>, string][] = [
        [
          { navnPaEksterntSystem: 'x'.repeat(101) },
          'For lang tekst: navnPaEksterntSystem kan ha høyst 100 tegn (har 101)',
        ],
        [
          { navnPaEksterntSystem: 'Arkiv\u001b]0;pwned\u0007' },
          'Ugyldig tekst: navnPaEksterntSystem inneholder kontrolltegnet U+001B; navnet skal være én linje tekst',
        ],
        [
          { navnPaEksterntSystem: 'Arkiv\r\nSak' },
          'Ugyldig tekst: navnPaEksterntSystem inneholder kontrolltegnet U+000D; navnet skal være én linje tekst',
        ],
        [{ navnPaEksterntSystem: { a: 1 } }, 'Ugyldig verdi: navnPaEksterntSystem må være tekst'],
        [{ datoLest: { x: 1 } }, 'Ugyldig verdi: datoLest må være millisekunder siden 1970'],
        [{ datoLest: Date.UTC(1, 0, 1) }, 'Ugyldig tidspunkt: datoLest ligger før år 2000'],
        [{ datoLest: Date.now() + 3_600_000 }, 'Ugyldig tidspunkt: datoLest ligger fram i tid'],
      ];
      for (const [fields, message] of cases) {
        const r = await restCall(t.url, creds, `/${id}/settLest`, {
          json: { lestAvFodselsNummer: FNR[1], navnPaEksterntSystem: 'X', datoLest: Date.now(), ...fields },
        });
        assert.equal(r.status, 400, JSON.stringify(fields));
        assert.deepEqual(r.body, { errorcode: 'VALIDERINGSFEIL', message }, JSON.stringify(fields));
      }
      assert.equal((await restCall(t.url, creds, `/${id}/status`)).body.status, 'VARSLET');
    });

    it('a datoLest that is no time is 400 naming the field, and the letter can still be read afterwards', async () => {
      const id = await sendToInbox();
      for (const datoLest of ['igår', 1e20]) {
        const r = await restCall(t.url, creds, `/${id}/settLest`, {
          json: { lestAvFodselsNummer: FNR[1], navnPaEksterntSystem: 'X', datoLest },
        });
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.deepEqual(r.body, {
          errorcode: 'VALIDERINGSFEIL',
          message: 'Ugyldig datoLest: må være et gyldig tidspunkt',
        });
      }
      // Before the fix the bad time was journaled and every later replay of this forsendelse failed.
      const ok = await restCall(t.url, creds, `/${id}/settLest`, {
        json: { lestAvFodselsNummer: FNR[1], navnPaEksterntSystem: 'X', datoLest: Date.now() },
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal((await restCall(t.url, creds, `/${id}/status`)).body.status, 'LEST');
      const types = (await t.node.storage.journal.read(`forsendelse:${id}`, 0)).map(
        (e) => (e.data as { type: string }).type,
      );
      assert.equal(types.filter((x) => x === 'LestEksternt').length, 1);
    });

    it('malformed JSON is 400; an unknown id is 404', async () => {
      const id = await sendToInbox();
      const res = await fetch(`${t.url}${BASE}/${id}/settLest`, {
        method: 'POST',
        headers: { authorization: basic(creds), 'content-type': 'application/json' },
        body: '{"lestAvFodselsNummer": ',
      });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { message: string }).message, /^Ugyldig JSON: /);
      const unknown = await restCall(t.url, creds, `/${randomUUID()}/settLest`, {
        json: { lestAvFodselsNummer: FNR[1], navnPaEksterntSystem: 'X' },
      });
      assert.equal(unknown.status, 404);
    });
  });

  describe('lookups', () => {
    it('forsendelseTyper lists the configured types (config/default.json)', async () => {
      const expected = (
        JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'config', 'default.json'), 'utf8')) as {
          FORSENDELSE_TYPER: string[];
        }
      ).FORSENDELSE_TYPER;
      const r = await restCall(t.url, creds, '/forsendelseTyper');
      assert.equal(r.status, 200);
      assertShape(r.body, 'forsendelseTyperResult');
      assert.deepEqual(r.body, { forsendelseTyper: expected });
    });

    it('mottakersystem/{orgnr} and ?organisasjonsNummer= give the registered receiving systems (by name)', async () => {
      const expectedA = [
        {
          organisasjonsNummer: SVARINN_A,
          forsendelsesType: null,
          mottakerSystem: 'Arkiv',
          mottakerId: 'arkiv-1',
          niva: 3,
        },
        {
          organisasjonsNummer: SVARINN_A,
          forsendelsesType: 'Byggesøknad',
          mottakerSystem: 'Byggsak',
          mottakerId: 'byggsak-1',
          niva: 4,
        },
      ];
      const byPath = await restCall(t.url, creds, `/mottakersystem/${SVARINN_A}`);
      assert.equal(byPath.status, 200);
      assertShape(byPath.body, 'mottakerForsendelsesTyperResult');
      assert.deepEqual(byPath.body, { treff: expectedA });
      assert.deepEqual((await restCall(t.url, creds, `/mottakersystem?organisasjonsNummer=${SVARINN_A}`)).body, {
        treff: expectedA,
      });
      assert.deepEqual((await restCall(t.url, creds, `/mottakersystem?organisasjonsNummer=${SVARINN_A}&niva=4`)).body, {
        treff: [expectedA[1]],
      });
      assert.deepEqual(
        (await restCall(t.url, creds, `/mottakersystem?organisasjonsNummer=${SVARINN_A}&forsendelsesType=Annet`)).body,
        { treff: [expectedA[0]] },
        'a system without type takes every type',
      );
      assert.deepEqual((await restCall(t.url, creds, `/mottakersystem/${ORGNR}`)).body, { treff: [] });
      const all = await restCall(t.url, creds, '/mottakersystem');
      assert.deepEqual(
        all.body.treff.map((m: { mottakerId: string }) => m.mottakerId),
        ['sak-9', 'arkiv-1', 'byggsak-1'],
      );
    });

    it('signeringhistorikk: {forsendelsesId, logg} (no signing orders, so an empty log)', async () => {
      const id = await sendToInbox();
      const r = await restCall(t.url, creds, `/${id}/signeringhistorikk`);
      assert.equal(r.status, 200);
      assertShape(r.body, 'signeringsHistorikk');
      assert.deepEqual(r.body, { forsendelsesId: { id }, logg: [] });
    });

    it('signeringhistorikk of an id written in upper case answers it in lower case, as status does', async () => {
      const id = await sendToInbox();
      const r = await restCall(t.url, creds, `/${id.toUpperCase()}/signeringhistorikk`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { forsendelsesId: { id }, logg: [] });
    });

    it('mottakersystem with a niva that is no number is 400 naming niva, as v2 answers', async () => {
      const r = await restCall(t.url, creds, `/mottakersystem?organisasjonsNummer=${SVARINN_A}&niva=abc`);
      assert.equal(r.status, 400);
      assert.match(r.body.message, /niva/);
    });

    it('statuser answers the known ids in the order asked and leaves unknown ids out; a malformed id is refused, named', async () => {
      const a = await sendToInbox();
      const b = await sendToInbox();
      // KS binds each to java.util.UUID: one that is none is the caller's error, as on v2/v3,
      // not an id left out as if it did not exist (found in review).
      const malformed = await restCall(t.url, creds, '/statuser', { json: [b, 'ikke-en-id'] });
      assert.equal(malformed.status, 400);
      assert.equal(
        malformed.body.message,
        'Ugyldig forsendelses-id: forsendelseIder[1] må være en UUID (fikk «ikke-en-id»)',
      );
      // A list of half a million wrong entries is answered in a few lines, not 48 MB.
      const flood = await restCall(t.url, creds, '/statuser', { json: Array.from({ length: 500_000 }, () => 1) });
      assert.equal(flood.status, 400);
      assert.ok(JSON.stringify(flood.body).length < 2_000, `${JSON.stringify(flood.body).length} characters`);
      assert.match(flood.body.message, /… og 499990 ugyldige verdier til i forsendelseIder/);
      const r = await restCall(t.url, creds, '/statuser', { json: [b, randomUUID(), a.toUpperCase()] });
      assert.equal(r.status, 200);
      assertShape(r.body, 'forsendelseStatusResult');
      assert.deepEqual(
        r.body.statuser.map((s: { forsendelsesId: { id: string } }) => s.forsendelsesId.id),
        [b, a],
      );
      for (const s of r.body.statuser) {
        assert.equal(s.status, 'VARSLET');
        assert.ok(s.sisteStatusEndring <= Date.now() && s.sisteStatusEndring > Date.now() - 600_000);
      }
      assert.deepEqual((await restCall(t.url, creds, '/statuser', { json: [] })).body, { statuser: [] });
      const bad = await restCall(t.url, creds, '/statuser', { json: { id: a } });
      assert.equal(bad.status, 400);
      assertShape(bad.body, 'error');
    });

    it('statuser also takes the ids as {"id": …} objects, as KS types the list (List<ForsendelsesId>)', async () => {
      const a = await sendToInbox();
      const r = await restCall(t.url, creds, '/statuser', { json: [{ id: a }, randomUUID()] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(
        r.body.statuser.map((s: { forsendelsesId: { id: string } }) => s.forsendelsesId.id),
        [a],
      );
      const bad = await restCall(t.url, creds, '/statuser', { json: [{ ikkeId: a }] });
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /forsendelseIder\[0\]/);
    });

    it('status, historikk, dokumentMetadata and eksternref bodies match the v1 schemas', async () => {
      const ref = `endepunkt-${randomUUID()}`;
      const id = await sendToInbox({ eksternReferanse: ref });
      const status = await restCall(t.url, creds, `/${id}/status`);
      assertShape(status.body, 'forsendelseStatus');
      assert.equal(status.body.forsendelsesId.id, id);
      const hist = await restCall(t.url, creds, `/${id}/historikk`);
      assertShape(hist.body, 'forsendelsesHistorikk');
      for (const h of hist.body.hendelsesLogger) assert.match(h.tidspunkt, /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/);
      const meta = await restCall(t.url, creds, `/${id}/dokumentMetadata`);
      assertShape(meta.body, 'dokumentMetadataResult');
      assert.equal(meta.body.dokumentMetadata[0].sha256hash, createHash('sha256').update(pdf).digest('hex'));
      const byRef = await restCall(t.url, creds, `/eksternref/${ref}`);
      assertShape(byRef.body, 'forsendelsesIdResult');
      assert.deepEqual(byRef.body, { forsendelseIder: [{ id }] });
      const missing = await restCall(t.url, creds, `/${randomUUID()}/status`);
      assert.equal(missing.status, 404);
      assertShape(missing.body, 'error');
    });
  });

  it('answers a known path asked with another method 405 with Allow, after authentication; OPTIONS 204', async () => {
    const anonymous = await fetch(`${t.url}${BASE}/sendForsendelse`);
    assert.equal(anonymous.status, 401, 'who asks is checked first');
    const wrong = await fetch(`${t.url}${BASE}/sendForsendelse`, { headers: { authorization: basic(creds) } });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST, OPTIONS');
    assert.deepEqual(await wrong.json(), {
      errorcode: 'METODE_IKKE_TILLATT',
      message: 'Metoden GET er ikke tillatt for /tjenester/api/forsendelse/v1/sendForsendelse; bruk POST',
    });
    const options = await fetch(`${t.url}${BASE}/sendForsendelse`, {
      method: 'OPTIONS',
      headers: { authorization: basic(creds) },
    });
    assert.equal(options.status, 204);
    assert.equal(options.headers.get('allow'), 'POST, OPTIONS');
  });

  describe('slettFiler', () => {
    it('answers 204; afterwards the documents are no longer downloadable and the history says why', async () => {
      const own = await makeLetterPdf({ seed: 1_000_000 + Math.floor(Math.random() * 1_000_000), pages: 1 });
      const id = await sendToInbox({}, own);
      const before_ = await restCall(t.url, creds, `/${id}/dokumentMetadata`);
      const url = before_.body.dokumentMetadata[0].nedlasningsUrl as string;
      assert.equal((await fetch(url, { headers: { authorization: basic(creds) } })).status, 200);

      const res = await fetch(`${t.url}${BASE}/slettFiler`, {
        method: 'POST',
        headers: { authorization: basic(creds), 'content-type': 'application/json' },
        body: JSON.stringify([{ id }]),
      });
      assert.equal(res.status, 204);
      assert.equal(await res.text(), '');

      const dl = await fetch(url, { headers: { authorization: basic(creds) } });
      assert.equal(dl.status, 404);
      assert.deepEqual(await dl.json(), { errorcode: 'IKKE_FUNNET', message: 'Dokument finnes ikke' });
      const after_ = await restCall(t.url, creds, `/${id}/dokumentMetadata`);
      assertShape(after_.body, 'dokumentMetadataResult');
      assert.equal(after_.body.dokumentMetadata[0].nedlasningsUrl, null);
      assert.equal(
        after_.body.dokumentMetadata[0].sha256hash,
        before_.body.dokumentMetadata[0].sha256hash,
        'metadata stays',
      );
      const lines = (await restCall(t.url, creds, `/${id}/historikk`)).body.hendelsesLogger.map(
        (h: { hendelse: string }) => h.hendelse,
      );
      assert.equal(lines.at(-1), 'Dokumenter slettet på forespørsel fra avsender');
      // Twice is fine (and bare ids are accepted too, with blanks around or in capitals, as statuser takes them).
      assert.equal((await restCall(t.url, creds, '/slettFiler', { json: [id] })).status, 204);
      assert.equal((await restCall(t.url, creds, '/slettFiler', { json: [` ${id.toUpperCase()}\t`] })).status, 204);
      assert.equal((await restCall(t.url, creds, `/${id}/historikk`)).body.hendelsesLogger.length, lines.length);
    });

    it('an unknown id is 404', async () => {
      const r = await restCall(t.url, creds, '/slettFiler', { json: [{ id: randomUUID() }] });
      assert.equal(r.status, 404);
      assertShape(r.body, 'error');
    });

    it('a list with an unknown id deletes nothing and names the entry (404)', async () => {
      const [first, last] = [await sendToInbox(), await sendToInbox()];
      const unknown = randomUUID();
      const r = await restCall(t.url, creds, '/slettFiler', { json: [{ id: first }, { id: unknown }, { id: last }] });
      assert.equal(r.status, 404);
      assert.deepEqual(r.body, {
        errorcode: 'IKKE_FUNNET',
        message: `Forsendelsen forsendelseIder[1] («${unknown}») finnes ikke`,
      });
      for (const id of [first, last]) {
        const meta = await restCall(t.url, creds, `/${id}/dokumentMetadata`);
        assert.notEqual(meta.body.dokumentMetadata[0].nedlasningsUrl, null, `${id}: its documents are kept`);
      }
    });

    // slettFiler releases the forsendelse's references; the original, held by no other
    // letter, is deleted from the blob store (BlobStore port: reference tracking).
    it('the deleted original is gone from the blob store', async () => {
      const own = await makeLetterPdf({ seed: 2_000_000 + Math.floor(Math.random() * 1_000_000), pages: 1 });
      const id = await sendToInbox({}, own);
      assert.equal((await restCall(t.url, creds, '/slettFiler', { json: [{ id }] })).status, 204);
      const sha = createHash('sha256').update(own).digest('hex');
      const deadline = Date.now() + 3_000; // room for a deletion done by a job
      while ((await t.node.storage.blobs.size(sha)) !== undefined && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      assert.equal(await t.node.storage.blobs.size(sha), undefined);
    });

    it('a document another letter also carries stays until that letter deletes its files too', async () => {
      const leaflet = await makeLetterPdf({ seed: 3_000_000 + Math.floor(Math.random() * 1_000_000), pages: 1 });
      const sha = createHash('sha256').update(leaflet).digest('hex');
      const a = await sendToInbox({}, leaflet);
      const b = await sendToInbox({}, leaflet);
      const fileOf = async (id: string) => (await t.node.actors.state(id))?.forsendelsesfil?.sha256 ?? '';
      const [fileA, fileB] = [await fileOf(a), await fileOf(b)];
      assert.equal((await restCall(t.url, creds, '/slettFiler', { json: [{ id: a }] })).status, 204);
      assert.equal(await t.node.storage.blobs.size(sha), leaflet.length, 'b still carries it');
      const url = (await restCall(t.url, creds, `/${b}/dokumentMetadata`)).body.dokumentMetadata[0]
        .nedlasningsUrl as string;
      const dl = await fetch(url, { headers: { authorization: basic(creds) } });
      assert.equal(dl.status, 200);
      assert.deepEqual(new Uint8Array(await dl.arrayBuffer()), leaflet, "b's download is whole");
      if (fileA !== fileB)
        assert.equal(await t.node.storage.blobs.size(fileA), undefined, "a's own forsendelsesfil is gone");
      assert.notEqual(await t.node.storage.blobs.size(fileB), undefined);
      assert.equal((await restCall(t.url, creds, '/slettFiler', { json: [{ id: b }] })).status, 204);
      assert.equal(await t.node.storage.blobs.size(sha), undefined, 'the last holder gone, the bytes are gone');
      assert.equal(await t.node.storage.blobs.size(fileB), undefined);
    });
  });
});
