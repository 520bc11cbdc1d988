/** A real SMTP server on loopback (smtp-server) that keeps every mail, for the delivery e2e tests. */
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { SMTPServer } from 'smtp-server';

/** Reads a mail's content off smtp-server's DATA stream; `then` gets it whole, before the server answers. */
export function onMessage(stream: Readable, then: (raw: string) => void): void {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => then(Buffer.concat(chunks).toString('utf8')));
}

/** One received mail. */
export interface Mail {
  readonly to: string[];
  readonly raw: string;
}

/** A running test SMTP server. */
export interface TestSmtp {
  readonly url: string;
  readonly mails: Mail[];
  close(): Promise<void>;
}

/** Starts an SMTP server on 127.0.0.1, port 0, accepting every mail without login. */
export async function startSmtp(): Promise<TestSmtp> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      onMessage(stream, (raw) => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The inbox link in a mail (quoted-printable soft breaks undone). */
export function linkIn(raw: string): string {
  const text = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const m = /(http:\/\/127\.0\.0\.1:\d+\/innboks\/[A-Za-z0-9_.-]+)/.exec(text);
  assert.ok(m?.[1], 'the mail carries an inbox link');
  return m[1];
}

/** The decoded Subject header of a mail (RFC 2047 UTF-8 words joined). */
export function subjectOf(raw: string): string {
  const header = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
  return header
    .replace(/\r?\n[ \t]/g, ' ')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeQ(text),
    )
    .trim();
}

function decodeQ(text: string): string {
  const bytes = text
    .replace(/_/g, ' ')
    .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
