/**
 * SOAP V9 against the real node: every broken rule and every hostile body is answered
 * with a fault that names the problem (1.1 faultstring for the Node client's envelope),
 * no id is handed out, and the node keeps serving.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { basic, letterPdf, startTestNode, type Creds, type TestNode } from '../factories.js';
import { makeLetterPdf, makeNotPdf } from '../fixtures/index.js';
import {
  billionLaughsRequest,
  garbage,
  malformedRequest,
  nodeClientEnvelope,
  nodeForsendelse,
  nodeSendForsendelse,
  nodeSendForsendelseMedId,
  xxeRequest,
  type NodeSendOptions,
  type SoapFixture,
} from '../fixtures/soap/index.js';
import { faultstring, nodeClientReturns, post, reasonText } from '../unit/soap/support/post.js';

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

  it('a service that is not here (V5, V7) answers with a fault naming those that are; V9/ is V9', async () => {
    for (const name of ['ForsendelsesServiceV5', 'ForsendelsesServiceV7', 'Ukjent']) {
      const res = await post(`${t.url}/tjenester/forsendelseservice/${name}`, nodeSendForsendelse(ok()), basic(creds));
      assert.equal(res.status, 500, res.text);
      const message = reasonText(res.text) ?? faultstring(res.text) ?? '';
      assert.match(message, new RegExp(`Tjenesten /tjenester/forsendelseservice/${name} finnes ikke`));
      assert.match(message, /ForsendelsesServiceV6, .*ForsendelsesServiceV9/);
    }
    const slash = await post(`${endpoint}/`, nodeSendForsendelse(ok()), basic(creds));
    assert.equal(slash.status, 200, slash.text);
    assert.equal(nodeClientReturns(slash.text).length, 1);
    const wsdl = await fetch(`${endpoint}/?wsdl`);
    assert.equal(wsdl.status, 200);
    assert.match(await wsdl.text(), /<wsdl:definitions|<definitions/);
  });

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

  /** The ids of letters with this eksternref (none for a refused send). */
  async function idsByEksternref(ref: string): Promise<string[]> {
    const res = await post(
      endpoint,
      nodeClientEnvelope('retrieveForsendelseIdByEksternRef', `<eksternRef>${ref}</eksternRef>`),
      basic(creds),
    );
    assert.equal(res.status, 200, res.text);
    return nodeClientReturns(res.text);
  }

  /** A Node-client envelope with `raw` text in place of its body, as the client would post it. */
  const rawNodeEnvelope = (xml: string): SoapFixture => ({ ...nodeSendForsendelse(ok()), body: Buffer.from(xml) });

  it('refuses a repeated single-valued element, naming it, and keeps neither letter nor document', async () => {
    const ref = `dup-${randomUUID()}`;
    const bytes = randomBytes(64);
    const o = ok({ eksternref: ref, dokumenter: [{ data: bytes, filnavn: 'brev.pdf' }] });
    const twice = (leading: string) => nodeClientEnvelope('sendForsendelse', nodeForsendelse(o, leading));
    assert.equal(
      await fault(twice('<tittel>Annen tittel</tittel>')),
      'Ugyldig forespørsel: forsendelse.tittel kan bare forekomme én gang',
    );
    assert.match(await fault(twice(`<eksternref>${ref}-b</eksternref>`)), /forsendelse\.eksternref kan bare/);
    assert.match(
      await fault(nodeClientEnvelope('sendForsendelse', nodeForsendelse(o) + nodeForsendelse(o))),
      /forsendelse kan bare forekomme én gang/,
    );
    const twoOps = nodeSendForsendelse(o)
      .body.toString()
      .replace('</soap:Body>', `<ns2:startNyForsendelse xmlns:ns2="http://www.ks.no/svarut/servicesV9"/></soap:Body>`);
    assert.match(await fault(rawNodeEnvelope(twoOps)), /Body kan bare ha ett element/);
    assert.deepEqual(await idsByEksternref(ref), []);
    assert.deepEqual(await idsByEksternref(`${ref}-b`), []);
    assert.equal(await t.node.storage.blobs.size(sha256(bytes)), undefined);
  });

  it('refuses 45 000 empty <dokumenter/> at once with one problem for the list', async () => {
    const started = Date.now();
    const body = nodeSendForsendelse(ok())
      .body.toString()
      .replace('<forsendelse>', `<forsendelse>${'<dokumenter/>'.repeat(45_000)}`);
    const res = await post(endpoint, rawNodeEnvelope(body), basic(creds));
    assert.equal(res.status, 500);
    assert.equal(faultstring(res.text), 'For mange elementer: dokumenter kan ha høyst 100 (meldingen har flere)');
    assert.equal(res.text.match(/<felt /g)?.length, 1);
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
  });

  it('answers an unknown mustUnderstand header with a MustUnderstand fault and creates no letter', async () => {
    const ref = `mu-${randomUUID()}`;
    const body = nodeSendForsendelse(ok({ eksternref: ref }))
      .body.toString()
      .replace(
        '<soap:Body>',
        '<soap:Header><x:Transaksjon xmlns:x="urn:example:tx" soap:mustUnderstand="1">tx-1</x:Transaksjon></soap:Header><soap:Body>',
      );
    const res = await post(endpoint, rawNodeEnvelope(body), basic(creds));
    assert.equal(res.status, 500, res.text);
    assert.match(res.text, /<faultcode>soap:MustUnderstand<\/faultcode>/);
    assert.match(faultstring(res.text) ?? '', /mustUnderstand/);
    assert.deepEqual(await idsByEksternref(ref), []);
  });

  it('names XML errors in Norwegian, and answers a DOCTYPE ahead of a 1.1 envelope with a 1.1 fault', async () => {
    const body = nodeSendForsendelse(ok()).body.toString();
    assert.match(
      await fault(rawNodeEnvelope(body + body)),
      /^Ugyldig XML: dokumentet kan bare ha ett rotelement \(linje/,
    );
    assert.match(await fault(rawNodeEnvelope(`${body}x`)), /^Ugyldig XML: tekst utenfor rotelementet/);
    // The Node client's content type says 1.2, its envelope 1.1: fault() reads <faultstring>.
    assert.match(await fault(rawNodeEnvelope(`<!DOCTYPE x [<!ENTITY e "z">]>${body}`)), /DOCTYPE \(DTD\) avvises/);
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
