/**
 * The SOAP door over real HTTP with recorded client shapes (docs/interfaces.md §15 checklist). The
 * service behind it is a recording implementation of the ForsendelseService interface;
 * documents land in a real FileBlobStore and are read back byte for byte.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  cxfMtomSendForsendelse,
  nodeIdCall,
  nodeSendForsendelse,
  nodeSendForsendelseMedId,
  nodeSettLest,
  nodeStatuser,
  ORGNR,
  soap11StatusWithoutAction,
  soapLiteSendForsendelse,
  SOAP11,
  SOAP12,
  wcfMixedSendForsendelse,
} from '../../fixtures/soap/index.js';
import { makeLetterPdf } from '../../fixtures/index.js';
import { RecordingService } from './support/recording-service.js';
import { startSoapServer, type RunningSoapServer } from './support/soap-server.js';
import { faultstring, nodeClientReturns, post, reasonText } from './support/post.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('SOAP door: recorded client shapes', () => {
  let server: RunningSoapServer;
  let service: RecordingService;
  let pdfA: Uint8Array;
  let pdfB: Uint8Array;

  before(async () => {
    service = new RecordingService();
    server = await startSoapServer(service);
    pdfA = await makeLetterPdf({ seed: 1 });
    pdfB = await makeLetterPdf({ seed: 2, pages: 3 });
  });
  after(async () => server.close());

  async function bytesOf(sha256: string): Promise<Buffer> {
    return Buffer.from(await server.blobs.get(sha256));
  }

  it('takes the Node client 7.0.0 send (SOAP 1.1 envelope, 1.2 content type, inline base64) and answers 1.1', async () => {
    const res = await post(server.endpoint, nodeSendForsendelse({ dokumenter: [{ data: pdfA, filnavn: 'a.pdf' }] }));
    assert.equal(res.status, 200, res.text);
    assert.match(res.contentType, /^text\/xml/);
    assert.ok(
      res.text.startsWith(`<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body><ns2:sendForsendelseResponse`),
      res.text,
    );
    const [id] = nodeClientReturns(res.text);
    assert.match(id ?? '', UUID);
    const sent = service.sends.at(-1);
    assert.equal(sent?.id, id);
    assert.equal(sent?.input.tittel, 'T');
    assert.deepEqual(sent?.input.mottaker?.digitalAdresse, { type: 'person', fnr: '01019000083' });
    assert.equal(sent?.input.printkonfigurasjon?.fargePrint, true);
    assert.deepEqual(await bytesOf(sent?.documents[0]?.sha256 ?? ''), Buffer.from(pdfA));
  });

  it('reads an organisasjonDigitalAdresse without orgnr (Node 7.0.0) as a postal-only recipient', async () => {
    const res = await post(
      server.endpoint,
      nodeSendForsendelse({
        dokumenter: [{ data: pdfA, filnavn: 'a.pdf' }],
        organisasjonUtenOrgnr: true,
        postAdresse: { navn: 'Org AS', postnr: '3710', poststed: 'Skien' },
      }),
    );
    assert.equal(res.status, 200, res.text);
    const sent = service.sends.at(-1);
    assert.equal(sent?.input.mottaker?.digitalAdresse, undefined);
    assert.equal(sent?.input.mottaker?.postAdresse?.navn, 'Org AS');
  });

  it('uses the caller-chosen id of sendForsendelseMedId, also when it sits inside <forsendelse>', async () => {
    const id = '11111111-2222-4333-8444-555555555555';
    const res = await post(
      server.endpoint,
      nodeSendForsendelseMedId(id, { dokumenter: [{ data: pdfA, filnavn: 'a.pdf' }] }),
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(nodeClientReturns(res.text), [id]);
    assert.equal(service.sends.at(-1)?.options.id, id);
  });

  it('refuses sendForsendelseMedId with two different ids, inside and beside <forsendelse>; the same one twice is fine', async () => {
    const inner = '11111111-2222-4333-8444-666666666666';
    const before = service.sends.length;
    const twoIds = (outer: string) => {
      const fixture = nodeSendForsendelseMedId(inner, { dokumenter: [{ data: pdfA, filnavn: 'a.pdf' }] });
      const body = fixture.body
        .toString('utf8')
        .replace('</forsendelse>', `</forsendelse><forsendelsesid>${outer}</forsendelsesid>`);
      assert.ok(body.includes(`<forsendelsesid>${outer}</forsendelsesid>`));
      return { ...fixture, body: Buffer.from(body) };
    };
    const differ = await post(server.endpoint, twoIds('11111111-2222-4333-8444-777777777777'));
    assert.equal(differ.status, 500, differ.text);
    assert.match(differ.text, /forsendelsesid .* og forsendelse\.forsendelsesid .* er ulike; send én av dem/);
    assert.equal(service.sends.length, before, 'nothing sent');
    const same = await post(server.endpoint, twoIds(inner.toUpperCase()));
    assert.equal(same.status, 200, same.text);
  });

  it('refuses sendForsendelseMedId without an id, or with an empty one, naming forsendelsesid', async () => {
    const before = service.sends.length;
    for (const id of ['', '   ']) {
      const res = await post(
        server.endpoint,
        nodeSendForsendelseMedId(id, { dokumenter: [{ data: pdfA, filnavn: 'a.pdf' }] }),
      );
      assert.equal(res.status, 500, res.text);
      assert.match(res.text, /Mangler forsendelses-id: sendForsendelseMedId må ha forsendelsesid/);
    }
    const withoutElement = nodeSendForsendelseMedId('x', { dokumenter: [{ data: pdfA, filnavn: 'a.pdf' }] });
    const res = await post(server.endpoint, {
      ...withoutElement,
      body: Buffer.from(withoutElement.body.toString('utf8').replace('<forsendelsesid>x</forsendelsesid>', '')),
    });
    assert.equal(res.status, 500, res.text);
    assert.match(res.text, /må ha forsendelsesid/);
    assert.equal(service.sends.length, before, 'nothing sent');
  });

  it('takes a CXF MTOM request with WS-Addressing/WS-Security mustUnderstand headers and two XOP parts, answering 1.2', async () => {
    const res = await post(
      server.endpoint,
      cxfMtomSendForsendelse([
        { data: pdfA, filnavn: 'vedtak.pdf' },
        { data: pdfB, filnavn: 'vedlegg.pdf' },
      ]),
    );
    assert.equal(res.status, 200, res.text);
    assert.match(res.contentType, /^application\/soap\+xml/);
    assert.ok(res.text.startsWith(`<soap:Envelope xmlns:soap="${SOAP12}">`));
    const sent = service.sends.at(-1);
    assert.equal(nodeClientReturns(res.text)[0], sent?.id);
    assert.deepEqual(
      sent?.input.dokumenter.map((d) => d.filnavn),
      ['vedtak.pdf', 'vedlegg.pdf'],
    );
    assert.deepEqual(await bytesOf(sent?.documents[0]?.sha256 ?? ''), Buffer.from(pdfA));
    assert.deepEqual(await bytesOf(sent?.documents[1]?.sha256 ?? ''), Buffer.from(pdfB));
    assert.equal(sent?.input.metadataFraAvleverendeSystem?.sakssekvensnummer, 42);
    assert.equal(sent?.input.metadataFraAvleverendeSystem?.dokumentetsDato, Date.UTC(2018, 3, 13, 8, 0, 0));
    assert.equal(sent?.input.signaturtype, undefined);
    assert.equal(sent?.input.printkonfigurasjon?.tosidig, true);
    assert.equal(sent?.input.konteringskode, 'NAV-1.2');
  });

  it('takes a WCF request mixing inline base64 (with &#xD; line breaks) and XOP with bracket-less Content-IDs', async () => {
    const res = await post(server.endpoint, wcfMixedSendForsendelse(pdfA, pdfB));
    assert.equal(res.status, 200, res.text);
    const sent = service.sends.at(-1);
    assert.equal(nodeClientReturns(res.text)[0], sent?.id);
    assert.deepEqual(sent?.input.mottaker?.digitalAdresse, { type: 'organisasjon', orgnr: ORGNR });
    assert.deepEqual(
      sent?.input.dokumenter.map((d) => d.filnavn),
      ['følgebrev.pdf', 'matrikkelbrev.pdf'],
    );
    assert.deepEqual(await bytesOf(sent?.documents[0]?.sha256 ?? ''), Buffer.from(pdfA));
    assert.deepEqual(await bytesOf(sent?.documents[1]?.sha256 ?? ''), Buffer.from(pdfB));
  });

  it('takes a SOAP::Lite send: xsi:type on every element, 0/1 booleans, its own element order', async () => {
    const res = await post(server.endpoint, soapLiteSendForsendelse(pdfA));
    assert.equal(res.status, 200, res.text);
    const sent = service.sends.at(-1);
    assert.equal(sent?.input.tittel, 'Purring på lån');
    assert.equal(sent?.input.kunDigitalLevering, false);
    assert.equal(sent?.input.mottaker?.postAdresse?.poststed, 'Båtsfjord');
    assert.deepEqual(await bytesOf(sent?.documents[0]?.sha256 ?? ''), Buffer.from(pdfA));
  });

  it('answers a SOAP 1.1 text/xml request without SOAPAction, trimming the id', async () => {
    const id = service.sends[0]?.id ?? '';
    const res = await post(server.endpoint, soap11StatusWithoutAction(id));
    assert.equal(res.status, 200, res.text);
    assert.match(res.contentType, /^text\/xml/);
    assert.deepEqual(nodeClientReturns(res.text), ['MOTTATT']);
  });

  it('answers misspelled and V10-style operation names in the V9 namespace', async () => {
    const id = service.sends[0]?.id ?? '';
    for (const op of ['retrieveForsendelsesStatus', 'retrieveForsendelseStatus']) {
      const res = await post(server.endpoint, nodeIdCall(op, id));
      assert.equal(res.status, 200, `${op}: ${res.text}`);
      assert.ok(res.text.includes(`<ns2:${op}Response `), res.text);
      assert.deepEqual(nodeClientReturns(res.text), ['MOTTATT']);
    }
    for (const op of [
      'retreiveForsendelseTyper',
      'retrieveForsendelseTyper',
      'retrieveForsendelsesTyper',
      'retreiveForsendelsesTyper',
    ]) {
      const res = await post(server.endpoint, nodeIdCall(op, ''));
      assert.deepEqual(nodeClientReturns(res.text), ['Byggesøknad', 'nav.digisos'], op);
    }
    const hist = await post(server.endpoint, nodeIdCall('retrieveForsendelsesHistorikk', id));
    const [ret] = nodeClientReturns(hist.text);
    assert.equal(
      ret,
      '<hendelsesLogg><hendelse>Mottatt, og tildelt forsendelse-id</hendelse><tidspunkt>18.10.2017 23:21:18</tidspunkt></hendelsesLogg><hendelsesLogg><hendelse>Orginaldokumenter er lagret (1 dokument)&#10;linje to &amp; &lt;mer&gt;</hendelse><tidspunkt>18.10.2017 23:21:19</tidspunkt></hendelsesLogg>',
    );
    const meta = await post(server.endpoint, nodeIdCall('retrieveDokumentMetadata', id));
    assert.match(
      nodeClientReturns(meta.text)[0] ?? '',
      /^<mimeType>application\/pdf<\/mimeType><filnavn>a\.pdf<\/filnavn><kanSigneres>false<\/kanSigneres><sizeInBytes>\d+<\/sizeInBytes><sha256hash>[0-9a-f]{64}<\/sha256hash>$/,
    );
  });

  it('shapes structured returns so the Node client regex reads them column-wise', async () => {
    const [a, b] = service.sends;
    const res = await post(server.endpoint, nodeStatuser([a?.id ?? '', 'ukjent', b?.id ?? '']));
    assert.deepEqual(nodeClientReturns(res.text), [
      `<forsendelseStatus>AKSEPTERT</forsendelseStatus><forsendelsesid>${a?.id}</forsendelsesid><sisteStatusEndring>2017-10-18T23:21:18.398+02:00</sisteStatusEndring>`,
      `<forsendelseStatus>AKSEPTERT</forsendelseStatus><forsendelsesid>${b?.id}</forsendelsesid><sisteStatusEndring>2017-10-18T23:21:18.398+02:00</sisteStatusEndring>`,
    ]);
    assert.ok(!/\n/.test(res.text), 'no line breaks anywhere in the response');
  });

  it('answers a void operation with an empty response element (the Node client resolves true)', async () => {
    const id = service.sends[0]?.id ?? '';
    const res = await post(server.endpoint, nodeSettLest(id));
    assert.equal(res.status, 200, res.text);
    assert.ok(
      res.text.includes(
        `<ns2:setForsendelseLestAvEksterntSystemResponse xmlns:ns2="http://www.ks.no/svarut/servicesV9"/>`,
      ),
    );
    assert.deepEqual(nodeClientReturns(res.text), []);
    assert.deepEqual(service.lest.at(-1), {
      avsender: 'kommune',
      id,
      lest: { fnr: '11111111111', systemnavn: 'arkiv', at: Date.UTC(2018, 0, 1) },
    });
  });

  it('faults in the request version with the Norwegian message: 1.1 faultstring, 1.2 Reason/Text, HTTP 500', async () => {
    const unknown = '99999999-9999-4999-8999-999999999999';
    const r11 = await post(server.endpoint, nodeIdCall('retrieveForsendelseStatus', unknown));
    assert.equal(r11.status, 500);
    assert.match(r11.contentType, /^text\/xml/);
    assert.equal(faultstring(r11.text), 'Forsendelse finnes ikke');
    assert.ok(r11.text.includes('<faultcode>soap:Client</faultcode>'));
    assert.ok(!r11.text.includes('title'), 'the Node client would read <title> instead of <faultstring>');
    const cxf = cxfMtomSendForsendelse([{ data: pdfA, filnavn: 'a.pdf' }]);
    service.failNextSend = new (await import('../../../src/domain/errors.js')).ValidationError([
      { field: 'tittel', message: 'Mangler tittel: tittel må fylles ut' },
    ]);
    const r12 = await post(server.endpoint, cxf);
    assert.equal(r12.status, 500);
    assert.match(r12.contentType, /^application\/soap\+xml/);
    assert.equal(reasonText(r12.text), 'Mangler tittel: tittel må fylles ut');
    assert.ok(r12.text.includes('<soap:Value>soap:Sender</soap:Value>'));
    assert.ok(r12.text.includes('<felt navn="tittel">'));
  });
});
