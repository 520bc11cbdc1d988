/**
 * A refusal raised before the Envelope element is read (a DOCTYPE, an encoding we refuse)
 * is answered in the version of the envelope's namespace when the text already read shows
 * it (docs/interfaces.md §15 point 1): the Node client sends a 1.1 envelope as application/soap+xml and
 * reads only `<faultstring>` (docs/interfaces.md §3 and §16). Where it cannot be seen, the
 * Content-Type's guess stays.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sniffEnvelopeVersion } from '../../../src/http/soap/version-sniff.js';
import { SOAP11, SOAP12, V9 } from '../../fixtures/soap/index.js';
import { faultstring, post, reasonText } from './support/post.js';
import { RecordingService } from './support/recording-service.js';
import { startSoapServer, type RunningSoapServer } from './support/soap-server.js';

const op = `<ns2:startNyForsendelse xmlns:ns2="${V9}"/>`;
const env = (ns: string): string => `<soap:Envelope xmlns:soap="${ns}"><soap:Body>${op}</soap:Body></soap:Envelope>`;

describe('the SOAP version of an early fault', () => {
  let server: RunningSoapServer;
  before(async () => {
    server = await startSoapServer(new RecordingService());
  });
  after(async () => server.close());

  const fault = async (body: string, contentType: string) => {
    const res = await post(server.endpoint, { contentType, headers: {}, body: Buffer.from(body) });
    assert.equal(res.status, 500, res.text);
    return res;
  };

  it('answers a 1.1 envelope sent as application/soap+xml with a 1.1 fault, DOCTYPE or refused encoding ahead of it', async () => {
    for (const [prologue, message] of [
      ['<!DOCTYPE x [<!ENTITY e "z">]>', /DOCTYPE \(DTD\) avvises/],
      ['<?xml version="1.0" encoding="Shift_JIS"?>', /Tegnsettet «Shift_JIS» støttes ikke/],
    ] as const) {
      const res = await fault(prologue + env(SOAP11), 'application/soap+xml');
      assert.match(res.contentType, /^text\/xml/);
      assert.match(faultstring(res.text) ?? '', message);
    }
  });

  it('answers a 1.2 envelope sent as text/xml in 1.2, and keeps the Content-Type guess when no Envelope shows', async () => {
    const res12 = await fault(`<!DOCTYPE x>${env(SOAP12)}`, 'text/xml');
    assert.match(reasonText(res12.text) ?? '', /DOCTYPE/);
    const guessed = await fault('<!DOCTYPE x><ikke-soap/>', 'text/xml');
    assert.match(faultstring(guessed.text) ?? '', /DOCTYPE/);
  });

  it('reads the namespace the Envelope tag binds its own prefix to, and nothing else', () => {
    assert.equal(sniffEnvelopeVersion(`<!DOCTYPE x>${env(SOAP11)}`), '1.1');
    assert.equal(sniffEnvelopeVersion(`<Envelope xmlns='${SOAP12}'><Body/></Envelope>`), '1.2');
    assert.equal(sniffEnvelopeVersion(`<s:Envelope xmlns="${SOAP11}" xmlns:s="${SOAP12}">`), '1.2');
    assert.equal(sniffEnvelopeVersion(`<s:Envelope xmlns:t="${SOAP11}">`), undefined);
    assert.equal(sniffEnvelopeVersion(`<s:Envelope xmlns:s="urn:annet">`), undefined);
    assert.equal(sniffEnvelopeVersion('<!DOCTYPE x [<!ENTITY e "z">]>'), undefined);
  });
});
