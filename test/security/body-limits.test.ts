/**
 * Issue #13 point 2: no request may end the node or grow its memory with the size of the
 * body. Every door has a limit that fits what it takes (docs/limits.md), enforced while
 * streaming: a declared Content-Length over it is refused before the body is read, a
 * longer body as soon as it passes it, with 413 (SOAP: a fault) and a Norwegian message.
 * Big bodies are generated as they are sent, and the sender stops when the answer comes:
 * that it came long before the body ended is the proof that nothing waited for the whole.
 * `h` runs with the real default limits; `small` with a 256 KiB forsendelse limit and short
 * server timeouts, so the file limits and the framing cases run fast.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InboxLinks } from '../../src/app/inbox-links.js';
import { loadSecret } from '../../src/composition/channels.js';
import { addUser, loggedIn, type AdminClient } from '../browser/support.js';
import { basic, FNR, letterPdf, restForsendelse } from '../factories.js';
import { cxfMtomSendForsendelse, nodeSendForsendelse } from '../fixtures/soap/index.js';
import { assertRefusal, assertStillSound, startHostileNode, type HostileNode } from './support.js';
import { concat, filler, partHead, rawExchange, streamPost, type StreamedAnswer } from './hostile-http.js';

const MIB = 1024 * 1024;
const REST = '/tjenester/api/forsendelse/v1';
const SOAP = '/tjenester/forsendelseservice/ForsendelsesServiceV9';
const BOUNDARY = 'grense-4f1c2b';
const FORM = `multipart/form-data; boundary=${BOUNDARY}`;
const PRINT_PASSWORD = 'printpassord-123';
/** A declared length no door takes. */
const ABSURD = '1000000000000000000';

/** Sent before the answer: far less than the body, so the server neither read nor waited for the rest. */
function assertRefusedEarly(res: StreamedAnswer, of: number): void {
  assert.ok(res.sentBytes < Math.min(of / 4, 100 * MIB), `${res.sentBytes} of ${of} bytes were sent before the answer`);
}

/** A REST v1 send whose `forsendelse` part is valid and whose second part is `part` (head) with `bytes` of body. */
function restSendBody(head: string, bytes: number): AsyncGenerator<Uint8Array> {
  return concat(
    partHead(BOUNDARY, 'name="forsendelse"', 'application/json'),
    JSON.stringify(restForsendelse()),
    '\r\n',
    head,
    filler(bytes),
    `\r\n--${BOUNDARY}--\r\n`,
  );
}

/** An HTTP/1.1 request head with `headers`, for raw connections. */
function head(method: string, path: string, url: string, headers: Record<string, string>): string {
  const host = new URL(url).host;
  return `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

/** The status code of a raw HTTP answer (0 when none came). */
function statusOf(raw: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
}

describe('security: body limits at every door', () => {
  let h: HostileNode;
  let small: HostileNode;
  let admin: AdminClient;
  before(async () => {
    h = await startHostileNode({ PRINT_RECEIPT_PASSWORD: PRINT_PASSWORD });
    small = await startHostileNode({
      MAX_FORSENDELSE_BYTES: String(256 * 1024),
      HEADERS_TIMEOUT_MS: '1500',
      REQUEST_TIMEOUT_MS: '3000',
    });
    await addUser(h.t, 'grenseadmin', 'admin');
    admin = await loggedIn(h.t.url, 'grenseadmin');
  });
  after(async () => {
    await h?.t.stop();
    await small?.t.stop();
  });

  const rest = (
    n: HostileNode,
    path: string,
    headers: Record<string, string>,
    body: AsyncIterable<Uint8Array>,
  ): Promise<StreamedAnswer> =>
    streamPost(`${n.t.url}${REST}${path}`, { authorization: basic(n.creds), ...headers }, body);

  describe('REST v1 (default limits)', () => {
    it('a 540 MB part without a filename is refused long before its end (it once ended the process)', async () => {
      const total = 540 * MIB;
      const res = await rest(
        h,
        '/sendForsendelse',
        { 'content-type': FORM },
        restSendBody(partHead(BOUNDARY, 'name="vedlegg"', 'application/octet-stream'), total),
      );
      assertRefusal(res, 413, /Delen «vedlegg» er for stor: grensen er 1 MiB/, 'vedlegg');
      assert.equal(JSON.parse(res.text).errorcode, 'FOR_STOR');
      assertRefusedEarly(res, total);
      await assertStillSound(h);
    });

    it('a 200 MB `forsendelse` part sent as a file (FormData with a Blob) is refused at 1 MiB', async () => {
      const total = 200 * MIB;
      const body = concat(
        partHead(BOUNDARY, 'name="forsendelse"; filename="blob"', 'application/json'),
        '{"tittel":"',
        filler(total),
        `"}\r\n--${BOUNDARY}--\r\n`,
      );
      const res = await rest(h, '/sendForsendelse', { 'content-type': FORM }, body);
      assertRefusal(res, 413, /Delen «forsendelse» er for stor: grensen er 1 MiB/, 'forsendelse');
      assertRefusedEarly(res, total);
      await assertStillSound(h);
    });

    it('a 200 MB plain text field is refused as it arrives, not after it', async () => {
      const total = 200 * MIB;
      const res = await rest(
        h,
        '/sendForsendelse',
        { 'content-type': FORM },
        restSendBody(partHead(BOUNDARY, 'name="notat"'), total),
      );
      assertRefusal(res, 413, /Tekstfeltene er til sammen for store: grensen er 1 MiB/);
      assertRefusedEarly(res, total);
      await assertStillSound(h);
    });

    it('a declared Content-Length of 10^18 is refused at once, without reading the body', async () => {
      const raw = await rawExchange(
        h.t.url,
        head('POST', `${REST}/sendForsendelse`, h.t.url, {
          authorization: basic(h.creds),
          'content-type': FORM,
          'content-length': ABSURD,
        }) + 'litt',
        10_000,
      );
      assertRefusal(
        { status: statusOf(raw.text), text: raw.text },
        413,
        /Forespørselen er for stor: grensen er 352 MiB/,
      );
      await assertStillSound(h);
    });

    it('a 150 MB JSON body to /statuser is refused at 1 MiB', async () => {
      const total = 150 * MIB;
      const res = await rest(h, '/statuser', { 'content-type': 'application/json' }, concat('["', filler(total), '"]'));
      assertRefusal(res, 413, /JSON-innholdet er for stort: grensen er 1 MiB/);
      assertRefusedEarly(res, total);
      await assertStillSound(h);
    });

    it('/settLest with a declared 2 MiB body is refused before a byte is read', async () => {
      const raw = await rawExchange(
        h.t.url,
        head('POST', `${REST}/${h.baseline.id}/settLest`, h.t.url, {
          authorization: basic(h.creds),
          'content-type': 'application/json',
          'content-length': String(2 * MIB),
        }) + '{',
        10_000,
      );
      assertRefusal({ status: statusOf(raw.text), text: raw.text }, 413, /JSON-innholdet er for stort/);
      await assertStillSound(h);
    });
  });

  describe('REST v1 (a 256 KiB forsendelse limit)', () => {
    it('two files within the limit each but over it together are refused, and no letter is made', async () => {
      const pdf = Buffer.alloc(200 * 1024, 0x25);
      const json = restForsendelse({
        dokumenter: [
          { filnavn: 'a.pdf', mimeType: 'application/pdf' },
          { filnavn: 'b.pdf', mimeType: 'application/pdf' },
        ],
        eksternref: 'for-stor-sum',
      });
      const body = concat(
        partHead(BOUNDARY, 'name="forsendelse"', 'application/json'),
        JSON.stringify(json),
        '\r\n',
        partHead(BOUNDARY, 'name="filer"; filename="a.pdf"', 'application/pdf'),
        pdf,
        '\r\n',
        partHead(BOUNDARY, 'name="filer"; filename="b.pdf"', 'application/pdf'),
        pdf,
        `\r\n--${BOUNDARY}--\r\n`,
      );
      const res = await rest(small, '/sendForsendelse', { 'content-type': FORM }, body);
      assertRefusal(res, 413, /Filene er til sammen for store: grensen er 256 KiB/);
      const ids = await fetch(`${small.t.url}${REST}/eksternref/for-stor-sum`, {
        headers: { authorization: basic(small.creds) },
      });
      assert.deepEqual(((await ids.json()) as { forsendelseIder: unknown[] }).forsendelseIder, []);
      await assertStillSound(small);
    });

    it('a 100 MB file is refused at the limit while it streams', async () => {
      const total = 100 * MIB;
      const res = await rest(
        small,
        '/sendForsendelse',
        { 'content-type': FORM },
        restSendBody(partHead(BOUNDARY, 'name="filer"; filename="brev.pdf"', 'application/pdf'), total),
      );
      assertRefusal(res, 413, /Filen «brev\.pdf» er for stor: grensen er 256 KiB/, 'brev.pdf');
      assertRefusedEarly(res, total);
      await assertStillSound(small);
    });
  });

  describe('SOAP', () => {
    const soapHeaders = (n: HostileNode, contentType: string): Record<string, string> => ({
      authorization: basic(n.creds),
      'content-type': contentType,
      soapaction: '""',
    });

    it('a declared Content-Length of 10^18 is a fault at once, and the connection is closed', async () => {
      const raw = await rawExchange(
        h.t.url,
        head('POST', SOAP, h.t.url, {
          ...soapHeaders(h, 'application/soap+xml; charset=utf-8'),
          'content-length': ABSURD,
        }) + '<',
        10_000,
      );
      assertRefusal({ status: statusOf(raw.text), text: raw.text }, 500, /Meldingen er for stor: grensen er/);
      assert.match(raw.text, /<kode>FOR_STOR<\/kode>/);
      assert.match(raw.text, /connection: close/i);
      await assertStillSound(h);
    });

    it('an MTOM attachment of 100 MB is refused at the forsendelse limit while it streams', async () => {
      const fixture = cxfMtomSendForsendelse([{ data: Buffer.from('@@VEDLEGG@@'), filnavn: 'a.pdf' }]);
      const at = fixture.body.indexOf('@@VEDLEGG@@');
      const total = 100 * MIB;
      const body = concat(
        fixture.body.subarray(0, at),
        filler(total),
        fixture.body.subarray(at + '@@VEDLEGG@@'.length),
      );
      const res = await streamPost(
        `${small.t.url}${SOAP}`,
        { ...soapHeaders(small, fixture.contentType), ...fixture.headers },
        body,
      );
      assertRefusal(
        res,
        500,
        /Dokumentene er til sammen for store \(ved MTOM-vedlegget &lt;5aeaa450[^&]*&gt;\): grensen er 256 KiB/,
      );
      assertRefusedEarly(res, total);
      await assertStillSound(small);
    });

    it('an inline base64 document over the limit is refused while it streams', async () => {
      const fixture = nodeSendForsendelse({ dokumenter: [{ data: Buffer.from('@@'), filnavn: 'a.pdf' }] });
      const text = fixture.body.toString('utf8');
      const base64Of = Buffer.from('@@').toString('base64');
      const at = text.indexOf(base64Of);
      assert.ok(at > 0);
      const total = 100 * MIB;
      const body = concat(text.slice(0, at), filler(total, 0x41), text.slice(at + base64Of.length));
      const res = await streamPost(
        `${small.t.url}${SOAP}`,
        { ...soapHeaders(small, fixture.contentType), ...fixture.headers },
        body,
      );
      assertRefusal(res, 500, /dokumenter\[0\]\.data er større enn 256 KB som innebygd base64/);
      assertRefusedEarly(res, total);
      await assertStillSound(small);
    });
  });

  describe('admin web', () => {
    it('the send form with a 540 MB part without a filename is refused long before its end', async () => {
      const token = await admin.csrf('/forvaltning/send');
      const total = 540 * MIB;
      const body = concat(
        partHead(BOUNDARY, 'name="tittel"'),
        'Brev',
        '\r\n',
        partHead(BOUNDARY, 'name="vedlegg"', 'application/octet-stream'),
        filler(total),
        `\r\n--${BOUNDARY}--\r\n`,
      );
      const res = await streamPost(
        `${h.t.url}/forvaltning/send?_csrf=${encodeURIComponent(token)}`,
        { cookie: admin.cookie, 'content-type': FORM },
        body,
      );
      assertRefusal(res, 413, /Delen «vedlegg» er for stor: grensen er 64 KiB/);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assertRefusedEarly(res, total);
      await assertStillSound(h);
    });

    it('the send form with a declared Content-Length of 10^18 is refused at once', async () => {
      const token = await admin.csrf('/forvaltning/send');
      const raw = await rawExchange(
        h.t.url,
        head('POST', `/forvaltning/send?_csrf=${encodeURIComponent(token)}`, h.t.url, {
          cookie: admin.cookie,
          'content-type': FORM,
          'content-length': ABSURD,
        }) + '--',
        10_000,
      );
      assertRefusal({ status: statusOf(raw.text), text: raw.text }, 413, /Forespørselen er for stor/);
      await assertStillSound(h);
    });

    it('a 100 MB url-encoded form is refused at 256 KiB', async () => {
      const total = 100 * MIB;
      const res = await streamPost(
        `${h.t.url}/forvaltning/logg-inn`,
        { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        concat('a=', filler(total)),
      );
      assertRefusal(res, 413, /Skjemaet er for stort: grensen er 256 KiB/);
      assertRefusedEarly(res, total);
      await assertStillSound(h);
    });
  });

  describe('inbox', () => {
    const codeUrl = (n: HostileNode): string => {
      const links = new InboxLinks(loadSecret(n.t.node.settings));
      const token = links.token({
        forsendelseId: n.baseline.id,
        mottaker: links.recipientKey(FNR[0]),
        expiresAt: Date.now() + 3600_000,
      });
      return `${n.t.url}/innboks/${token}/bekreft`;
    };

    it('a 100 MB code form is refused at 4 KiB with a page', async () => {
      const total = 100 * MIB;
      const res = await streamPost(
        codeUrl(h),
        { 'content-type': 'application/x-www-form-urlencoded' },
        concat('kode=', filler(total, 0x31)),
      );
      assertRefusal(res, 413, /Skjemaet er for stort: grensen er 4 KiB/);
      assert.match(res.text, /<title>For stort skjema/);
      assertRefusedEarly(res, total);
      await assertStillSound(h);
    });

    it('a code form with a declared Content-Length of 10^18 is refused at once', async () => {
      const url = new URL(codeUrl(h));
      const raw = await rawExchange(
        h.t.url,
        head('POST', url.pathname, h.t.url, {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': ABSURD,
        }) + 'kode=1',
        10_000,
      );
      assertRefusal({ status: statusOf(raw.text), text: raw.text }, 413, /Skjemaet er for stort/);
      await assertStillSound(h);
    });
  });

  describe('print receipts', () => {
    const auth = `Basic ${Buffer.from(`printleverandor:${PRINT_PASSWORD}`).toString('base64')}`;

    it('a 50 MB receipt list is refused at 4 MiB', async () => {
      const total = 50 * MIB;
      const res = await streamPost(
        `${h.t.url}/tjenester/api/print/v1/kvitteringer`,
        { authorization: auth, 'content-type': 'application/json' },
        concat('[{"x":"', filler(total), '"}]'),
      );
      assertRefusal(res, 413, /Printkvitteringene er for store: grensen er 4 MiB/);
      assertRefusedEarly(res, total);
      await assertStillSound(h);
    });

    it('a receipt list with a declared Content-Length of 10^18 is refused at once', async () => {
      const raw = await rawExchange(
        h.t.url,
        head('POST', '/tjenester/api/print/v1/kvitteringer', h.t.url, {
          authorization: auth,
          'content-type': 'application/json',
          'content-length': ABSURD,
        }) + '[',
        10_000,
      );
      assertRefusal({ status: statusOf(raw.text), text: raw.text }, 413, /Printkvitteringene er for store/);
      await assertStillSound(h);
    });
  });

  describe('HTTP framing', () => {
    it('a Content-Length larger than the body sent does not hold the request open: the server ends it', async () => {
      const raw = await rawExchange(
        small.t.url,
        head('POST', `${REST}/statuser`, small.t.url, {
          authorization: basic(small.creds),
          'content-type': 'application/json',
          'content-length': '1000',
        }) + '["',
        10_000,
      );
      assert.ok(
        raw.closed,
        `the server closed the connection within 10 s (got ${JSON.stringify(raw.text.slice(0, 200))})`,
      );
      await assertStillSound(small);
    });

    it('headers trickled a byte at a time (slowloris) are cut off by the server', async () => {
      const raw = await rawExchange(small.t.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Langsom: `, 10_000, 'a');
      assert.ok(raw.closed, 'the server closed the connection within 10 s');
      assert.ok(raw.text === '' || statusOf(raw.text) === 408, raw.text.slice(0, 200));
      await assertStillSound(small);
    });

    it('a chunked JSON body over the limit is refused as it arrives', async () => {
      const chunk = 'x'.repeat(64 * 1024);
      const chunks = Array.from({ length: 40 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
      const raw = await rawExchange(
        small.t.url,
        head('POST', `${REST}/statuser`, small.t.url, {
          authorization: basic(small.creds),
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
        }) + chunks,
        10_000,
      );
      assertRefusal(
        { status: statusOf(raw.text), text: raw.text },
        413,
        /JSON-innholdet er for stort: grensen er 1 MiB/,
      );
      await assertStillSound(small);
    });

    it('an ordinary letter is still taken at the default limits after all of this', async () => {
      const form = new FormData();
      form.append(
        'forsendelse',
        new Blob([JSON.stringify(restForsendelse({ tittel: 'Etter angrepene' }))], { type: 'application/json' }),
      );
      form.append('filer', new Blob([new Uint8Array(await letterPdf())], { type: 'application/pdf' }), 'brev.pdf');
      const res = await fetch(`${h.t.url}${REST}/sendForsendelse`, {
        method: 'POST',
        headers: { authorization: basic(h.creds) },
        body: form,
      });
      assert.equal(res.status, 200, await res.clone().text());
      await assertStillSound(h);
    });
  });
});
