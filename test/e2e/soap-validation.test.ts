/**
 * SOAP V9 against the real node: every broken rule and every hostile body is answered
 * with a fault that names the problem (1.1 faultstring for the Node client's envelope),
 * no id is handed out, and the node keeps serving.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { basic, letterPdf, startTestNode, type Creds, type TestNode } from '../factories.js';
import { makeLetterPdf, makeNotPdf } from '../fixtures/index.js';
import {
  billionLaughsRequest,
  garbage,
  malformedRequest,
  nodeSendForsendelse,
  nodeSendForsendelseMedId,
  xxeRequest,
  type NodeSendOptions,
  type SoapFixture,
} from '../fixtures/soap/index.js';
import { faultstring, nodeClientReturns, post } from '../unit/soap/support/post.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('SOAP V9 e2e: validation and hostile input', () => {
  let t: TestNode;
  let creds: Creds;
  let endpoint: string;
  let pdf: Uint8Array;

  before(async () => {
    t = await startTestNode();
    creds = await t.sender('Valideringskommune');
    endpoint = `${t.url}/tjenester/forsendelseservice/ForsendelsesServiceV9`;
    pdf = await letterPdf();
  });
  after(() => t.stop());

  const ok = (o: Partial<NodeSendOptions> = {}): NodeSendOptions => ({
    dokumenter: [{ data: pdf, filnavn: 'brev.pdf' }],
    ...o,
  });

  async function fault(fixture: SoapFixture): Promise<string> {
    const res = await post(endpoint, fixture, basic(creds));
    assert.equal(res.status, 500, res.text);
    assert.deepEqual(nodeClientReturns(res.text), [], 'no id on a fault');
    const message = faultstring(res.text);
    assert.ok(message, res.text);
    return message;
  }

  async function healthy(): Promise<void> {
    const res = await post(endpoint, nodeSendForsendelse(ok()), basic(creds));
    assert.equal(res.status, 200, res.text);
  }

  it('names a non-PDF declared as PDF', async () => {
    const message = await fault(
      nodeSendForsendelse(ok({ dokumenter: [{ data: makeNotPdf(), filnavn: 'falsk.pdf' }] })),
    );
    assert.match(message, /falsk\.pdf/);
    assert.match(message, /PDF/);
  });

  it('names a bad fødselsnummer, a missing tittel, a bad konteringskode, a missing postal address', async () => {
    assert.match(
      await fault(nodeSendForsendelse(ok({ fnr: '12345678901' }))),
      /Ugyldig fødselsnummer: mottaker\.digitalAdresse\.fnr/,
    );
    assert.match(await fault(nodeSendForsendelse(ok({ tittel: null }))), /Mangler tittel: tittel må fylles ut/);
    assert.match(
      await fault(nodeSendForsendelse(ok({ konteringskode: 'ikke gyldig!' }))),
      /Ugyldig konteringskode: konteringskode/,
    );
    assert.match(await fault(nodeSendForsendelse(ok({ fnr: null, postAdresse: null }))), /postAdresse/);
  });

  it('names duplicate filenames and an empty document, all problems in one fault', async () => {
    const message = await fault(
      nodeSendForsendelse(
        ok({
          dokumenter: [
            { data: pdf, filnavn: 'brev.pdf' },
            { data: pdf, filnavn: 'BREV.pdf' },
            { data: new Uint8Array(0), filnavn: 'tom.pdf' },
          ],
        }),
      ),
    );
    assert.match(message, /filnavn/);
    assert.match(message, /BREV\.pdf|brev\.pdf/);
    assert.match(message, /Kan ikke lagre tomt dokument/);
  });

  it('keeps no document of a faulted send; another letter refused under a taken id leaves the first its document', async () => {
    const notPdf = new TextEncoder().encode(`ikke en pdf ${Date.now()} ${Math.random()}`);
    await fault(nodeSendForsendelse(ok({ dokumenter: [{ data: notPdf, filnavn: 'falsk.pdf' }] })));
    assert.equal(await t.node.storage.blobs.size(sha256(notPdf)), undefined, "the faulted send's document is deleted");

    const own = await makeLetterPdf({ seed: 5_000_000 + Math.floor(Math.random() * 1_000_000), pages: 1 });
    const id = randomUUID();
    const first = await post(
      endpoint,
      nodeSendForsendelseMedId(id, ok({ dokumenter: [{ data: own, filnavn: 'brev.pdf' }] })),
      basic(creds),
    );
    assert.deepEqual(nodeClientReturns(first.text), [id]);
    await fault(
      nodeSendForsendelseMedId(id, ok({ tittel: 'Et annet brev', dokumenter: [{ data: own, filnavn: 'brev.pdf' }] })),
    );
    assert.equal(await t.node.storage.blobs.size(sha256(own)), own.length, 'the first letter still has its document');
    assert.deepEqual(await t.node.storage.blobs.get(sha256(own)), own);
  });

  it('refuses a caller-chosen id that is no UUID, or is taken by another letter; the same letter again is its id', async () => {
    assert.match(await fault(nodeSendForsendelseMedId('ikke-en-uuid', ok())), /forsendelsesid må være en UUID/);
    const id = 'a1b2c3d4-0000-4000-8000-00000000abcd';
    const first = await post(endpoint, nodeSendForsendelseMedId(id, ok()), basic(creds));
    assert.deepEqual(nodeClientReturns(first.text), [id]);
    const retry = await post(endpoint, nodeSendForsendelseMedId(id, ok()), basic(creds));
    assert.equal(retry.status, 200, retry.text);
    assert.deepEqual(nodeClientReturns(retry.text), [id]);
    assert.match(
      await fault(nodeSendForsendelseMedId(id, ok({ tittel: 'Et annet brev' }))),
      /er allerede mottatt med annet innhold/,
    );
  });

  it('refuses DTD/XXE, billion laughs and malformed XML, and keeps serving', async () => {
    assert.match(await fault(xxeRequest()), /DOCTYPE/);
    assert.match(await fault(billionLaughsRequest()), /DOCTYPE/);
    assert.match(await fault(malformedRequest()), /Ugyldig XML/);
    await healthy();
  });

  it('answers 60 MB of garbage with a fault and keeps serving', async () => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', authorization: basic(creds) },
      body: ReadableStream.from(garbage(60)),
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 500);
    assert.match(faultstring(await res.text()) ?? '', /UTF-8|Ugyldig XML/);
    await healthy();
  });
});
