/**
 * A multipart body that ends inside a part (issue #13, found in review): busboy destroys
 * the open part's stream with "Unexpected end of form", and a part stream without an
 * error listener of its own ended the process. Each body below is complete as HTTP (its
 * Content-Length is exact) but stops before the closing boundary.
 */
import { after, before, describe, it } from 'node:test';
import { basic } from '../factories.js';
import { rawExchange } from './hostile-http.js';
import { assertRefusal, assertStillSound, startHostileNode, type HostileNode } from './support.js';

const PATH = '/tjenester/api/forsendelse/v1/sendForsendelse';
const BOUNDARY = 'XXbudbringerXX';

/** The HTTP status of a raw answer (0 when none came). */
function statusOf(text: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
}

/** A POST of `body` (cut off inside a part) with an exact Content-Length. */
function post(h: HostileNode, body: string): string {
  const host = new URL(h.t.url).host;
  return (
    `POST ${PATH} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${basic(h.creds)}\r\n` +
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

describe('security: multipart bodies that end inside a part', () => {
  let h: HostileNode;
  before(async () => {
    h = await startHostileNode();
  });
  after(async () => {
    await h.t.stop();
  });

  const cases: [string, string][] = [
    [
      'the forsendelse part with a filename and a JSON type',
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="forsendelse"; filename="f.json"\r\nContent-Type: application/json\r\n\r\n{"tittel":"a"`,
    ],
    [
      'a part without a filename sent as application/octet-stream',
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="forsendelse"\r\nContent-Type: application/octet-stream\r\n\r\n{"tittel":"a"`,
    ],
    [
      'a file part',
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="forsendelse"\r\nContent-Type: application/json\r\n\r\n{"tittel":"a"}\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="filer"; filename="brev.pdf"\r\nContent-Type: application/octet-stream\r\n\r\n%PDF-1.7\n1 0 obj`,
    ],
  ];
  for (const [what, body] of cases) {
    it(`a body ending inside ${what} is refused, and the node lives on`, async () => {
      const answer = await rawExchange(h.t.url, post(h, body), 10_000);
      assertRefusal(
        { status: statusOf(answer.text), text: answer.text },
        400,
        /Ugyldig multipart-forespørsel: forespørselen sluttet før siste del var ferdig/,
      );
      await assertStillSound(h);
    });
  }
});
