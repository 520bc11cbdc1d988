/**
 * A client that sends the whole body before it reads the answer (Java's HttpURLConnection,
 * under JAX-WS RI and CXF's default conduit) must get the SOAP door's refusal, not a reset
 * connection. The door answered a wrong password and a letter over the size limit without
 * reading the body and closed the connection; the bytes still arriving made the kernel reset
 * it, and the client saw "Error writing to server" instead of the 401 or the fault (found in
 * review with JAX-WS RI, 4 MiB and up). A raw socket that reads nothing until it has written
 * everything plays that client.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { basic, startTestNode, type Creds, type TestNode } from '../factories.js';

/** Writes `head` and `body` without reading, then reads the answer to the end (or the error that ended it). */
function sendAllThenRead(url: string, head: string, body: Buffer): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.pause();
    let text = '';
    const timer = setTimeout(() => socket.destroy(new Error('no answer in 30 s')), 30_000);
    let answered = false;
    const done = (end: string): void => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      resolve(text + end);
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      // A whole answer kept alive ends nothing: done once its Content-Length is in.
      const head = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, head))?.[1];
      if (head >= 0 && length !== undefined && Buffer.byteLength(text.slice(head + 4)) >= Number(length)) {
        socket.destroy();
        done('');
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => done(`\n[${error.code ?? error.message}]`));
    socket.on('end', () => done(''));
    socket.write(head);
    socket.write(body, () => socket.resume());
  });
}

/** A SOAP 1.2 envelope of `size` bytes: a sendForsendelse whose document is inline base64. */
function envelope(size: number): Buffer {
  const open =
    '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">' +
    '<soap:Body><ns:sendForsendelse xmlns:ns="http://www.ks.no/svarut/servicesV9"><forsendelse><tittel>Brev</tittel>' +
    '<dokumenter><filnavn>brev.pdf</filnavn><mimetype>application/pdf</mimetype><data>';
  const close = '</data></dokumenter></forsendelse></ns:sendForsendelse></soap:Body></soap:Envelope>';
  return Buffer.concat([Buffer.from(open), Buffer.alloc(size - open.length - close.length, 'A'), Buffer.from(close)]);
}

const PATH = '/tjenester/forsendelseservice/ForsendelsesServiceV9';

describe('SOAP: the answer reaches a client that sends everything first', () => {
  let t: TestNode;
  let creds: Creds;
  before(async () => {
    t = await startTestNode({ MAX_FORSENDELSE_BYTES: String(2 * 1024 * 1024) });
    creds = await t.sender('Javakommune');
  });
  after(() => t.stop());

  it('a wrong password on an 8 MiB letter: the 401, not a reset', async () => {
    const body = envelope(8 * 1024 * 1024);
    const wrong = `Basic ${Buffer.from(`${creds.user}:feil-passord`).toString('base64')}`;
    const answer = await sendAllThenRead(
      t.url,
      `POST ${PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: ${wrong}\r\nContent-Type: application/soap+xml; charset=utf-8\r\n` +
        `Content-Length: ${body.length}\r\n\r\n`,
      body,
    );
    assert.match(answer, /^HTTP\/1\.1 401 /, answer.slice(0, 200));
    assert.match(answer, /www-authenticate: Basic realm="SvarUt"/i);
  });

  it('a letter over the size limit: the fault saying so, not a reset', async () => {
    const body = envelope(8 * 1024 * 1024);
    const answer = await sendAllThenRead(
      t.url,
      `POST ${PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(creds)}\r\nContent-Type: application/soap+xml; charset=utf-8\r\n` +
        `Content-Length: ${body.length}\r\n\r\n`,
      body,
    );
    assert.match(answer, /^HTTP\/1\.1 500 /, answer.slice(0, 200));
    assert.match(answer, /dokumenter\[0\]\.data er større enn 2 MB som innebygd base64/);
    assert.match(answer, /<kode>FOR_STOR<\/kode>/);
  });
});
