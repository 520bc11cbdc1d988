/**
 * Single-valued elements (maxOccurs=1 in every served WSDL's XSD) occur once: a second
 * `<tittel>`, `<mottaker>`, `<data>`, operation or id is refused naming it, and nothing is
 * sent or kept; the XSD's lists (maxOccurs="unbounded") stay lists.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../../src/domain/errors.js';
import { bindCamelForsendelse } from '../../../src/http/soap/camel-forsendelse-binding.js';
import { EnvelopeReader } from '../../../src/http/soap/envelope-reader.js';
import { bindForsendelse } from '../../../src/http/soap/forsendelse-binding.js';
import { loadWsdl, SERVICE_VERSIONS } from '../../../src/http/soap/index.js';
import { DEFAULT_SOAP_LIMITS } from '../../../src/http/soap/limits.js';
import { child, LIST_ELEMENTS, type XmlElement } from '../../../src/http/soap/xml-element.js';
import { FileBlobStore } from '../../../src/storage/files/index.js';
import { FNR, nodeClientEnvelope, nodeForsendelse, SOAP11, SOAP12, V9, XSI } from '../../fixtures/soap/index.js';
import { faultstring, nodeClientReturns, post, reasonText } from './support/post.js';
import { recordingSoapServer } from './support/soap-server.js';

const V11 = 'http://www.ks.no/svarut/servicesV11';
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const doc = (data: Uint8Array, name = 'a.pdf'): string =>
  `<dokumenter><data>${Buffer.from(data).toString('base64')}</data><filnavn>${name}</filnavn><mimetype>application/pdf</mimetype></dokumenter>`;

describe('repeated single-valued elements: binding', () => {
  let dir: string;
  let blobs: FileBlobStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-repeated-'));
    blobs = new FileBlobStore(dir);
  });
  after(async () => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));

  async function operation(ns: string, inner: string): Promise<XmlElement> {
    const xml = `<s:Envelope xmlns:s="${SOAP11}"><s:Body><v:sendForsendelse xmlns:v="${ns}">${inner}</v:sendForsendelse></s:Body></s:Envelope>`;
    async function* one(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(xml);
    }
    return (await new EnvelopeReader(blobs, DEFAULT_SOAP_LIMITS).read(one())).operation;
  }

  /** The one problem of the ValidationError binding `forsendelse` throws. */
  async function refusal(forsendelse: string): Promise<{ field: string; message: string }> {
    const op = await operation(V9, forsendelse);
    try {
      bindForsendelse(child(op, 'forsendelse'));
    } catch (err) {
      assert.ok(err instanceof ValidationError, String(err));
      assert.equal(err.problems.length, 1);
      return err.problems[0] as { field: string; message: string };
    }
    assert.fail('expected a refusal');
  }

  it('refuses each repeated single-valued element by its path, in the words of a refusal', async () => {
    const pdf = randomBytes(10);
    const cases: [string, string][] = [
      ['<tittel>A</tittel><tittel>B</tittel>', 'forsendelse.tittel'],
      ['<eksternref>a</eksternref><eksternref>b</eksternref>', 'forsendelse.eksternref'],
      ['<mottaker/><mottaker/>', 'forsendelse.mottaker'],
      [
        '<kunDigitalLevering>false</kunDigitalLevering><kunDigitalLevering>true</kunDigitalLevering>',
        'forsendelse.kunDigitalLevering',
      ],
      [`<tittel xsi:nil="true" xmlns:xsi="${XSI}"/><tittel>B</tittel>`, 'forsendelse.tittel'],
      [`${doc(pdf)}<dokumenter><data>AA==</data><data>AQ==</data></dokumenter>`, 'forsendelse.dokumenter[1].data'],
      [
        '<mottaker><postAdresse><navn>A</navn><navn>B</navn></postAdresse></mottaker>',
        'forsendelse.mottaker.postAdresse.navn',
      ],
      [
        '<metadataFraAvleverendeSystem><ekstraMetadata><key>k</key><key>l</key><value>v</value></ekstraMetadata></metadataFraAvleverendeSystem>',
        'forsendelse.metadataFraAvleverendeSystem.ekstraMetadata[0].key',
      ],
    ];
    for (const [inner, path] of cases) {
      const p = await refusal(`<forsendelse>${inner}</forsendelse>`);
      assert.deepEqual(p, { field: path, message: `Ugyldig forespørsel: ${path} kan bare forekomme én gang` }, inner);
    }
  });

  it('keeps the lists of the XSDs lists: dokumenter, giroarkSider, lenker, ekstraMetadata, eksponertFor', async () => {
    const op = await operation(
      V9,
      `<forsendelse><tittel>T</tittel>${doc(randomBytes(4), 'a.pdf')}` +
        `<dokumenter><filnavn>b.pdf</filnavn><giroarkSider>1</giroarkSider><giroarkSider>2</giroarkSider></dokumenter>` +
        '<lenker><urlLenke>https://a.no</urlLenke><urlTekst>A</urlTekst></lenker><lenker><urlLenke>https://b.no</urlLenke><urlTekst>B</urlTekst></lenker>' +
        '<metadataFraAvleverendeSystem><ekstraMetadata><key>a</key><value>1</value></ekstraMetadata><ekstraMetadata><key>b</key><value>2</value></ekstraMetadata></metadataFraAvleverendeSystem>' +
        '</forsendelse>',
    );
    const { input, dataSlots } = bindForsendelse(child(op, 'forsendelse'));
    assert.deepEqual(
      input.dokumenter.map((d) => [d.filnavn, d.giroarkSider]),
      [
        ['a.pdf', []],
        ['b.pdf', [1, 2]],
      ],
    );
    assert.deepEqual(dataSlots, [0, undefined]);
    assert.deepEqual(
      input.lenker.map((l) => l.urlLenke),
      ['https://a.no', 'https://b.no'],
    );
    assert.deepEqual(
      input.metadataFraAvleverendeSystem?.ekstraMetadata?.map((e) => e.key),
      ['a', 'b'],
    );

    const v11 = await operation(
      V11,
      `<forsendelse><tittel>T</tittel><eksponertFor xmlns:xsi="${XSI}" xmlns:v="${V11}" xsi:type="v:personDigitalAdresse"><fodselsNummer>${FNR}</fodselsNummer></eksponertFor>` +
        `<eksponertFor><organisasjonsNummer><id>974760673</id></organisasjonsNummer></eksponertFor></forsendelse>`,
    );
    const camel = bindCamelForsendelse(child(v11, 'forsendelse'), { namespace: V11, v11: true });
    assert.equal(camel.input.eksponertFor.length, 2);
  });

  it('LIST_ELEMENTS names every request list of every served WSDL (the rest are answers)', () => {
    const answers = new Set(['return', 'hendelsesLogg', 'hendelsesLogger', 'logg']);
    for (const v of SERVICE_VERSIONS) {
      const wsdl = loadWsdl('http://h.test', v.name);
      for (const [tag] of wsdl.matchAll(/<xs:element\b[^>]*maxOccurs="unbounded"[^>]*>/g)) {
        const name = /\bname="([^"]+)"/.exec(tag)?.[1] ?? '';
        assert.ok(LIST_ELEMENTS.has(name) || answers.has(name), `${v.name}: ${name}`);
      }
    }
  });
});

describe('repeated single-valued elements: through the door', () => {
  const running = recordingSoapServer();

  /** Posts, expects a fault; returns its text after checking nothing was sent and the document is gone. */
  async function refused(
    body: string,
    pdf: Uint8Array,
    url = running.server.endpoint,
    soap12 = false,
  ): Promise<string> {
    const before = running.service.sends.length;
    const res = await post(url, {
      contentType: soap12 ? 'application/soap+xml' : 'text/xml',
      headers: {},
      body: Buffer.from(body),
    });
    assert.equal(res.status, 500, res.text);
    assert.deepEqual(nodeClientReturns(res.text), []);
    assert.equal(running.service.sends.length, before, 'nothing sent');
    await delay(100); // a put still in flight would land now
    assert.equal(await running.server.blobs.size(sha256(pdf)), undefined, 'the document is not kept');
    return faultstring(res.text) ?? reasonText(res.text) ?? '';
  }
  const envelope = (ops: string): string =>
    `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body>${ops}</soap:Body></soap:Envelope>`;

  it('refuses a second <tittel>, <eksternref> or <forsendelse>, and a second <forsendelsesid> in sendForsendelseMedId', async () => {
    const pdf = randomBytes(64);
    const o = { dokumenter: [{ data: pdf, filnavn: 'a.pdf' }] };
    const send = (leading: string) =>
      nodeClientEnvelope('sendForsendelse', nodeForsendelse(o, leading)).body.toString();
    assert.match(await refused(send('<tittel>Andre</tittel>'), pdf), /forsendelse\.tittel kan bare forekomme én gang/);
    assert.match(
      await refused(send('<eksternref>a</eksternref><eksternref>b</eksternref>'), pdf),
      /forsendelse\.eksternref kan bare forekomme én gang/,
    );
    const two = nodeClientEnvelope('sendForsendelse', nodeForsendelse(o) + nodeForsendelse(o)).body.toString();
    assert.match(await refused(two, pdf), /Ugyldig forespørsel: forsendelse kan bare forekomme én gang/);
    const ids = `<forsendelsesid>${randomUUID()}</forsendelsesid><forsendelsesid>${randomUUID()}</forsendelsesid>`;
    const medId = nodeClientEnvelope('sendForsendelseMedId', nodeForsendelse(o) + ids).body.toString();
    assert.match(await refused(medId, pdf), /Ugyldig forespørsel: forsendelsesid kan bare forekomme én gang/);
  });

  it('refuses a second operation in the Body and a second Body, before the first is run', async () => {
    const pdf = randomBytes(64);
    const op = nodeClientEnvelope('sendForsendelse', nodeForsendelse({ dokumenter: [{ data: pdf, filnavn: 'a.pdf' }] }))
      .body.toString()
      .replace(/^.*<soap:Body>|<\/soap:Body>.*$/g, '');
    assert.match(
      await refused(envelope(op + `<ns2:startNyForsendelse xmlns:ns2="${V9}"/>`), pdf),
      /Ugyldig forespørsel: Body kan bare ha ett element, operasjonen \(fant også «ns2:startNyForsendelse»\)/,
    );
    const twoBodies = envelope(op).replace('</soap:Envelope>', '<soap:Body/></soap:Envelope>');
    assert.match(await refused(twoBodies, pdf), /soap:Body kan bare forekomme én gang/);
  });

  it('refuses a repeated V11 argument found by shape, naming it', async () => {
    const pdf = randomBytes(8);
    const id = `<forsendelsesId><id>${randomUUID()}</id></forsendelsesId>`;
    const body =
      `<soap:Envelope xmlns:soap="${SOAP12}"><soap:Body><v:retrieveForsendelsesStatus xmlns:v="${V11}">` +
      `${id}${id}</v:retrieveForsendelsesStatus></soap:Body></soap:Envelope>`;
    const url = running.server.endpoint.replace(/V9$/, 'V11');
    assert.match(await refused(body, pdf, url, true), /forsendelsesId kan bare forekomme én gang/);
  });
});
