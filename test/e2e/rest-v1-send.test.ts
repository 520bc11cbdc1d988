import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  ACCEPTED_OR_LATER,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';

describe('REST v1: a forsendelse from send to AKSEPTERT', () => {
  let t: TestNode;
  let creds: Creds;
  before(async () => {
    t = await startTestNode();
    creds = await t.sender('Testkommune');
  });
  after(() => t.stop());

  it('answers an id, reaches AKSEPTERT with the real history texts, and gives the sha256 of each file', async () => {
    const pdf = await letterPdf();
    const other = new TextEncoder().encode('%PDF-not really, excluded from print');
    const json = restForsendelse({
      eksternReferanse: 'sak-1',
      dokumenter: [
        { filnavn: 'brev.pdf', mimeType: 'application/pdf' },
        { filnavn: 'vedlegg.xml', mimeType: 'application/xml', ekskluderesFraUtskrift: true },
      ],
    });
    const sent = await restSend(t.url, creds, json, [
      { filename: 'vedlegg.xml', bytes: other, partName: 'filer_1' },
      { filename: 'brev.pdf', bytes: pdf, partName: 'whatever' },
    ]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const id = sent.body.id as string;
    assert.match(id, /^[0-9a-f-]{36}$/);

    await waitForStatus(t.url, creds, id, ACCEPTED_OR_LATER);
    const hist = await restCall(t.url, creds, `/${id}/historikk`);
    const texts = hist.body.hendelsesLogger.map((h: { hendelse: string }) => h.hendelse);
    assert.deepEqual(texts.slice(0, 5), [
      'Mottatt, og tildelt forsendelse-id',
      'Metadata er validert OK',
      'Orginaldokumenter er lagret (2 dokumenter)',
      'Forsendelsesfil generert',
      'Akseptert for ekspedering',
    ]);
    for (const h of hist.body.hendelsesLogger) assert.match(h.tidspunkt, /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/);

    const meta = await restCall(t.url, creds, `/${id}/dokumentMetadata`);
    const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
    assert.deepEqual(
      meta.body.dokumentMetadata.map((d: { filnavn: string; sha256hash: string; sizeInBytes: number }) => [
        d.filnavn,
        d.sha256hash,
        d.sizeInBytes,
      ]),
      [
        ['brev.pdf', sha(pdf), pdf.length],
        ['vedlegg.xml', sha(other), other.length],
      ],
    );
    // The original is downloadable byte for byte.
    const dl = await fetch(meta.body.dokumentMetadata[0].nedlasningsUrl, {
      headers: { authorization: `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}` },
    });
    assert.equal(sha(new Uint8Array(await dl.arrayBuffer())), sha(pdf));

    const byRef = await restCall(t.url, creds, '/eksternref/sak-1');
    assert.deepEqual(byRef.body, { forsendelseIder: [{ id }] });
    const statuser = await restCall(t.url, creds, '/statuser', { json: [id, '00000000-0000-4000-8000-000000000000'] });
    assert.equal(statuser.body.statuser.length, 1);
    assert.equal(statuser.body.statuser[0].forsendelsesId.id, id);
  });

  it('is MOTTATT or later the moment the id is handed out (journaled before the answer)', async () => {
    const sent = await restSend(t.url, creds, restForsendelse(), [{ filename: 'brev.pdf', bytes: await letterPdf() }]);
    const status = await restCall(t.url, creds, `/${sent.body.id as string}/status`);
    assert.equal(status.status, 200);
    assert.ok(['MOTTATT', ...ACCEPTED_OR_LATER].includes(status.body.status));
  });

  it('takes a caller-chosen id (startNyForsendelse + /{id}/sendForsendelse): the same letter again is its id, another letter a 409', async () => {
    const start = await restCall(t.url, creds, '/startNyForsendelse', { method: 'POST' });
    const id = start.body.id as string;
    const path = `/tjenester/api/forsendelse/v1/${id}/sendForsendelse`;
    const first = await restSend(
      t.url,
      creds,
      restForsendelse(),
      [{ filename: 'brev.pdf', bytes: await letterPdf() }],
      path,
    );
    assert.deepEqual(first, { status: 200, body: { id } });
    const again = await restSend(
      t.url,
      creds,
      restForsendelse(),
      [{ filename: 'brev.pdf', bytes: await letterPdf() }],
      path,
    );
    // The same letter again under its id is a client's retry: the same id (issue #17).
    assert.deepEqual(again, { status: 200, body: { id } });
    const other = await restSend(
      t.url,
      creds,
      restForsendelse({ tittel: 'Et annet brev' }),
      [{ filename: 'brev.pdf', bytes: await letterPdf() }],
      path,
    );
    assert.equal(other.status, 409);
    assert.match(String(other.body.message), /er allerede mottatt med annet innhold/);
  });

  it('answers 401 with a Basic challenge without or with wrong credentials', async () => {
    const none = await fetch(`${t.url}/tjenester/api/forsendelse/v1/forsendelseTyper`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Basic realm=/);
    const wrong = await restCall(t.url, { user: creds.user, password: 'feil' }, '/forsendelseTyper');
    assert.equal(wrong.status, 401);
    const ok = await restCall(t.url, creds, '/forsendelseTyper');
    assert.ok(ok.body.forsendelseTyper.includes('Byggesøknad'));
  });
});
