/**
 * SOAP header blocks marked mustUnderstand (SOAP 1.1 §4.2.3, SOAP 1.2 part 1 §5.4.8): one
 * addressed to us from a namespace we do not understand is a MustUnderstand fault and the
 * message is not processed; WS-Addressing and WS-Security blocks stay ignored on purpose
 * (docs/interfaces.md §15 point 3), and so does every block for another actor/role or not marked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FNR, nodeForsendelse, SOAP11, SOAP12, V9, WSA, WSSE } from '../../fixtures/soap/index.js';
import { faultstring, nodeClientReturns, post, reasonText } from './support/post.js';
import { recordingSoapServer } from './support/soap-server.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

describe('SOAP door: mustUnderstand headers', () => {
  const running = recordingSoapServer();

  /** A send with `header` as the Header's content, in the given version. */
  async function send(
    version: '1.1' | '1.2',
    header: string,
  ): Promise<{ status: number; text: string; sent: boolean }> {
    const ns = version === '1.1' ? SOAP11 : SOAP12;
    const before = running.service.sends.length;
    const forsendelse = nodeForsendelse({ dokumenter: [{ data: PDF, filnavn: 'a.pdf' }], fnr: FNR });
    const res = await post(running.server.endpoint, {
      contentType: version === '1.1' ? 'text/xml' : 'application/soap+xml',
      headers: {},
      body: Buffer.from(
        `<soap:Envelope xmlns:soap="${ns}"><soap:Header>${header}</soap:Header><soap:Body>` +
          `<ns2:sendForsendelse xmlns:ns2="${V9}">${forsendelse}</ns2:sendForsendelse></soap:Body></soap:Envelope>`,
      ),
    });
    return { status: res.status, text: res.text, sent: running.service.sends.length > before };
  }

  it('SOAP 1.1: an unknown block with mustUnderstand="1" is a soap:MustUnderstand fault, nothing sent', async () => {
    const res = await send(
      '1.1',
      '<x:Transaksjon xmlns:x="urn:example:tx" soap:mustUnderstand="1">tx-1</x:Transaksjon>',
    );
    assert.equal(res.status, 500, res.text);
    assert.match(res.text, /<faultcode>soap:MustUnderstand<\/faultcode>/);
    assert.match(faultstring(res.text) ?? '', /SOAP-headeren \{urn:example:tx\}Transaksjon er merket mustUnderstand/);
    assert.doesNotMatch(res.text, /<detail>/, 'SOAP 1.1 §4.4: no detail for an error of a header entry');
    assert.equal(res.sent, false);
    assert.deepEqual(nodeClientReturns(res.text), []);
  });

  it('SOAP 1.2: mustUnderstand="true" is a MustUnderstand fault naming the block in a NotUnderstood header', async () => {
    const res = await send(
      '1.2',
      '<x:Transaksjon xmlns:x="urn:example:tx" soap:mustUnderstand="true">tx-1</x:Transaksjon>',
    );
    assert.equal(res.status, 500, res.text);
    assert.match(res.text, /<soap:Value>soap:MustUnderstand<\/soap:Value>/);
    assert.match(
      res.text,
      /<soap:Header><soap:NotUnderstood qname="nu:Transaksjon" xmlns:nu="urn:example:tx"\/><\/soap:Header>/,
    );
    assert.match(reasonText(res.text) ?? '', /mustUnderstand/);
    assert.equal(res.sent, false);
  });

  it('a block addressed to us by actor/role next or ultimateReceiver counts too', async () => {
    const next11 = 'soap:actor="http://schemas.xmlsoap.org/soap/actor/next"';
    assert.equal((await send('1.1', `<x:T xmlns:x="urn:x" soap:mustUnderstand="1" ${next11}/>`)).status, 500);
    for (const role of ['next', 'ultimateReceiver']) {
      const r = `soap:role="http://www.w3.org/2003/05/soap-envelope/role/${role}"`;
      assert.equal((await send('1.2', `<x:T xmlns:x="urn:x" soap:mustUnderstand="1" ${r}/>`)).status, 500, role);
    }
  });

  it('ignores blocks not marked, marked false, or for another actor/role, and WS-A/WS-Security ones', async () => {
    const ok: ['1.1' | '1.2', string][] = [
      ['1.1', '<x:T xmlns:x="urn:x">1</x:T>'],
      ['1.1', '<x:T xmlns:x="urn:x" soap:mustUnderstand="0"/>'],
      ['1.2', '<x:T xmlns:x="urn:x" soap:mustUnderstand="false"/>'],
      ['1.1', '<x:T xmlns:x="urn:x" soap:mustUnderstand="1" soap:actor="urn:en-annen"/>'],
      [
        '1.2',
        '<x:T xmlns:x="urn:x" soap:mustUnderstand="true" soap:role="http://www.w3.org/2003/05/soap-envelope/role/none"/>',
      ],
      ['1.2', `<x:T xmlns:x="urn:x" xmlns:s11="${SOAP11}" s11:mustUnderstand="1"/>`],
      ['1.2', `<a:Action xmlns:a="${WSA}" soap:mustUnderstand="true">urn:a</a:Action>`],
      ['1.1', `<wsse:Security xmlns:wsse="${WSSE}" soap:mustUnderstand="1"><wsse:UsernameToken/></wsse:Security>`],
    ];
    for (const [version, header] of ok) {
      const res = await send(version, header);
      assert.equal(res.status, 200, `${header}: ${res.text}`);
      assert.equal(res.sent, true);
    }
  });
});
