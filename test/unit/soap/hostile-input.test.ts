/**
 * Hostile and broken requests: each is answered with a fault that names the problem,
 * nothing is expanded or fetched, and the server keeps serving afterwards.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  billionLaughsRequest,
  cxfMtomSendForsendelse,
  deepRequest,
  garbage,
  hugeTextRequest,
  malformedRequest,
  manyElementsRequest,
  nodeClientEnvelope,
  nodeSendForsendelse,
  notSoapRequest,
  truncatedRequest,
  undeclaredEntityRequest,
  unknownOperationRequest,
  wrongEnvelopeNamespaceRequest,
  multipartBody,
  xxeRequest,
  XOP,
  type SoapFixture,
} from '../../fixtures/soap/index.js';
import { RecordingService } from './support/recording-service.js';
import { startSoapServer, type RunningSoapServer } from './support/soap-server.js';
import { AUTH, faultstring, nodeClientReturns, post, reasonText } from './support/post.js';

const PDF = Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

describe('SOAP door: hostile and broken input', () => {
  let server: RunningSoapServer;
  let service: RecordingService;

  before(async () => {
    service = new RecordingService();
    server = await startSoapServer(service, { maxInlineBase64Bytes: 1024 * 1024, maxBodyBytes: 120 * 1024 * 1024 });
  });
  after(async () => server.close());

  /** Posts, expects a fault, returns its message (1.1 faultstring or 1.2 Reason/Text). */
  async function fault(fixture: SoapFixture): Promise<string> {
    const res = await post(server.endpoint, fixture);
    assert.equal(res.status, 500, res.text);
    const message = faultstring(res.text) ?? reasonText(res.text);
    assert.ok(message, res.text);
    return message;
  }

  /** The server still takes an ordinary send. */
  async function stillHealthy(): Promise<void> {
    const res = await post(server.endpoint, nodeSendForsendelse({ dokumenter: [{ data: PDF, filnavn: 'ok.pdf' }] }));
    assert.equal(res.status, 200, res.text);
    assert.equal(nodeClientReturns(res.text).length, 1);
    assert.deepEqual(server.unexpected, [], 'no internal errors');
  }

  it('refuses a DTD with an external entity (XXE) without reading the file', async () => {
    const message = await fault(xxeRequest());
    assert.match(message, /DOCTYPE/);
    assert.doesNotMatch(message, /root:/);
    await stillHealthy();
  });

  it('refuses billion laughs at the DOCTYPE, before any expansion', async () => {
    assert.match(await fault(billionLaughsRequest()), /DOCTYPE \(DTD\) avvises/);
    await stillHealthy();
  });

  it('refuses an entity reference that is not one of the five predefined ones', async () => {
    assert.match(await fault(undeclaredEntityRequest()), /Ugyldig XML: ukjent entitet/);
  });

  it('names malformed and truncated XML', async () => {
    assert.match(await fault(malformedRequest()), /Ugyldig XML: .*linje 1/);
    assert.match(await fault(truncatedRequest()), /Ufullstendig XML|Ugyldig XML/);
    await stillHealthy();
  });

  it('limits depth, element count and text length, each with its own message', async () => {
    assert.match(await fault(deepRequest(100)), /nestet dypere enn 32 nivåer/);
    assert.match(await fault(manyElementsRequest(60_000)), /flere enn 50000 elementer/);
    assert.match(await fault(hugeTextRequest(3 * 1024 * 1024)), /over 1048576 tegn/);
    await stillHealthy();
  });

  it('answers 60 MB of binary garbage with a fault and stays healthy', async () => {
    const res = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/soap+xml', authorization: AUTH },
      body: ReadableStream.from(garbage(60)),
      duplex: 'half',
    } as RequestInit);
    const text = await res.text();
    assert.equal(res.status, 500);
    assert.match(reasonText(text) ?? '', /ikke gyldig UTF-8|Ugyldig XML/);
    await stillHealthy();
  });

  it('a Latin-1 byte early in a SOAP 1.1 envelope sent as application/soap+xml: a 1.1 fault saying at which byte', async () => {
    // The npm svarut client's request shape: it reads only <faultstring>, which a 1.2 fault lacks.
    const head = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><a>Bl';
    const body = Buffer.concat([
      Buffer.from(head),
      Buffer.from([0xe5]),
      Buffer.from('b\u00e6r</a></soap:Body></soap:Envelope>'),
    ]);
    const res = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/soap+xml; charset=utf-8', authorization: AUTH },
      body,
    });
    const text = await res.text();
    assert.equal(res.status, 500);
    assert.equal(faultstring(text), `Meldingen er ikke gyldig UTF-8 (byte ${head.length + 1})`, text);
    await stillHealthy();
  });

  it('answers 60 MB of text inside an element with the text limit, not with memory', async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><a>');
      const chunk = Buffer.alloc(1024 * 1024, 'A');
      for (let i = 0; i < 60; i++) yield chunk;
    }
    const res = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', authorization: AUTH },
      body: ReadableStream.from(body()),
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 500);
    assert.match(faultstring(await res.text()) ?? '', /over 1048576 tegn/);
    await stillHealthy();
  });

  it('bounds inline base64 by its configured limit', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x25);
    const message = await fault(nodeSendForsendelse({ dokumenter: [{ data: big, filnavn: 'stor.pdf' }] }));
    assert.match(message, /dokumenter\[0\]\.data er større enn 1 MB som innebygd base64/);
    await stillHealthy();
  });

  it('bounds the whole body and closes the connection beyond it', async () => {
    const small = await startSoapServer(new RecordingService(), { maxBodyBytes: 4 * 1024 * 1024 });
    try {
      const res = await post(
        small.endpoint,
        cxfMtomSendForsendelse([{ data: Buffer.alloc(6 * 1024 * 1024, 1), filnavn: 'a.pdf' }]),
      );
      assert.equal(res.status, 500);
      assert.match(reasonText(res.text) ?? '', /Meldingen er for stor: grensen er 4 MiB/);
      assert.equal(res.headers.get('connection'), 'close');
    } finally {
      await small.close();
    }
  });

  it('names a character that is not base64, and where', async () => {
    const fixture = nodeClientEnvelope(
      'sendForsendelse',
      '<forsendelse><tittel>T</tittel><dokumenter><filnavn>a.pdf</filnavn><data>QUJD*RA==</data></dokumenter></forsendelse>',
    );
    assert.match(await fault(fixture), /Ugyldig base64 i dokumenter\[0\]\.data: tegnet «\*»/);
  });

  it('names an xop:Include whose part is missing', async () => {
    const fixture = cxfMtomSendForsendelse([{ data: PDF, filnavn: 'a.pdf' }]);
    const broken = {
      ...fixture,
      body: Buffer.from(fixture.body.toString('latin1').replace('href="cid:5aeaa450', 'href="cid:ukjent'), 'latin1'),
    };
    assert.match(await fault(broken), /Fant ikke MTOM-vedlegget cid:ukjent.* som dokumenter\[0\]\.data viser til/);
  });

  it('names an xop:Include with an http: href as such, and one in a message without attachments (both read as a missing cid:…)', async () => {
    const fixture = cxfMtomSendForsendelse([{ data: PDF, filnavn: 'a.pdf' }]);
    const elsewhere = {
      ...fixture,
      body: Buffer.from(
        fixture.body.toString('latin1').replace(/href="cid:[^"]*"/, 'href="http://angriper.example/brev.pdf"'),
        'latin1',
      ),
    };
    assert.match(
      await fault(elsewhere),
      /xop:Include i dokumenter\[0\]\.data viser til «http:\/\/angriper\.example\/brev\.pdf»; href må være «cid:» fulgt av Content-ID-en/,
    );
    const plain = nodeClientEnvelope(
      'sendForsendelse',
      `<forsendelse><tittel>T</tittel><dokumenter><filnavn>a.pdf</filnavn><data><xop:Include xmlns:xop="${XOP}" href="cid:del1@klient"/></data></dokumenter></forsendelse>`,
    );
    assert.match(
      await fault(plain),
      /xop:Include i dokumenter\[0\]\.data viser til «cid:del1@klient», men meldingen har ingen vedlegg: send den som multipart\/related/,
    );
  });

  it('says so when a message without start puts its SOAP part after an attachment (read as "ikke gyldig UTF-8" about the PDF)', async () => {
    const envelope = nodeClientEnvelope(
      'sendForsendelse',
      `<forsendelse><tittel>T</tittel><dokumenter><filnavn>a.pdf</filnavn><data><xop:Include xmlns:xop="${XOP}" href="cid:dok1@klient"/></data></dokumenter></forsendelse>`,
    );
    const pdfWithLatin1 = Buffer.concat([Buffer.from(PDF), Buffer.from([0xe6, 0xf8, 0xe5, 0xff])]);
    const fixture: SoapFixture = {
      contentType: 'multipart/related; type="application/xop+xml"; boundary=grense; start-info="text/xml"',
      headers: {},
      body: multipartBody('grense', [
        { headers: ['Content-Type: application/pdf', 'Content-ID: <dok1@klient>'], body: pdfWithLatin1 },
        { headers: ['Content-Type: application/xop+xml; type="text/xml"'], body: envelope.body },
      ]),
    };
    assert.match(
      await fault(fixture),
      /Den første MIME-delen \(application\/pdf\) er ikke en SOAP-melding: uten start-parameter i Content-Type må SOAP-delen \(application\/xop\+xml\) komme først/,
    );
  });

  it('refuses elements inside a value or inside inline data, naming the field (their text was dropped and the send answered 200)', async () => {
    const before_ = service.sends.length;
    const title = nodeClientEnvelope(
      'sendForsendelse',
      '<forsendelse><tittel>Vedtak <b>om barnehageplass</b> nå</tittel><dokumenter><filnavn>a.pdf</filnavn><data>QUJDRA==</data></dokumenter></forsendelse>',
    );
    assert.match(await fault(title), /Ugyldig verdi: forsendelse\.tittel kan ikke inneholde elementer \(fant «b»\)/);
    const data = nodeClientEnvelope(
      'sendForsendelse',
      '<forsendelse><tittel>T</tittel><dokumenter><filnavn>a.txt</filnavn><data>SGVp<x>LCBkZXR0</x>ZSBlciBldCB2ZWRsZWdnLgo=</data></dokumenter></forsendelse>',
    );
    assert.match(await fault(data), /forsendelse\.dokumenter\[0\]\.data kan ikke inneholde elementet «x»/);
    assert.equal(service.sends.length, before_, 'neither reached the service');
    const lest = nodeClientEnvelope(
      'setForsendelseLestAvEksterntSystem',
      '<forsendelsesid>3f0e9d6c-8e5e-4c9a-9d3b-1a2b3c4d5e6f</forsendelsesid><lestAvFodselsnummer>01019000083</lestAvFodselsnummer>' +
        '<navnPaEksterntSystem>Sak<b>arkiv</b></navnPaEksterntSystem><datoLest>2026-12-01T10:00:00+01:00</datoLest>',
    );
    assert.match(await fault(lest), /Ugyldig verdi: navnPaEksterntSystem kan ikke inneholde elementer \(fant «b»\)/);
    const ref = nodeClientEnvelope('retrieveForsendelseIdByEksternRef', '<eksternRef>sak<i>42</i></eksternRef>');
    assert.match(await fault(ref), /Ugyldig verdi: eksternRef kan ikke inneholde elementer \(fant «i»\)/);
    assert.equal(service.lest.length, 0, 'nothing marked read');
    await stillHealthy();
  });

  it('names a charset other than UTF-8 or Latin-1 in the Content-Type when the text is not UTF-8, and reads ASCII labelled so', async () => {
    const envelope = nodeClientEnvelope(
      'sendForsendelse',
      '<forsendelse><tittel>Vedtak om søknad</tittel><dokumenter><filnavn>a.pdf</filnavn><data>QUJDRA==</data></dokumenter></forsendelse>',
    );
    const latin1 = {
      ...envelope,
      contentType: 'text/xml; charset=Shift_JIS',
      body: Buffer.from(envelope.body.toString('utf8'), 'latin1'),
    };
    assert.match(
      await fault(latin1),
      /Tegnsettet «Shift_JIS» \(Content-Type\) støttes ikke; send meldingen som UTF-8\. Meldingen er ikke gyldig UTF-8 \(byte \d+\)/,
    );
    const ascii = nodeSendForsendelse({ dokumenter: [{ data: PDF, filnavn: 'ok.pdf' }] });
    const labelled = await post(server.endpoint, { ...ascii, contentType: 'text/xml; charset=ISO-8859-1' });
    assert.equal(labelled.status, 200, labelled.text);
  });

  it("reads Latin-1 as KS's service does, named in the Content-Type, in the XML declaration, or in an MTOM root part (it was refused; found in review)", async () => {
    const send = nodeSendForsendelse({
      tittel: 'Vedtak om søknad for Åse Ærlig',
      dokumenter: [{ data: PDF, filnavn: 'vedtak.pdf' }],
    });
    const text = (declaration: string): string => send.body.toString('utf8').replace(/^(<\?xml[^>]*\?>)?/, declaration);
    const cases = [
      { label: 'text/xml; charset=ISO-8859-1', declaration: '' },
      { label: 'text/xml', declaration: '<?xml version="1.0" encoding="ISO-8859-1"?>' },
      { label: 'text/xml; charset=windows-1252', declaration: '' },
    ];
    for (const c of cases) {
      const before_ = service.sends.length;
      const res = await post(server.endpoint, {
        ...send,
        contentType: c.label,
        body: Buffer.from(text(c.declaration), 'latin1'),
      });
      assert.equal(res.status, 200, `${c.label} ${c.declaration}: ${res.text}`);
      assert.equal(service.sends.length, before_ + 1);
      assert.equal(service.sends.at(-1)?.input.tittel, 'Vedtak om søknad for Åse Ærlig', `${c.label} ${c.declaration}`);
    }
  });

  it('names unreadable scalar values, all at once', async () => {
    const fixture = nodeClientEnvelope(
      'sendForsendelse',
      '<forsendelse><tittel>T</tittel><kryptert>ja</kryptert><signeringUtloper>i morgen</signeringUtloper>' +
        '<printkonfigurasjon><brevtype>CPOST</brevtype></printkonfigurasjon></forsendelse>',
    );
    const message = await fault(fixture);
    assert.match(message, /Ugyldig verdi: kryptert må være true eller false \(fikk «ja»\)/);
    assert.match(message, /Ugyldig dato\/tid: signeringUtloper/);
    assert.match(message, /Ugyldig verdi: printkonfigurasjon\.brevtype må være en av APOST, BPOST/);
  });

  it('names an unknown operation, a non-SOAP body and a foreign envelope namespace', async () => {
    assert.match(
      await fault(unknownOperationRequest()),
      /Ukjent operasjon: \{http:\/\/www\.ks\.no\/svarut\/servicesV9\}slettAlleForsendelser/,
    );
    assert.match(await fault(notSoapRequest()), /Ikke en SOAP-melding: rotelementet er «forsendelse»/);
    const res = await post(server.endpoint, wrongEnvelopeNamespaceRequest());
    assert.equal(res.status, 500);
    assert.match(res.text, /<faultcode>soap:VersionMismatch<\/faultcode>/);
  });
});

describe('SOAP door: HTTP Basic', () => {
  let server: RunningSoapServer;
  before(async () => {
    server = await startSoapServer(new RecordingService());
  });
  after(async () => server.close());

  it('challenges a request without credentials with 401 Basic realm="SvarUt", then takes the retry (WCF)', async () => {
    const fixture = nodeSendForsendelse({ dokumenter: [{ data: PDF, filnavn: 'a.pdf' }] });
    const first = await post(server.endpoint, fixture, null);
    assert.equal(first.status, 401);
    assert.equal(first.headers.get('www-authenticate'), 'Basic realm="SvarUt"');
    assert.match(first.text, /<title>401 /, 'the Node client reports the <title> of non-SOAP errors');
    const retry = await post(server.endpoint, fixture);
    assert.equal(retry.status, 200, retry.text);
  });

  it('answers wrong credentials with 401 and the challenge too', async () => {
    const res = await post(
      server.endpoint,
      nodeSendForsendelse({ dokumenter: [{ data: PDF, filnavn: 'a.pdf' }] }),
      `Basic ${Buffer.from('kommune:feil').toString('base64')}`,
    );
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Basic realm="SvarUt"');
    assert.match(res.text, /Ugyldig brukernavn eller passord/);
    // Not well-formed XML (libxml2, which zeep parses with, refuses it): a client that parses
    // any answer as XML reports the 401, not an "unknown fault".
    const lint = spawnSync('xmllint', ['--noout', '--nonet', '-'], { input: res.text, encoding: 'utf8' });
    assert.ifError(lint.error);
    assert.notEqual(lint.status, 0, 'the 401 page parses as XML');
  });

  it('serves the WSDL without credentials and refuses a bare GET', async () => {
    const wsdl = await fetch(`${server.endpoint}?wsdl`);
    assert.equal(wsdl.status, 200);
    assert.match(wsdl.headers.get('content-type') ?? '', /^text\/xml/);
    assert.match(await wsdl.text(), /<wsdl:definitions/);
    const upper = await fetch(`${server.endpoint}?WSDL`);
    assert.equal(upper.status, 200);
    const bare = await fetch(server.endpoint);
    assert.equal(bare.status, 405);
  });
});
