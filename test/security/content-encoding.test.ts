/**
 * A request body sent compressed (an outside review of 6 December 2026): no door
 * decompresses, so gzip was read as its compressed bytes ("ikke gyldig UTF-8") and a plain
 * body labelled `br` was taken as if unlabelled. Every door now refuses a Content-Encoding
 * other than identity, naming it, and nothing is stored.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { basic, letterPdf, restForsendelse } from '../factories.js';
import { nodeSendForsendelse } from '../fixtures/soap/index.js';
import { faultstring, reasonText } from '../unit/soap/support/post.js';
import { rawExchange } from './hostile-http.js';
import { assertStillSound, startHostileNode, type HostileNode } from './support.js';

const V1 = '/tjenester/api/forsendelse/v1';
const SOAP = '/tjenester/forsendelseservice/ForsendelsesServiceV9';

describe('a request body with a Content-Encoding is refused on every door', () => {
  let h: HostileNode;
  let pdf: Uint8Array;
  before(async () => {
    h = await startHostileNode();
    pdf = await letterPdf();
  });
  after(async () => {
    await h?.t.stop();
  });

  async function multipart(): Promise<{ type: string; body: Buffer }> {
    const form = new FormData();
    form.append('forsendelse', new Blob([JSON.stringify(restForsendelse())], { type: 'application/json' }));
    form.append('filer', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'brev.pdf');
    const r = new Response(form);
    return { type: r.headers.get('content-type') ?? '', body: Buffer.from(await r.arrayBuffer()) };
  }

  it('REST v1 sendForsendelse: gzip, and br on a plain body, are 415 naming the encoding', async () => {
    const { type, body } = await multipart();
    for (const [encoding, bytes] of [
      ['gzip', gzipSync(body)],
      ['br', body],
    ] as const) {
      const res = await fetch(`${h.t.url}${V1}/sendForsendelse`, {
        method: 'POST',
        headers: { authorization: basic(h.creds), 'content-type': type, 'content-encoding': encoding },
        body: bytes,
      });
      const json = (await res.json()) as { message: string };
      assert.equal(res.status, 415, JSON.stringify(json));
      assert.equal(json.message, `Content-Encoding «${encoding}» støttes ikke: send innholdet ukomprimert`);
    }
    const plain = await fetch(`${h.t.url}${V1}/sendForsendelse`, {
      method: 'POST',
      headers: { authorization: basic(h.creds), 'content-type': type, 'content-encoding': 'identity' },
      body,
    });
    assert.equal(plain.status, 200, 'identity is no encoding');
    await plain.arrayBuffer();
    await assertStillSound(h);
  });

  it('SOAP: a gzip body is a fault naming the encoding', async () => {
    const fixture = nodeSendForsendelse({ dokumenter: [{ data: pdf, filnavn: 'brev.pdf' }], tittel: 'Komprimert' });
    const res = await fetch(`${h.t.url}${SOAP}`, {
      method: 'POST',
      headers: {
        authorization: basic(h.creds),
        'content-type': fixture.contentType,
        ...fixture.headers,
        'content-encoding': 'gzip',
      },
      body: gzipSync(fixture.body),
    });
    const text = await res.text();
    assert.equal(res.status, 500);
    assert.equal(
      reasonText(text) ?? faultstring(text),
      'Content-Encoding «gzip» støttes ikke: send innholdet ukomprimert',
      text,
    );
    await assertStillSound(h);
  });

  it('SOAP: a FastInfoset body (JAX-WS optimistic content negotiation) is a fault naming its type', async () => {
    const fixture = nodeSendForsendelse({ dokumenter: [{ data: pdf, filnavn: 'brev.pdf' }], tittel: 'Binær XML' });
    const res = await fetch(`${h.t.url}${SOAP}`, {
      method: 'POST',
      headers: { authorization: basic(h.creds), 'content-type': 'application/soap+fastinfoset' },
      // FastInfoset's header (ITU-T X.891: 0xE0 0x00 0x00 0x01) before binary content.
      body: Buffer.concat([Buffer.from([0xe0, 0x00, 0x00, 0x01, 0x00, 0x38, 0x8f]), fixture.body]),
    });
    const text = await res.text();
    assert.equal(res.status, 500);
    assert.match(
      reasonText(text) ?? faultstring(text) ?? '',
      /^Content-Type «application\/soap\+fastinfoset» støttes ikke: send SOAP-meldingen som XML/,
      text,
    );
    await assertStillSound(h);
  });

  it('a transfer coding other than chunked (gzip, chunked) is 501 naming it, on REST v1 and SOAP (Node undid only the chunking: gzip bytes read as the body)', async () => {
    const chunked = (body: Buffer): Buffer =>
      Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
    const { type, body } = await multipart();
    const fixture = nodeSendForsendelse({ dokumenter: [{ data: pdf, filnavn: 'brev.pdf' }], tittel: 'Overført' });
    // A SOAP fault is always a 500 (SOAP 1.1 §6.2, 1.2 §7.5.1).
    for (const [path, contentType, plain, status] of [
      [`${V1}/sendForsendelse`, type, body, 501],
      [SOAP, fixture.contentType, fixture.body, 500],
    ] as const) {
      const head =
        `POST ${path} HTTP/1.1\r\nHost: budbringer\r\nAuthorization: ${basic(h.creds)}\r\n` +
        `Content-Type: ${contentType}\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n`;
      const answer = await rawExchange(h.t.url, Buffer.concat([Buffer.from(head), chunked(gzipSync(plain))]), 5000);
      assert.match(answer.text, new RegExp(`^HTTP/1\\.1 ${status} `), answer.text);
      assert.match(
        answer.text,
        /Transfer-Encoding «gzip» støttes ikke: send innholdet ukomprimert, med Content-Length eller chunked/,
        answer.text,
      );
      // The caller's to mend, not a server fault a client would retry.
      if (path === SOAP) assert.match(answer.text, /<soap:Value>soap:Sender<\/soap:Value>/, answer.text);
    }
    await assertStillSound(h);
  });
});
