/**
 * `Expect: 100-continue` (RFC 9110 §10.1.1): a client asks before it sends the body. Node
 * answers "100 Continue" by itself unless the server listens for 'checkContinue', and did so
 * before anything was known of the caller: a review declared 400 MB without credentials,
 * got "100 Continue", and the SOAP door read the whole body before its 401; clients that
 * authenticate only when challenged (.NET's HttpWebRequest, WCF) uploaded every letter twice.
 * A request the node refuses whatever its body holds is now answered at once, before the
 * body, with the connection closed; any other gets its "100 Continue" and goes on as before.
 */
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';

/** A refusal given instead of "100 Continue". */
export interface EarlyRefusal {
  readonly status: 401 | 413;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Paths whose every call with a body needs credentials, and the challenge each answers with. */
const CREDENTIALED: ReadonlyArray<readonly [prefix: string, challenge: string]> = [
  ['/tjenester/', 'Basic realm="SvarUt", charset="UTF-8"'],
  ['/api/v2/', 'Bearer realm="SvarUt"'],
  ['/api/v3/', 'Bearer realm="SvarUt"'],
];

/**
 * The answer for a request that announced its body with Expect, when it is refused whatever
 * the body holds: a declared size over `maxBodyBytes` (the most any door takes), or no
 * credentials on a door that needs them. Undefined when it may send its body.
 */
export function refusalBeforeBody(
  url: string,
  headers: IncomingHttpHeaders,
  maxBodyBytes: number,
): EarlyRefusal | undefined {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    return {
      status: 413,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: `Forespørselen er for stor: ${declared} byte er varslet, høyst ${maxBodyBytes} byte tas imot`,
    };
  }
  const path = url.split('?')[0] ?? '';
  const door = CREDENTIALED.find(([prefix]) => path.startsWith(prefix));
  if (door !== undefined && (headers.authorization ?? '').trim() === '') {
    return {
      status: 401,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': door[1] },
      body: 'Mangler innlogging: send Authorization med forespørselen',
    };
  }
  return undefined;
}

/** Makes `server` answer Expect: 100-continue as above; `request` is what it does with a request. */
export function answerExpectContinue(server: Server, maxBodyBytes: number): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const refusal = refusalBeforeBody(req.url ?? '/', req.headers, maxBodyBytes);
    if (refusal === undefined) {
      res.writeContinue();
      server.emit('request', req, res);
      return;
    }
    // The body was never asked for: the connection cannot be reused for the next request.
    res.writeHead(refusal.status, { ...refusal.headers, connection: 'close' });
    res.end(refusal.body);
  });
}
