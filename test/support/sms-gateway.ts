/**
 * A small SMS gateway on loopback speaking the HttpSmsSender contract (src/channels/notify/
 * http-sms-sender.ts): a stand-in for the provider's HTTP interface, for tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the SMS gateway received. */
export interface Sms {
  readonly to: string;
  readonly text: string;
  readonly idempotencyKey: string | undefined;
}

/**
 * A small SMS gateway on loopback speaking the HttpSmsSender contract: records each POST,
 * answers 202; while `refuse` is above 0 it answers 503 instead (and counts down).
 */
export async function startSmsGateway(): Promise<{
  url: string;
  received: Sms[];
  refuse: number;
  close(): Promise<void>;
}> {
  const received: Sms[] = [];
  const gateway = { refuse: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (gateway.refuse > 0) {
        gateway.refuse -= 1;
        res.writeHead(503).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; text: string };
      received.push({
        to: body.to,
        text: body.text,
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
      });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(gateway, {
    url: `http://127.0.0.1:${port}/sms`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
