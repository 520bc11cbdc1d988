/**
 * ForsendelsesService V4, V6, V8, V10 and V11 against the real node (actors, SQLite, file
 * blobs, PDF validation): each version's recorded client shapes (CXF, WCF, the V4 script
 * clients) are accepted at that version's URL, reach AKSEPTERT, and their documents are
 * stored byte for byte; a message in another version's namespace gets a fault that says
 * where it belongs, never "Ukjent operasjon".
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  ACCEPTED_OR_LATER,
  basic,
  letterPdf,
  restCall,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { makeLetterPdf } from '../fixtures/index.js';
import {
  cxfVersionSend,
  nodeIdCall,
  nodeSendForsendelse,
  scriptV4Send,
  versionNamespace,
  wcfVersionSend,
  SOAP12,
  type FixtureVersion,
  type SoapFixture,
} from '../fixtures/soap/index.js';
import { WsdlSchema } from '../support/wsdl-schema.js';
import { faultstring, nodeClientReturns, post, reasonText } from '../unit/soap/support/post.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const VERSIONS: readonly FixtureVersion[] = ['V4', 'V6', 'V8', 'V10', 'V11'];

describe('ForsendelsesService V4–V11 e2e: recorded client shapes per version against the real node', () => {
  let t: TestNode;
  let creds: Creds;
  let pdfA: Uint8Array;
  let pdfB: Uint8Array;
  const schemas = new Map<string, WsdlSchema>();
  const url = (v: string): string => `${t.url}/tjenester/forsendelseservice/ForsendelsesService${v}`;

  before(async () => {
    t = await startTestNode();
    creds = await t.sender('Versjonsklienter');
    pdfA = await letterPdf();
    pdfB = await makeLetterPdf({ seed: 23, pages: 2 });
  });
  after(async () => {
    for (const s of schemas.values()) s.dispose();
    await t.stop();
  });

  /** The schema of version `v`'s served WSDL. */
  async function schemaOf(v: string): Promise<WsdlSchema> {
    let schema = schemas.get(v);
    if (schema === undefined) {
      schema = new WsdlSchema(await (await fetch(`${url(v)}?wsdl`)).text());
      schemas.set(v, schema);
    }
    return schema;
  }

  /** Posts a send, expects 200 and an id (bare in V4–V9, wrapped as ForsendelsesId{id} in V10/V11). */
  async function send(v: string, fixture: SoapFixture): Promise<string> {
    const res = await post(url(v), fixture, basic(creds));
    assert.equal(res.status, 200, res.text);
    assert.ok(res.text.includes(`xmlns:ns2="${versionNamespace(v as FixtureVersion)}"`), res.text);
    assert.equal((await schemaOf(v)).problems(res.text), undefined, `${v} answer is schema-valid`);
    const [ret] = nodeClientReturns(res.text);
    const id = v === 'V10' || v === 'V11' ? /^<id>(.*)<\/id>$/.exec(ret ?? '')?.[1] : ret;
    assert.match(id ?? '', UUID, res.text);
    return id ?? '';
  }

  async function storedHashes(id: string): Promise<string[]> {
    await waitForStatus(t.url, creds, id, ACCEPTED_OR_LATER);
    const meta = await restCall(t.url, creds, `/${id}/dokumentMetadata`);
    assert.equal(meta.status, 200);
    return (meta.body.dokumentMetadata as { sha256hash: string }[]).map((d) => d.sha256hash);
  }

  for (const v of VERSIONS) {
    it(`${v}: a CXF client (MTOM, WS-Addressing, XSD order) is accepted and its documents stored byte for byte`, async () => {
      const id = await send(v, cxfVersionSend(v, [pdfA, pdfB]));
      assert.deepEqual(await storedHashes(id), [sha(pdfA), sha(pdfB)]);
    });

    it(`${v}: a WCF client (default namespace, q1: xsi:type, one inline and one XOP document) is accepted`, async () => {
      const id = await send(v, wcfVersionSend(v, pdfB, pdfA));
      assert.deepEqual(await storedHashes(id), [sha(pdfB), sha(pdfA)]);
    });
  }

  it('V4: the script clients (SOAP 1.1 text/xml, SOAPAction, xsi:type on every element) are accepted', async () => {
    const id = await send('V4', scriptV4Send(pdfA));
    assert.deepEqual(await storedHashes(id), [sha(pdfA)]);
  });

  it('V4: a line break in the name is a fault naming mottaker.navn, as V4 spells it', async () => {
    const fixture = scriptV4Send(pdfA, 'Linjeskift V4');
    const body = Buffer.from(fixture.body.toString('utf8').replace('Per Hansen', 'Per&#10;Hansen'));
    const res = await post(url('V4'), { ...fixture, body }, basic(creds));
    assert.equal(res.status, 500);
    assert.match(faultstring(res.text) ?? '', /^Ugyldig adresse: mottaker\.navn inneholder et linjeskift/);
  });

  it('a V6 letter is found by its eksternref through V9', async () => {
    const id = await send('V6', cxfVersionSend('V6', [pdfA], 'Eksternref V6'));
    const res = await post(
      url('V9'),
      {
        contentType: 'application/soap+xml; charset=utf-8',
        headers: {},
        body: Buffer.from(
          `<soap:Envelope xmlns:soap="${SOAP12}"><soap:Body><ns2:retrieveForsendelseIdByEksternRef xmlns:ns2="${versionNamespace('V9')}">` +
            `<eksternRef>ref-V6</eksternRef></ns2:retrieveForsendelseIdByEksternRef></soap:Body></soap:Envelope>`,
        ),
      },
      basic(creds),
    );
    assert.ok(nodeClientReturns(res.text).includes(id), res.text);
  });

  it("the Node client (npm svarut 7, V9's namespace) pointed at V10's URL gets a fault naming V9, not 'Ukjent operasjon'", async () => {
    const res = await post(
      url('V10'),
      nodeSendForsendelse({ dokumenter: [{ data: pdfA, filnavn: 'a.pdf' }] }),
      basic(creds),
    );
    assert.equal(res.status, 500);
    const text = faultstring(res.text) ?? '';
    assert.match(text, /Feil versjon: sendForsendelse er i navnerommet til ForsendelsesServiceV9/);
    assert.match(text, /sendt til ForsendelsesServiceV10/);
    assert.doesNotMatch(text, /Ukjent operasjon/);
  });

  it('every version faults a message written for another version, in SOAP 1.2 too, and changes nothing', async () => {
    for (const [target, written, ref] of [
      ['V4', 'V11', 'fint-V11'],
      ['V6', 'V10', 'fint-V10'],
      ['V8', 'V6', 'ref-V6'],
      ['V9', 'V8', 'ref-V8'],
      ['V10', 'V8', 'ref-V8'],
      ['V11', 'V10', 'fint-V10'],
    ] as const) {
      const before = await restCall(t.url, creds, `/eksternref/${ref}`);
      assert.equal(before.status, 200);
      assert.ok(before.body.forsendelseIder.length > 0, `${ref} was sent before`);
      const res = await post(url(target), cxfVersionSend(written as FixtureVersion, [pdfA]), basic(creds));
      assert.equal(res.status, 500, `${written} to ${target}`);
      const text = reasonText(res.text) ?? '';
      assert.match(
        text,
        new RegExp(`navnerommet til ForsendelsesService${written} .*sendt til ForsendelsesService${target}`),
      );
      const afterSend = await restCall(t.url, creds, `/eksternref/${ref}`);
      assert.deepEqual(afterSend.body, before.body, 'nothing was sent');
    }
  });

  it("an operation a version does not declare is 'Ukjent operasjon' naming that version", async () => {
    const idCall = nodeIdCall('retrieveSigneringshistorikk', '00000000-0000-4000-8000-000000000000');
    const body = idCall.body.toString('utf8').replaceAll(versionNamespace('V9'), versionNamespace('V8'));
    const res = await post(url('V8'), { ...idCall, body: Buffer.from(body) }, basic(creds));
    assert.equal(res.status, 500);
    assert.match(
      faultstring(res.text) ?? '',
      /Ukjent operasjon: .*retrieveSigneringshistorikk finnes ikke i ForsendelsesServiceV8/,
    );
  });

  it('each version serves its own WSDL at ?wsdl, with its namespace and this server as address', async () => {
    for (const v of ['V4', 'V6', 'V8', 'V9', 'V10', 'V11']) {
      const res = await fetch(`${url(v)}?wsdl`);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.ok(text.startsWith('<?xml'), v);
      assert.ok(text.includes(`targetNamespace="${versionNamespace(v as FixtureVersion)}"`), v);
      assert.ok(text.includes(`location="${url(v)}"`), v);
    }
  });
});
