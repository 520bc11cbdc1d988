/**
 * SOAP V9 against the real node (actors, SQLite, file blobs, PDF validation): the
 * recorded client shapes are accepted, reach AKSEPTERT, and their documents are stored
 * byte for byte; reads answer in the shapes those clients parse.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { basic, eventually, letterPdf, startTestNode, type Creds, type TestNode } from '../factories.js';
import { makeLetterPdf } from '../fixtures/index.js';
import {
  cxfMtomSendForsendelse,
  nodeClientEnvelope,
  nodeIdCall,
  nodeSendForsendelse,
  nodeSendForsendelseMedId,
  nodeSettLest,
  nodeStatuser,
  soap11StatusWithoutAction,
  soapLiteSendForsendelse,
  wcfMixedSendForsendelse,
  type SoapFixture,
} from '../fixtures/soap/index.js';
import { nodeClientReturns, post } from '../unit/soap/support/post.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('SOAP V9 e2e: recorded client shapes against the real node', () => {
  let t: TestNode;
  let creds: Creds;
  let endpoint: string;
  let pdfA: Uint8Array;
  let pdfB: Uint8Array;

  before(async () => {
    t = await startTestNode();
    creds = await t.sender('Soapkommune');
    endpoint = `${t.url}/tjenester/forsendelseservice/ForsendelsesServiceV9`;
    pdfA = await letterPdf();
    pdfB = await makeLetterPdf({ seed: 11, pages: 3 });
  });
  after(() => t.stop());

  async function send(fixture: SoapFixture): Promise<string> {
    const res = await post(endpoint, fixture, basic(creds));
    assert.equal(res.status, 200, res.text);
    const [id] = nodeClientReturns(res.text);
    assert.match(id ?? '', UUID);
    return id ?? '';
  }

  /** Waits until the SOAP historikk says the forsendelse was accepted (it may move on at once). */
  async function accepted(id: string): Promise<void> {
    await eventually(
      async () => {
        const res = await post(endpoint, nodeIdCall('retrieveForsendelseHistorikk', id), basic(creds));
        return res.text.includes('<hendelse>Akseptert for ekspedering</hendelse>') ? true : undefined;
      },
      15_000,
      `${id} akseptert`,
    );
  }

  /** sha256 of each stored document, in order, via the V10 alias the Node client 7.0.0 sends. */
  async function storedShas(id: string): Promise<string[]> {
    const res = await post(endpoint, nodeIdCall('retrieveDokumentMetadata', id), basic(creds));
    assert.equal(res.status, 200, res.text);
    return nodeClientReturns(res.text).map((r) => /<sha256hash>([0-9a-f]{64})<\/sha256hash>/.exec(r)?.[1] ?? '');
  }

  it('CXF MTOM with WS-A/WS-Security mustUnderstand headers and two XOP parts', async () => {
    const id = await send(
      cxfMtomSendForsendelse([
        { data: pdfA, filnavn: 'vedtak.pdf' },
        { data: pdfB, filnavn: 'vedlegg.pdf' },
      ]),
    );
    await accepted(id);
    assert.deepEqual(await storedShas(id), [sha(pdfA), sha(pdfB)]);
  });

  it('WCF MTOM mixing inline base64 and XOP, Content-IDs without brackets', async () => {
    const id = await send(wcfMixedSendForsendelse(pdfB, pdfA));
    await accepted(id);
    assert.deepEqual(await storedShas(id), [sha(pdfB), sha(pdfA)]);
  });

  it('the Node client: send, sendForsendelseMedId with the id inside <forsendelse>, V10-named reads', async () => {
    const id = await send(
      nodeSendForsendelse({ dokumenter: [{ data: pdfA, filnavn: 'brev.pdf' }], eksternref: 'node-1' }),
    );
    const own = '6f1e2d3c-4b5a-4697-8899-aabbccddeeff';
    assert.equal(await send(nodeSendForsendelseMedId(own, { dokumenter: [{ data: pdfA, filnavn: 'brev.pdf' }] })), own);
    await accepted(id);

    const status = await post(endpoint, nodeIdCall('retrieveForsendelsesStatus', id), basic(creds));
    assert.match(nodeClientReturns(status.text)[0] ?? '', /^(AKSEPTERT|VARSLET|SENDT_PRINT|KLAR_FOR_MOTTAK)$/);
    const statuser = await post(endpoint, nodeStatuser([id, own]), basic(creds));
    const rows = nodeClientReturns(statuser.text);
    assert.equal(rows.length, 2);
    assert.match(
      rows[0] ?? '',
      new RegExp(
        `^<forsendelseStatus>[A-Z_]+</forsendelseStatus><forsendelsesid>${id}</forsendelsesid><sisteStatusEndring>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d</sisteStatusEndring>$`,
      ),
    );
    const hist = await post(endpoint, nodeIdCall('retrieveForsendelsesHistorikk', id), basic(creds));
    const [logg] = nodeClientReturns(hist.text);
    assert.match(
      logg ?? '',
      /^<hendelsesLogg><hendelse>Mottatt, og tildelt forsendelse-id<\/hendelse><tidspunkt>\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d<\/tidspunkt><\/hendelsesLogg>/,
    );
    assert.match(logg ?? '', /Akseptert for ekspedering/);
    const ref = await post(
      endpoint,
      nodeClientEnvelope('retrieveForsendelsesIderByEksternRef', '<eksternRef>node-1</eksternRef>'),
      basic(creds),
    );
    assert.deepEqual(nodeClientReturns(ref.text), [id]);
    const lest = await post(endpoint, nodeSettLest(id, '01019000083'), basic(creds));
    assert.equal(lest.status, 200, lest.text);
    const after = await post(endpoint, nodeIdCall('retrieveForsendelseHistorikk', id), basic(creds));
    assert.match(
      after.text,
      /<hendelse>Lest eksternt 01\.01\.2018 01:00:00 av 01019000083 hos avsender Soapkommune i systemet 'arkiv'<\/hendelse>/,
    );
  });

  it('SOAP::Lite style and a SOAP 1.1 call without SOAPAction', async () => {
    const id = await send(soapLiteSendForsendelse(pdfA));
    const res = await post(endpoint, soap11StatusWithoutAction(id), basic(creds));
    assert.equal(res.status, 200, res.text);
    assert.match(res.contentType, /^text\/xml/);
    assert.match(nodeClientReturns(res.text)[0] ?? '', /^(MOTTATT|AKSEPTERT)$/);
  });
});
