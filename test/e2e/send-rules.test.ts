/**
 * The send rules of issue #17 against a real node (SQLite, actors, PDF checks): settLest
 * after print makes the letter LEST with the print kept in its history; the same id resent
 * (same content → the same id, other content → a fault, another avsender's id → a fault
 * that tells nothing of that letter), over REST v1 and SOAP; and the duplicate rule (the
 * 26th letter alike within 2 days is refused with its Norwegian message).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  basic,
  FNR,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { nodeIdCall, nodeSendForsendelseMedId, nodeSettLest } from '../fixtures/soap/index.js';
import { faultstring, nodeClientReturns, post } from '../unit/soap/support/post.js';

const BASE = '/tjenester/api/forsendelse/v1';
const SOAP = '/tjenester/forsendelseservice/ForsendelsesServiceV9';

describe('send rules: read is read, the same id again, duplicates', () => {
  let t: TestNode;
  let dir: string;
  let creds: Creds;
  let other: Creds;
  let pdf: Uint8Array;
  const brev = () => [{ filename: 'brev.pdf', bytes: pdf }];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-send-rules-'));
    // No contact register: every person goes to print at once.
    t = await startTestNode({ PRINT_DIR: join(dir, 'print'), PRINT_RECEIPT_PASSWORD: 'hemmelig-passord' });
    creds = await t.sender('Regelkommune');
    other = await t.sender('Annenkommune');
    pdf = await letterPdf();
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function sendRest(json: Record<string, unknown>, as = creds, id?: string) {
    return restSend(t.url, as, json, brev(), id === undefined ? undefined : `${BASE}/${id}/sendForsendelse`);
  }
  const lines = async (id: string, as = creds): Promise<string[]> =>
    (await restCall(t.url, as, `/${id}/historikk`)).body.hendelsesLogger.map((h: { hendelse: string }) => h.hendelse);
  const receipt = (forsendelseId: string) =>
    fetch(`${t.url}/tjenester/api/print/v1/kvitteringer`, {
      method: 'POST',
      headers: {
        authorization: basic({ user: 'printleverandor', password: 'hemmelig-passord' }),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        forsendelseId,
        sider: 3,
        fargesider: 0,
        konvolutter: 1,
        ark: 2,
        vekt: 20,
        porto: 2300,
        produksjonskostnad: 450,
      }),
    });

  describe('read is read', () => {
    it('REST v1 settLest after print → LEST; the print and a later receipt stay in the history', async () => {
      const sent = await sendRest(restForsendelse({ tittel: 'Lest etter print' }));
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const id = String(sent.body.id);
      await waitForStatus(t.url, creds, id, 'SENDT_PRINT');
      const r = await restCall(t.url, creds, `/${id}/settLest`, {
        json: { lestAvFodselsNummer: FNR[1], navnPaEksterntSystem: 'Arkiv', datoLest: Date.now() },
      });
      assert.equal(r.status, 200);
      assert.equal((await restCall(t.url, creds, `/${id}/status`)).body.status, 'LEST');
      // The print provider's receipt still comes and is recorded; the letter stays LEST.
      const res = await receipt(id);
      assert.equal(res.status, 200, await res.clone().text());
      assert.deepEqual(await res.json(), { kvitteringer: [{ forsendelseId: id, registrert: true }] });
      const history = await lines(id);
      assert.ok(history.includes('Sendt til print'), history.join(' | '));
      assert.ok(history.some((l) => l.startsWith('Lest eksternt ')));
      assert.match(history.at(-1) ?? '', /^Printet: 3 sider/);
      assert.equal((await restCall(t.url, creds, `/${id}/status`)).body.status, 'LEST');
    });

    it('SOAP setForsendelseLestAvEksterntSystem after PRINTET → LEST', async () => {
      const sent = await sendRest(restForsendelse({ tittel: 'Lest etter printet' }));
      const id = String(sent.body.id);
      await waitForStatus(t.url, creds, id, 'SENDT_PRINT');
      assert.equal((await receipt(id)).status, 200);
      await waitForStatus(t.url, creds, id, 'PRINTET');
      const res = await post(`${t.url}${SOAP}`, nodeSettLest(id, FNR[2]), basic(creds));
      assert.equal(res.status, 200, res.text);
      const status = await post(`${t.url}${SOAP}`, nodeIdCall('retrieveForsendelseStatus', id), basic(creds));
      assert.deepEqual(nodeClientReturns(status.text), ['LEST']);
      assert.ok((await lines(id)).some((l) => l.startsWith('Printet: ')));
    });
  });

  describe('the same id again', () => {
    it('REST v1 {id}/sendForsendelse: same content → 200 with that id and nothing new; other content → 409', async () => {
      const id = (await restCall(t.url, creds, '/startNyForsendelse', { method: 'POST' })).body.id as string;
      const json = restForsendelse({ tittel: 'Forsøkt på nytt' });
      const first = await sendRest(json, creds, id);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.id, id);
      const before = await lines(id);
      const again = await sendRest(json, creds, id);
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.id, id);
      assert.equal(before.filter((l) => l === 'Mottatt, og tildelt forsendelse-id').length, 1);
      assert.deepEqual((await lines(id)).slice(0, before.length), before, 'no second letter');

      const changed = await sendRest({ ...json, tittel: 'Et annet brev' }, creds, id);
      assert.equal(changed.status, 409, JSON.stringify(changed.body));
      assert.equal(changed.body.errorcode, 'KONFLIKT');
      assert.match(String(changed.body.message), /allerede mottatt med annet innhold/);
      const otherPdf = await restSend(
        t.url,
        creds,
        json,
        [{ filename: 'brev.pdf', bytes: new Uint8Array([...pdf.subarray(0, pdf.length - 1), 0x0a]) }],
        `${BASE}/${id}/sendForsendelse`,
      );
      assert.equal(otherPdf.status, 409, 'other document bytes are other content');
    });

    it('the nil UUID is no id a letter may take: refused, so clients that send it do not share one letter', async () => {
      const r = await sendRest(restForsendelse({ tittel: 'Null-id' }), creds, '00000000-0000-0000-0000-000000000000');
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(String(r.body.message), /kan ikke være null-UUID-en/);
    });

    it('the same letter sent twice at once under one id: both answers carry that id, one letter', async () => {
      const id = randomUUID();
      const json = restForsendelse({ tittel: 'To på en gang' });
      const [a, b] = await Promise.all([sendRest(json, creds, id), sendRest(json, creds, id)]);
      assert.deepEqual([a.status, b.status], [200, 200], JSON.stringify([a.body, b.body]));
      assert.deepEqual([a.body.id, b.body.id], [id, id]);
      const history = await lines(id);
      assert.equal(history.filter((l) => l === 'Mottatt, og tildelt forsendelse-id').length, 1);
    });

    it("another avsender's id is refused with a fault that says nothing of that letter", async () => {
      const id = randomUUID();
      const json = restForsendelse({ tittel: 'Hemmelig sak 4711' });
      assert.equal((await sendRest(json, creds, id)).status, 200);
      const theirs = await sendRest(json, other, id);
      assert.equal(theirs.status, 409, JSON.stringify(theirs.body));
      const message = String(theirs.body.message);
      assert.match(message, /er allerede i bruk; bruk en ny forsendelses-id/);
      assert.doesNotMatch(message, /Hemmelig|4711|Regelkommune|innhold|SENDT_PRINT|AKSEPTERT/);
      assert.equal((await restCall(t.url, other, `/${id}/status`)).status, 404, 'still not theirs to read');
    });

    it("another avsender's id with an invalid letter: the same validation errors as a free id, nothing about the id", async () => {
      const id = randomUUID();
      assert.equal((await sendRest(restForsendelse({ tittel: 'Finnes' }), creds, id)).status, 200);
      const invalid = restForsendelse({ tittel: '' });
      const taken = await sendRest(invalid, other, id);
      const free = await sendRest(invalid, other, randomUUID());
      assert.deepEqual([taken.status, free.status], [400, 400], JSON.stringify([taken.body, free.body]));
      assert.equal(taken.body.message, free.body.message);
      assert.doesNotMatch(String(taken.body.message), /i bruk/);
    });

    it('SOAP sendForsendelseMedId: the retry answers 200 with the same id; other content a fault', async () => {
      const id = randomUUID();
      const fixture = (tittel: string) =>
        nodeSendForsendelseMedId(id, { dokumenter: [{ data: pdf, filnavn: 'brev.pdf' }], tittel });
      const first = await post(`${t.url}${SOAP}`, fixture('Soap på nytt'), basic(creds));
      assert.equal(first.status, 200, first.text);
      assert.deepEqual(nodeClientReturns(first.text), [id]);
      const again = await post(`${t.url}${SOAP}`, fixture('Soap på nytt'), basic(creds));
      assert.equal(again.status, 200, again.text);
      assert.deepEqual(nodeClientReturns(again.text), [id]);
      const changed = await post(`${t.url}${SOAP}`, fixture('Noe annet'), basic(creds));
      assert.equal(changed.status, 500);
      assert.match(faultstring(changed.text) ?? '', /allerede mottatt med annet innhold/);
      const theirs = await post(`${t.url}${SOAP}`, fixture('Soap på nytt'), basic(other));
      assert.equal(theirs.status, 500);
      assert.match(faultstring(theirs.text) ?? '', /er allerede i bruk/);
    });
  });

  describe('duplicates', () => {
    it('26 identical letters (avsender, tittel, mottaker) within 2 days: the 26th is refused', async () => {
      const json = restForsendelse({ tittel: 'Purring på faktura' });
      const firstId = randomUUID();
      for (let i = 1; i <= 25; i++) {
        const r = await sendRest(json, creds, i === 1 ? firstId : undefined);
        assert.equal(r.status, 200, `letter ${i}: ${JSON.stringify(r.body)}`);
      }
      const refused = await sendRest(json);
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.equal(refused.body.errorcode, 'GJENTAGENDE_FORSENDELSE', "KS's own code for it, which clients act on");
      assert.match(
        String(refused.body.message),
        /^Duplikat: Forsendelse med samme mottaker, tittel og avsender er sendt 25 ganger de siste 2 døgnene/,
      );
      // Alike in all but one: another title, another recipient's address, another avsender.
      assert.equal((await sendRest({ ...json, tittel: 'Purring på faktura 2' })).status, 200);
      const mottaker = json.mottaker as { postAdresse: Record<string, string> };
      const moved = { ...mottaker, postAdresse: { ...mottaker.postAdresse, adresse1: 'Storgata 2' } };
      assert.equal((await sendRest({ ...json, mottaker: moved })).status, 200);
      assert.equal((await sendRest(json, other)).status, 200);
      // A client retrying the first letter under its id gets its id: a retry is no new letter.
      const retry = await sendRest(json, creds, firstId);
      assert.equal(retry.status, 200, JSON.stringify(retry.body));
      assert.equal(retry.body.id, firstId);
      assert.equal((await sendRest(json)).status, 400, 'a new one alike is still refused');
    });
  });
});
