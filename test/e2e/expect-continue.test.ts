/**
 * Expect: 100-continue (src/http/expect-continue.ts): a request the node refuses whatever its
 * body holds is answered before the body is sent — no "100 Continue" for a caller without
 * credentials or a declared size over every door's limit — and a request with credentials
 * gets its "100 Continue" and its answer as before. Raw sockets: fetch hides the interim answer.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { basic, startTestNode, type Creds, type TestNode } from '../factories.js';

/** Sends `head`; sends `body` once the interim 100 Continue is in; reads until the node closes the connection. */
function exchange(url: string, head: string, body?: string): Promise<{ beforeBody: string; all: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    let beforeBody: string | undefined;
    const timer = setTimeout(() => socket.destroy(new Error(`no answer; got ${JSON.stringify(text)}`)), 10_000);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      if (beforeBody === undefined && text.includes('\r\n\r\n')) {
        beforeBody = text;
        if (body !== undefined && text.startsWith('HTTP/1.1 100')) socket.write(body);
      }
    });
    socket.on('end', () => {
      clearTimeout(timer);
      resolve({ beforeBody: beforeBody ?? '', all: text });
    });
    socket.write(head);
  });
}

describe('Expect: 100-continue', () => {
  let t: TestNode;
  let creds: Creds;
  before(async () => {
    t = await startTestNode();
    creds = await t.sender('Forventkommune');
  });
  after(() => t.stop());

  it('answers 401 with the challenge at once, without 100 Continue, to a SOAP call without credentials (it read 400 MB first)', async () => {
    const r = await exchange(
      t.url,
      'POST /tjenester/forsendelseservice/ForsendelsesServiceV9 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n' +
        'Content-Length: 400000000\r\nExpect: 100-continue\r\n\r\n',
    );
    assert.match(r.all, /^HTTP\/1\.1 401 /);
    assert.doesNotMatch(r.all, /100 Continue/);
    assert.match(r.all, /www-authenticate: Basic realm="SvarUt"/i);
    assert.match(r.all, /connection: close/i);
    // The SOAP door's own 401 page, whose <title> the Node client reports (not text/plain).
    assert.match(r.all, /content-type: text\/html; charset=utf-8/i);
    assert.match(r.all, /<title>401 Mangler innlogging/);
  });

  it('answers 413 at once to a declared size over every door limit, and 401 with Bearer on REST v3', async () => {
    const big = await exchange(
      t.url,
      `POST /tjenester/api/forsendelse/v1/sendForsendelse HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(creds)}\r\n` +
        'Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000000000\r\nExpect: 100-continue\r\n\r\n',
    );
    assert.match(big.all, /^HTTP\/1\.1 413 /);
    assert.match(big.all, /content-type: application\/json/i);
    const rest = JSON.parse(big.all.slice(big.all.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    assert.equal(rest['errorcode'], 'FOR_STOR', "REST v1's {errorcode, message}");
    assert.match(String(rest['message']), /Forespørselen er for stor: 1000000000000 byte er varslet/);
    // SOAP: a fault in the request's version whose kode says FOR_STOR, as the door answers it.
    const soap = await exchange(
      t.url,
      `POST /tjenester/forsendelseservice/ForsendelsesServiceV9 HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(creds)}\r\n` +
        'Content-Type: text/xml; charset=utf-8\r\nContent-Length: 1000000000000\r\nExpect: 100-continue\r\n\r\n',
    );
    assert.match(soap.all, /^HTTP\/1\.1 500 /);
    assert.doesNotMatch(soap.all, /100 Continue/);
    assert.match(soap.all, /<soap:Envelope xmlns:soap="http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/"/);
    assert.match(soap.all, /<kode>FOR_STOR<\/kode>/);
    const v3 = await exchange(
      t.url,
      'POST /api/v3/kontoer/x/forsendelser/status/sok HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 9\r\nExpect: 100-continue\r\n\r\n',
    );
    assert.match(v3.all, /^HTTP\/1\.1 401 /);
    assert.match(v3.all, /www-authenticate: Bearer/i);
    const fiks = JSON.parse(v3.all.slice(v3.all.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    assert.equal(fiks['errorCode'], 'UGYLDIG_TOKEN', 'the Fiks error shape KS clients read');
    assert.equal(fiks['status'], 401);
  });

  it('logs and counts each early answer as a request of its door', async () => {
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    assert.match(
      metrics,
      /budbringer_http_requests_total\{method="POST",route="\/tjenester\/forsendelseservice\/\*",status="401"\} [1-9]/,
    );
    assert.match(metrics, /budbringer_http_requests_total\{method="POST",route="\/api\/v3\/\*",status="401"\} [1-9]/);
    assert.match(metrics, /budbringer_http_requests_total\{method="POST",route="\/tjenester\/\*",status="413"\} [1-9]/);
  });

  it("refuses a declared size over the door's own limit before the body, in the door's format (it asked for the body first)", async () => {
    const cases = [
      // 400 MiB: over REST v1's send limit, under the most any door takes.
      ['/tjenester/api/forsendelse/v1/sendForsendelse', 'multipart/form-data; boundary=x', 400 * 1024 * 1024],
      // 2 MiB to a status call whose limit is 1 MiB.
      ['/tjenester/api/forsendelse/v1/statuser', 'application/json', 2 * 1024 * 1024],
    ] as const;
    for (const [path, type, bytes] of cases) {
      const r = await exchange(
        t.url,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(creds)}\r\nContent-Type: ${type}\r\n` +
          `Content-Length: ${bytes}\r\nExpect: 100-continue\r\n\r\n`,
        'x'.repeat(1024),
      );
      assert.doesNotMatch(r.all, /100 Continue/, path);
      assert.match(r.all, /^HTTP\/1\.1 413 /, path);
      assert.match(r.all, /connection: close/i, path);
      assert.match(r.all, /"errorcode":"FOR_STOR"/, path);
    }
  });

  it('answers a wrong password at once on every Basic door, without asking for the body (SOAP read it first)', async () => {
    const wrong = `Basic ${Buffer.from(`${creds.user}:feil-passord`).toString('base64')}`;
    for (const [path, type] of [
      ['/tjenester/forsendelseservice/ForsendelsesServiceV9', 'text/xml; charset=utf-8'],
      [
        '/tjenester/forsendelseservice/ForsendelsesServiceV11',
        'multipart/related; type="application/xop+xml"; boundary=b',
      ],
      ['/tjenester/api/forsendelse/v1/sendForsendelse', 'multipart/form-data; boundary=b'],
    ] as const) {
      const r = await exchange(
        t.url,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${wrong}\r\nContent-Type: ${type}\r\n` +
          'Content-Length: 2000000\r\nExpect: 100-continue\r\n\r\n',
        'x'.repeat(1024),
      );
      assert.doesNotMatch(r.all, /100 Continue/, path);
      assert.match(r.all, /^HTTP\/1\.1 401 /, path);
      assert.match(r.all, /connection: close/i, path);
    }
  });

  it("answers what Node's HTTP parser refuses with its status and a line saying why (the answers had no body)", async () => {
    const cases = [
      [
        'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n',
        400,
        /Transfer-Encoding er ugyldig eller står sammen med Content-Length/,
      ],
      ['Content-Length: 5\r\nContent-Length: 6\r\n', 400, /Ugyldig HTTP-forespørsel/],
      ['Transfer-Encoding: chunked\r\n', 400, /en chunk har ugyldig størrelse/, 'zz\r\nabc\r\n0\r\n\r\n'],
      [`X-Stor: ${'a'.repeat(100_000)}\r\n`, 431, /HTTP-hodene i forespørselen er for store/],
      // Named by the header and what is wrong with it, not by llhttp's code (found in review).
      [
        'Transfer-Encoding: chunked\r\nContent-Length: 3\r\n',
        400,
        /Transfer-Encoding er ugyldig eller står sammen med Content-Length/,
      ],
      ['Content-Length: 3\r\nContent-Length: 5\r\n', 400, /Content-Length står mer enn én gang\n$/],
      ['Content-Length: 3x\r\n', 400, /Content-Length er ikke et heltall\n$/],
      ['Content-Length: 99999999999999999999999\r\n', 400, /Content-Length er for stor til å leses\n$/],
      ['X Bad: 1\r\n', 400, /et HTTP-hode har et ugyldig tegn/],
    ] as const;
    for (const [headers, status, reason, body = ''] of cases) {
      const r = await exchange(
        t.url,
        `POST /tjenester/api/forsendelse/v1/statuser HTTP/1.1\r\nHost: x\r\n${headers}\r\n${body}`,
      );
      assert.match(r.all, new RegExp(`^HTTP/1\\.1 ${status} `), headers.slice(0, 60));
      assert.match(r.all, /content-type: text\/plain; charset=utf-8/i);
      assert.match(r.all, reason, headers.slice(0, 60));
    }
  });

  it('lets a call with credentials send its body after 100 Continue, and answers it', async () => {
    const body = '[]';
    const r = await exchange(
      t.url,
      `POST /tjenester/api/forsendelse/v1/statuser HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(creds)}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\nExpect: 100-continue\r\n\r\n`,
      body,
    );
    assert.match(r.beforeBody, /^HTTP\/1\.1 100 Continue/);
    assert.match(r.all, /HTTP\/1\.1 200 OK/);
    assert.match(r.all, /\{"statuser":\[\]\}/);
  });
});
