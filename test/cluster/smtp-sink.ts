/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package) for the cluster test. A mail
 * counts as received when its DATA has arrived, before the server answers 250: a sender
 * killed while waiting for that answer has still delivered the mail, and that is exactly
 * the case that could produce a second notification. `holdMs` delays the answer, so a
 * node has notifications in flight long enough to be killed in the middle of one.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { onMessage } from '../mail-server.js';

/** One received mail. */
export interface SinkMail {
  readonly to: readonly string[];
  readonly messageId: string;
  readonly raw: string;
}

/** A running SMTP sink. */
export interface SmtpSink {
  readonly url: string;
  readonly mails: SinkMail[];
  /** Message-IDs whose DATA arrived but whose 250 answer is still held back now. */
  readonly held: ReadonlySet<string>;
  close(): Promise<void>;
}

/** Starts an SMTP server on 127.0.0.1:0 that answers each DATA after `holdMs`. */
export async function startSmtpSink(holdMs: number): Promise<SmtpSink> {
  const mails: SinkMail[] = [];
  const held = new Set<string>();
  const pending = new Map<NodeJS.Timeout, () => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      onMessage(stream, (raw) => {
        const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '';
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), messageId, raw });
        held.add(messageId);
        const answer = (): void => {
          pending.delete(timer);
          held.delete(messageId);
          callback();
        };
        const timer = setTimeout(answer, holdMs);
        pending.set(timer, answer);
      });
    },
  });
  // A sender killed mid-conversation resets the socket; that is expected here.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    held,
    close: async () => {
      // Answer what is still held, so open connections can end and close() returns.
      for (const [timer, answer] of [...pending]) {
        clearTimeout(timer);
        answer();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
