/**
 * REST v1 values as clients put them on the wire, and values no client means (an outside
 * review of 6 December 2026): a date is epoch ms, its digits, or ISO 8601, never whatever
 * `Date.parse` makes of "Sak 12"; a number for a text is taken only where it is kept exactly;
 * the metadata part is known by its name, also as `curl -F forsendelse=@file` sends it; a
 * byte order mark before the JSON is skipped; `slettFiler` entries of another shape are the
 * caller's error; an eksternref with a slash is found as KS's client asks for it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  basic,
  FNR,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  restSendRaw,
  startTestNode,
  type Creds,
  type TestNode,
} from '../factories.js';

const V1 = '/tjenester/api/forsendelse/v1';

describe('REST v1 values on the wire', () => {
  let t: TestNode;
  let creds: Creds;
  let pdf: Uint8Array;

  before(async () => {
    t = await startTestNode();
    creds = await t.sender('Verdikommune');
    pdf = await letterPdf();
  });
  after(() => t.stop());

  const send = (json: Record<string, unknown>) => restSend(t.url, creds, json, [{ filename: 'brev.pdf', bytes: pdf }]);

  const sendRaw = (partHeaders: string, json: Buffer) => restSendRaw(t.url, creds, partHeaders, json, pdf);

  it('refuses a date that is not epoch ms, its digits or ISO 8601, and takes each of those', async () => {
    // Date.parse read "Sak 12" as 1 December 2001; digits are epoch ms, as Jackson reads them.
    for (const bad of ['Sak 12', 'x 1', '2026-13-01', 1767225600000.5, '275760-09-14T00:00:00Z', '300000-01-01']) {
      const r = await send(restForsendelse({ metadataFraAvleverendeSystem: { journalDato: bad } }));
      assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${JSON.stringify(r.body)}`);
      assert.match(String(r.body.message), /Ugyldig dato i metadataFraAvleverendeSystem\.journalDato/);
    }
    for (const good of [1767225600000, '1767225600000', '2026-01-01T00:00:00Z', '2026-01-01']) {
      const r = await send(restForsendelse({ metadataFraAvleverendeSystem: { dokumentetsDato: good } }));
      assert.equal(r.status, 200, `${JSON.stringify(good)}: ${JSON.stringify(r.body)}`);
    }
  });

  it('settLest: a datoLest of "1" is refused and the letter stays unread; its digits are taken', async () => {
    const r = await send(restForsendelse());
    const id = String(r.body.id);
    const bad = await restCall(t.url, creds, `/${id}/settLest`, {
      json: { lestAvFodselsNummer: FNR[1], navnPaEksterntSystem: 'Arkiv', datoLest: '1' },
    });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.match(String(bad.body.message), /datoLest/);
    const far = await restCall(t.url, creds, `/${id}/settLest`, {
      json: { lestAvFodselsNummer: FNR[1], navnPaEksterntSystem: 'Arkiv', datoLest: '300000-01-01' },
    });
    assert.equal(far.status, 400, JSON.stringify(far.body));
    const history = await restCall(t.url, creds, `/${id}/historikk`);
    assert.ok(!JSON.stringify(history.body).includes('Lest eksternt'), 'nothing recorded by the refused read report');
    const fnr = await restCall(t.url, creds, `/${id}/settLest`, {
      json: { lestAvFodselsNummer: '123', navnPaEksterntSystem: 'Arkiv' },
    });
    assert.equal(fnr.status, 400);
    assert.match(String(fnr.body.message), /lestAvFodselsNummer må være 11 siffer/, 'the field as REST v1 spells it');
    const ok = await restCall(t.url, creds, `/${id}/settLest`, {
      json: { lestAvFodselsNummer: FNR[1], navnPaEksterntSystem: 'Arkiv', datoLest: String(Date.now() - 60_000) },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it('takes a number for a text where it is kept exactly, and refuses one that would be stored changed', async () => {
    const kept = await send(restForsendelse({ eksternReferanse: 123456789 }));
    assert.equal(kept.status, 200, JSON.stringify(kept.body));
    const found = await restCall(t.url, creds, '/eksternref/123456789');
    assert.deepEqual(found.body, { forsendelseIder: [{ id: kept.body.id }] });
    const big = await sendRaw(
      'Content-Disposition: form-data; name="forsendelse"\r\nContent-Type: application/json',
      Buffer.from(
        JSON.stringify(restForsendelse({ eksternReferanse: 1 })).replace(
          '"eksternReferanse":1',
          '"eksternReferanse":12345678901234567890',
        ),
      ),
    );
    assert.equal(big.status, 400, JSON.stringify(big.body));
    assert.match(String(big.body.message), /eksternReferanse: tallet kan ikke leses nøyaktig som tekst/);
    const decimal = await sendRaw(
      'Content-Disposition: form-data; name="forsendelse"\r\nContent-Type: application/json',
      Buffer.from(
        JSON.stringify(restForsendelse({ eksternReferanse: 1 })).replace(
          '"eksternReferanse":1',
          '"eksternReferanse":1.10',
        ),
      ),
    );
    assert.equal(decimal.status, 400, 'a decimal would be stored as "1.1", not as the "1.10" sent');
  });

  it('reads the part named forsendelse as the metadata also as a file of any type, and skips a byte order mark', async () => {
    const json = Buffer.from(JSON.stringify(restForsendelse({ eksternReferanse: 'curl-fil' })));
    const asFile = await sendRaw(
      'Content-Disposition: form-data; name="forsendelse"; filename="forsendelse.json"\r\nContent-Type: application/octet-stream',
      json,
    );
    assert.equal(asFile.status, 200, JSON.stringify(asFile.body));
    const withBom = await sendRaw(
      'Content-Disposition: form-data; name="forsendelse"\r\nContent-Type: application/json',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]),
    );
    assert.equal(withBom.status, 200, JSON.stringify(withBom.body));
  });

  it('slettFiler: an entry that is not {"id": "…"} is a 400 naming it, and nothing is deleted', async () => {
    const r = await send(restForsendelse());
    const id = String(r.body.id);
    const bad = await restCall(t.url, creds, '/slettFiler', { json: [{ id }, { id: { a: 1 } }, null, 5] });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.match(String(bad.body.message), /forsendelseIder\[1\]/);
    assert.match(String(bad.body.message), /forsendelseIder\[3\]/);
    const meta = await restCall(t.url, creds, `/${id}/dokumentMetadata`);
    assert.equal(meta.status, 200);
    const doc = await fetch(`${t.url}${V1}/${id}/dokumenter/0`, { headers: { authorization: basic(creds) } });
    assert.equal(doc.status, 200, 'the documents are still there');
  });

  it('mottakersystem: an organisasjonsNummer that is not 9 digits or a niva outside 0–9 is a 400 naming it', async () => {
    for (const [path, field] of [
      ['/mottakersystem/abc', 'organisasjonsNummer'],
      ['/mottakersystem?organisasjonsNummer=12345', 'organisasjonsNummer'],
      ['/mottakersystem?organisasjonsNummer=974760673&niva=12', 'niva'],
    ] as const) {
      const r = await restCall(t.url, creds, path);
      assert.equal(r.status, 400, `${path}: ${JSON.stringify(r.body)}`);
      assert.match(String(r.body.message), new RegExp(`Ugyldig ${field}`), path);
    }
    const ok = await restCall(t.url, creds, '/mottakersystem/974760673?forsendelsesType=Innkommende dokument&niva=4');
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(ok.body, { treff: [] });
  });

  it('finds an eksternref with a slash, sent in the path as it is or encoded', async () => {
    const r = await send(restForsendelse({ eksternReferanse: 'sak-2026/42' }));
    assert.equal(r.status, 200);
    for (const path of ['/eksternref/sak-2026/42', '/eksternref/sak-2026%2F42']) {
      const found = await restCall(t.url, creds, path);
      assert.equal(found.status, 200, path);
      assert.deepEqual(found.body, { forsendelseIder: [{ id: r.body.id }] }, path);
    }
  });

  it('a document without filnavn is refused naming dokumenter[0].filnavn, not the file parts', async () => {
    for (const dokument of [{ mimeType: 'application/pdf' }, { filnavn: '', mimeType: 'application/pdf' }]) {
      const r = await send(restForsendelse({ dokumenter: [dokument] }));
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.message, 'Mangler filnavn: dokumenter[0].filnavn må fylles ut');
    }
  });
});
