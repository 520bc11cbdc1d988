/**
 * A SOAP client that stops sending in the middle of its body (it closes the connection
 * before the Content-Length it declared) is the client's fault: the request ends as a
 * Sender fault, never as an internal error logged at error level, which any client could
 * otherwise write to an operator's error log at will. Nothing is stored.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import {
  ACCEPTED_OR_LATER,
  basic,
  eventually,
  restSend,
  restForsendelse,
  letterPdf,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';

const ROUTE = '/tjenester/forsendelseservice/ForsendelsesServiceV9';

/** Sends the head and half an envelope with a Content-Length of the whole, then closes the connection. */
function sendHalfAndClose(url: string, creds: Creds): Promise<void> {
  const { hostname, port, host } = new URL(url);
  const envelope =
    '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>' +
    '<ns:sendForsendelse xmlns:ns="http://www.ks.no/svarut/servicesV9"><forsendelse><tittel>Halv</tittel>';
  const head =
    `POST ${ROUTE} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${basic(creds)}\r\n` +
    `Content-Type: application/soap+xml; charset=utf-8\r\nContent-Length: ${envelope.length * 10}\r\n\r\n`;
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(head + envelope);
      setTimeout(() => socket.destroy(), 300);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

describe('security: a SOAP client that stops sending', () => {
  const lines: { level: number; msg: string; route?: string; status?: number }[] = [];
  let t: TestNode;
  let creds: Creds;
  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
        done();
      },
    });
    t = await startTestNode({}, undefined, pino({ level: 'info' }, sink));
    creds = await t.sender('Avbrytende kommune');
  });
  after(async () => {
    await t.stop();
  });

  it('ends as a Sender fault, with no error logged and nothing stored', async () => {
    await sendHalfAndClose(t.url, creds);
    await eventually(async () => (lines.some((l) => l.route === ROUTE) ? true : undefined), 10_000, 'the request');
    assert.deepEqual(
      lines.filter((l) => l.level >= 50).map((l) => l.msg),
      [],
      'an aborted request is no internal error',
    );
    // The node still takes letters.
    const sent = await restSend(t.url, creds, restForsendelse(), [{ filename: 'brev.pdf', bytes: await letterPdf() }]);
    assert.equal(sent.status, 200);
    await waitForStatus(t.url, creds, String(sent.body.id), ACCEPTED_OR_LATER);
  });
});
