/**
 * A webhook receiver for tests: a real node:http server on 127.0.0.1 that records every
 * POST (headers and exact body) and answers 204. `down()` closes it (connections are
 * refused), `up()` listens again on the same port.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../src/app/webhooks/signature.js';

/** One POST as received. */
export interface ReceivedEvent {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly event: { id: string; type: string; subject: string; data: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  readonly at: number;
}

/** A running receiver. */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedEvent[];
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
  /** True when every event's signature verifies with `secret`. */
  allSigned(secret: string): boolean;
}

/** Starts a receiver on 127.0.0.1 (port 0 unless given); `delayMs` holds each answer back. */
export async function startWebhookReceiver(port = 0, delayMs = 0): Promise<WebhookReceiver> {
  const received: ReceivedEvent[] = [];
  let server: Server;
  const listen = async (p: number): Promise<number> => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ headers: req.headers, body, event: JSON.parse(body), at: Date.now() });
        setTimeout(() => {
          res.statusCode = 204;
          res.end();
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(p, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const bound = await listen(port);
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    url: `http://127.0.0.1:${bound}/hooks`,
    received,
    down: close,
    async up() {
      await listen(bound);
    },
    close,
    allSigned(secret) {
      return received.every((r) =>
        verifyWebhookSignature(
          secret,
          {
            timestamp: r.headers['webhook-timestamp'] as string | undefined,
            signature: r.headers['webhook-signature'] as string | undefined,
          },
          r.body,
          r.at,
        ),
      );
    },
  };
}
