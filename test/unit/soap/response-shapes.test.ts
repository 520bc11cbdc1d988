/** Success and fault envelopes: CXF shape, single-line returns, Norwegian fault text. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthenticationError, BudbringerError, NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import { parseMediaType } from '../../../src/http/soap/content-type.js';
import { responseEnvelope } from '../../../src/http/soap/response-writer.js';
import {
  soapErrorResponse,
  soapFaultXml,
  SoapVersionMismatchError,
  versionHint,
} from '../../../src/http/soap/index.js';

describe('responseEnvelope', () => {
  it('writes the CXF shape without whitespace, <return> unprefixed, never self-closing', () => {
    assert.equal(
      responseEnvelope('1.2', 'sendForsendelse', ['b53d8d15-0000-4000-8000-000000000000']),
      '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns2:sendForsendelseResponse xmlns:ns2="http://www.ks.no/svarut/servicesV9"><return>b53d8d15-0000-4000-8000-000000000000</return></ns2:sendForsendelseResponse></soap:Body></soap:Envelope>',
    );
    assert.equal(
      responseEnvelope('1.1', 'x', [[['hendelsesLogg', []]], '']),
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ns2:xResponse xmlns:ns2="http://www.ks.no/svarut/servicesV9"><return><hendelsesLogg></hendelsesLogg></return><return></return></ns2:xResponse></soap:Body></soap:Envelope>',
    );
  });

  it('keeps each <return> on one line: line breaks (U+2028 and U+2029 too) become character references, markup is escaped', () => {
    const xml = responseEnvelope('1.1', 'x', [[['hendelse', 'a\r\nb <c> & d\u0001\u2028e\u2029']]]);
    assert.ok(!/[\r\n\u2028\u2029]/.test(xml));
    assert.deepEqual(
      [...xml.matchAll(/<return>(.*?)<\/return>/g)].map((m) => m[1]),
      ['<hendelse>a&#13;&#10;b &lt;c&gt; &amp; d&#8232;e&#8233;</hendelse>'],
    );
  });

  it('writes a void result as an empty wrapper', () => {
    assert.match(
      responseEnvelope('1.2', 'setForsendelseLestAvEksterntSystem', []),
      /<ns2:setForsendelseLestAvEksterntSystemResponse xmlns:ns2="[^"]+"\/><\/soap:Body>/,
    );
  });
});

describe('SOAP faults', () => {
  it('writes 1.1 faultcode/faultstring and 1.2 Code/Reason with the message and a machine-readable detail', () => {
    const x11 = soapFaultXml('1.1', 'Sender', 'Mangler tittel: tittel må fylles ut', 'VALIDERINGSFEIL', [
      { field: 'tittel', message: 'm' },
    ]);
    assert.equal(
      x11,
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Mangler tittel: tittel må fylles ut</faultstring><detail><feil xmlns="urn:budbringer:feil"><kode>VALIDERINGSFEIL</kode><felt navn="tittel">m</felt></feil></detail></soap:Fault></soap:Body></soap:Envelope>',
    );
    const x12 = soapFaultXml('1.2', 'Receiver', 'a < b');
    assert.equal(
      x12,
      '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">a &lt; b</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>',
    );
  });

  it('maps errors: caller errors to Sender with their message, others to Receiver without internals, all HTTP 500', async () => {
    const v = soapErrorResponse(
      new ValidationError([
        { field: 'a', message: 'A' },
        { field: 'b', message: 'B' },
      ]),
      '1.1',
    );
    assert.equal(v.status, 500);
    assert.equal(v.headers.get('content-type'), 'text/xml; charset=utf-8');
    assert.match(await v.text(), /<faultcode>soap:Client<\/faultcode><faultstring>A; B<\/faultstring>/);
    const n = soapErrorResponse(new NotFoundError(), '1.2');
    assert.equal(n.headers.get('content-type'), 'application/soap+xml; charset=utf-8');
    assert.match(await n.text(), /soap:Sender.*Forsendelse finnes ikke/);
    const internal = await soapErrorResponse(new Error('disk full at /var/secret'), '1.2').text();
    assert.doesNotMatch(internal, /secret/);
    assert.match(internal, /soap:Receiver.*Intern feil i Budbringer/);
    assert.match(
      await soapErrorResponse(new BudbringerError('X', 'Tjenesten er nede', 503), '1.2').text(),
      /soap:Receiver.*Tjenesten er nede/,
    );
    assert.match(await soapErrorResponse(new SoapVersionMismatchError('urn:x'), '1.1').text(), /soap:VersionMismatch/);
  });

  it('answers AuthenticationError with 401 and the Basic challenge instead of a fault', () => {
    const r = soapErrorResponse(new AuthenticationError(), '1.2');
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('www-authenticate'), 'Basic realm="SvarUt"');
  });

  it('guesses the fault version from the Content-Type until the envelope tells', () => {
    assert.equal(versionHint(parseMediaType('text/xml; charset=utf-8')), '1.1');
    assert.equal(versionHint(parseMediaType('application/soap+xml;action=""')), '1.2');
    assert.equal(
      versionHint(parseMediaType('multipart/related; type="application/xop+xml"; start-info="text/xml"; boundary=b')),
      '1.1',
    );
    assert.equal(
      versionHint(parseMediaType('multipart/related; boundary="b"; start-info="application/soap+xml"')),
      '1.2',
    );
    assert.equal(versionHint(parseMediaType(undefined)), '1.2');
  });

  it('reads quoted and unquoted media type parameters in any order', () => {
    const m = parseMediaType(
      'Multipart/Related; type="application/xop+xml";start="<a@b>";boundary="uuid:x+id=1";start-info="application/soap+xml; action=\\"\\""',
    );
    assert.equal(m.type, 'multipart/related');
    assert.equal(m.params.get('boundary'), 'uuid:x+id=1');
    assert.equal(m.params.get('start'), '<a@b>');
    assert.equal(m.params.get('start-info'), 'application/soap+xml; action=""');
  });
});
