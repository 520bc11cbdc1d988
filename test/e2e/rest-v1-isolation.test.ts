/**
 * REST v1 between avsendere (docs/interfaces.md §8 "Lookups by id/eksternref are limited to
 * forsendelser of the authenticated sender"): another avsender's forsendelse answers
 * exactly like an unknown id — same status, same body — and is left untouched.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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

const BASE = '/tjenester/api/forsendelse/v1';

/** A raw answer: status, content type and body text, compared whole. */
interface Raw {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

describe('REST v1 isolation: another avsender cannot see or touch a forsendelse', () => {
  let t: TestNode;
  let owner: Creds;
  let other: Creds;
  let id: string;
  let pdf: Uint8Array;
  /** The owner's view before the other avsender tried anything. */
  let before_: { status: unknown; historikk: unknown; meta: unknown };

  async function raw(creds: Creds, path: string, init: { method?: string; json?: unknown } = {}): Promise<Raw> {
    const res = await fetch(`${t.url}${BASE}${path}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: {
        authorization: basic(creds),
        ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
  }

  /** The other avsender's answer for the owner's id equals its answer for an unknown id. */
  async function sameAsUnknown(
    path: (id: string) => string,
    init: (id: string) => { method?: string; json?: unknown } = () => ({}),
  ): Promise<Raw> {
    const unknown = randomUUID();
    const foreign = await raw(other, path(id), init(id));
    const missing = await raw(other, path(unknown), init(unknown));
    assert.deepEqual(foreign, missing, path(id));
    return foreign;
  }

  before(async () => {
    t = await startTestNode({ ACTOR_IDLE_MS: '1000' });
    owner = await t.sender('Eier kommune');
    other = await t.sender('Annen kommune');
    pdf = await letterPdf();
    const sent = await restSend(
      t.url,
      owner,
      restForsendelse({
        eksternReferanse: 'delt-ref',
        // An organisation without a receiving system: delivered to the digital inbox, where it waits (VARSLET).
        mottaker: {
          postAdresse: { navn: 'Mottaker AS', postNummer: '0155', postSted: 'Oslo' },
          digitalAdresse: { organisasjonsNummer: ORGNR },
        },
        dokumenter: [
          { filnavn: 'brev.pdf', mimeType: 'application/pdf' },
          { filnavn: 'vedlegg.pdf', mimeType: 'application/pdf' },
        ],
      }),
      [
        { filename: 'brev.pdf', bytes: pdf },
        { filename: 'vedlegg.pdf', bytes: pdf },
      ],
    );
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    id = String(sent.body.id);
    await waitForStatus(t.url, owner, id, 'VARSLET');
    before_ = {
      status: (await restCall(t.url, owner, `/${id}/status`)).body,
      historikk: (await restCall(t.url, owner, `/${id}/historikk`)).body,
      meta: (await restCall(t.url, owner, `/${id}/dokumentMetadata`)).body,
    };
  });
  after(() => t.stop());

  it('cannot read: status, historikk, dokumentMetadata, signeringhistorikk answer 404 like an unknown id', async () => {
    for (const suffix of ['status', 'historikk', 'dokumentMetadata', 'signeringhistorikk']) {
      const r = await sameAsUnknown((x) => `/${x}/${suffix}`);
      assert.equal(r.status, 404, suffix);
      assert.deepEqual(JSON.parse(r.body), { errorcode: 'IKKE_FUNNET', message: 'Forsendelse finnes ikke' });
    }
    // Upper case is the same id to the service, and must not open a side door.
    await sameAsUnknown((x) => `/${x.toUpperCase()}/status`);
  });

  it('cannot download a document, by the URL the owner was given or by index', async () => {
    const r = await sameAsUnknown((x) => `/${x}/dokumenter/0`);
    assert.equal(r.status, 404);
    const url =
      (before_.meta as { dokumentMetadata: { nedlasningsUrl: string }[] }).dokumentMetadata[1]?.nedlasningsUrl ?? '';
    assert.ok(url.startsWith(`${t.url}${BASE}/${id}/dokumenter/`));
    const res = await fetch(url, { headers: { authorization: basic(other) } });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { errorcode: 'IKKE_FUNNET', message: 'Forsendelse finnes ikke' });
  });

  it('cannot list: statuser leaves the id out, eksternref finds nothing', async () => {
    const statuser = await sameAsUnknown(
      () => '/statuser',
      (x) => ({ json: [x] }),
    );
    assert.deepEqual(JSON.parse(statuser.body), { statuser: [] });
    const foreignRef = await raw(other, '/eksternref/delt-ref');
    const unknownRef = await raw(other, `/eksternref/${randomUUID()}`);
    assert.deepEqual(foreignRef, unknownRef);
    assert.deepEqual(JSON.parse(foreignRef.body), { forsendelseIder: [] });
  });

  it('with its own forsendelse under the same eksternref, each avsender sees only its own', async () => {
    const mine = await restSend(t.url, other, restForsendelse({ eksternReferanse: 'delt-ref' }), [
      { filename: 'brev.pdf', bytes: pdf },
    ]);
    assert.equal(mine.status, 200);
    assert.deepEqual((await restCall(t.url, other, '/eksternref/delt-ref')).body, {
      forsendelseIder: [{ id: mine.body.id }],
    });
    assert.deepEqual((await restCall(t.url, owner, '/eksternref/delt-ref')).body, { forsendelseIder: [{ id }] });
    const mixed = await restCall(t.url, other, '/statuser', { json: [id, mine.body.id] });
    assert.deepEqual(
      mixed.body.statuser.map((s: { forsendelsesId: { id: string } }) => s.forsendelsesId.id),
      [mine.body.id],
    );
  });

  it('cannot mark: settLest and slettFiler answer 404 like an unknown id', async () => {
    const lest = { json: { lestAvFodselsNummer: FNR[1], navnPaEksterntSystem: 'Inntrenger', datoLest: Date.now() } };
    const settLest = await sameAsUnknown(
      (x) => `/${x}/settLest`,
      () => lest,
    );
    assert.equal(settLest.status, 404);
    // A bad fødselsnummer must not reveal that the id exists (400 for own ids, 404 here).
    await sameAsUnknown(
      (x) => `/${x}/settLest`,
      () => ({ json: { lestAvFodselsNummer: '1', navnPaEksterntSystem: 'x' } }),
    );
    const slett = await sameAsUnknown(
      () => '/slettFiler',
      (x) => ({ json: [{ id: x }] }),
    );
    assert.equal(slett.status, 404);
  });

  it("leaves the owner's forsendelse unchanged: not read, documents kept, no event on the other's behalf", async () => {
    // Delivery may move on (jobs run), so compare what the other avsender could have changed.
    const status = (await restCall(t.url, owner, `/${id}/status`)).body;
    assert.notEqual(status.status, 'LEST');
    const historikk = (await restCall(t.url, owner, `/${id}/historikk`)).body.hendelsesLogger as { hendelse: string }[];
    const earlier = (before_.historikk as { hendelsesLogger: unknown[] }).hendelsesLogger;
    assert.deepEqual(historikk.slice(0, earlier.length), earlier);
    assert.ok(!historikk.some((h) => /Lest|slettet|Inntrenger/.test(h.hendelse)), JSON.stringify(historikk));
    assert.deepEqual((await restCall(t.url, owner, `/${id}/dokumentMetadata`)).body, before_.meta);
    const res = await fetch(`${t.url}${BASE}/${id}/dokumenter/0`, { headers: { authorization: basic(owner) } });
    assert.equal(res.status, 200);
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), pdf);
    const record = await t.node.storage.readModel.get(id);
    assert.equal(record?.avsender, 'Eier kommune');
    assert.equal(record?.status, 'VARSLET');
    const types = (await t.node.storage.journal.read(`forsendelse:${id}`, 0)).map(
      (e) => (e.data as { type: string }).type,
    );
    assert.deepEqual(types.slice(0, 2), ['Mottatt', 'Akseptert']);
    assert.ok(types.includes('Varslet'), types.join(', '));
    assert.ok(!types.includes('LestEksternt') && !types.includes('DokumenterSlettet'), types.join(', '));
  });
});
