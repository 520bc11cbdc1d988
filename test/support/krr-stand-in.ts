/**
 * A stand-in for Digdir's KRR lookup API (Kontakt- og reservasjonsregisteret,
 * "Oppslagstjenesten REST", docs.digdir.no), built from its public interface: `POST
 * …/rest/v1/personer` with a bearer token and `{"personidentifikatorer": [...]}`, answered
 * with `{"personer": [...]}`, one entry per person asked for; someone the register does not
 * know comes back as `IKKE_REGISTRERT`. On 127.0.0.1 on a free port; `close` stops it.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stand-in saw it. */
export interface KrrRequest {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** What a test makes the stand-in answer instead of the register: a status and a raw body, or never. */
export type KrrFault = { readonly status: number; readonly body: string } | 'hang';

/** How the stand-in answers. */
export interface KrrStandInOptions {
  /** The bearer token it takes; any other is answered 401 invalid_token. */
  readonly token: string;
  /** The register's entries by fødselsnummer, as Digdir answers them (without `personidentifikator`). */
  readonly persons: Readonly<Record<string, Record<string, unknown>>>;
  /** Asked first for every request: a fault to answer with instead, or undefined for the register's answer. */
  readonly fault?: (request: KrrRequest) => KrrFault | undefined;
}

/** A running stand-in. */
export interface KrrStandIn {
  /** `http://127.0.0.1:<port>`: the lookup URL is this plus `[/prefix]/rest/v1/personer`. */
  readonly base: string;
  /** Every request so far, in order. */
  readonly requests: readonly KrrRequest[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the stand-in. */
export async function startKrrStandIn(options: KrrStandInOptions): Promise<KrrStandIn> {
  const requests: KrrRequest[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const request: KrrRequest = {
        method: req.method,
        url: req.url,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      };
      requests.push(request);
      const send = (status: number, payload: string) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(payload);
      };
      const fault = options.fault?.(request);
      if (fault === 'hang') return;
      if (fault !== undefined) return send(fault.status, fault.body);
      if (req.method !== 'POST' || !(req.url ?? '').endsWith('/rest/v1/personer'))
        return send(404, '{"error":"not_found"}');
      if (req.headers.authorization !== `Bearer ${options.token}`) return send(401, '{"error":"invalid_token"}');
      const ids = (JSON.parse(body) as { personidentifikatorer: string[] }).personidentifikatorer;
      const personer = ids.map((id) => {
        const person = options.persons[id];
        return person === undefined
          ? { personidentifikator: id, status: 'IKKE_REGISTRERT' }
          : { personidentifikator: id, ...person };
      });
      send(200, JSON.stringify({ personer }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
