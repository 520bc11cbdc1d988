/**
 * `Expect: 100-continue` (RFC 9110 §10.1.1): a client asks before it sends the body. Node
 * answers "100 Continue" by itself unless the server listens for 'checkContinue', and did so
 * before anything was known of the caller: a review declared 400 MB without credentials,
 * got "100 Continue", and the SOAP door read the whole body before its 401; clients that
 * authenticate only when challenged (.NET's HttpWebRequest, WCF) uploaded every letter twice.
 * A request the node refuses whatever its body holds is now answered at once, before the
 * body, with the connection closed (Node reads and discards what a client sends anyway);
 * any other gets its "100 Continue" and goes on as before.
 */
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { TokenError } from '../app/fiks/token-verifier.js';
import { AuthenticationError, PayloadTooLargeError, type BudbringerError } from '../domain/errors.js';
import type { AccessEntry } from './access-log.js';
import { fiksErrorOf } from './fiks/fiks-error.js';

/** A refusal given instead of "100 Continue". */
export interface EarlyRefusal {
  readonly status: 401 | 413;
  /** The route pattern it is logged and counted under (the door's prefix). */
  readonly route: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A door whose every call with a body needs credentials: its challenge, and whether it answers in KS's Fiks JSON. */
interface CredentialedDoor {
  readonly prefix: string;
  readonly challenge: string;
  readonly fiks: boolean;
}

const DOORS: readonly CredentialedDoor[] = [
  { prefix: '/tjenester/', challenge: 'Basic realm="SvarUt", charset="UTF-8"', fiks: false },
  { prefix: '/api/v2/', challenge: 'Bearer realm="SvarUt"', fiks: true },
  { prefix: '/api/v3/', challenge: 'Bearer realm="SvarUt"', fiks: true },
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
  now: number,
): EarlyRefusal | undefined {
  const path = url.split('?')[0] ?? '';
  const door = DOORS.find((d) => path.startsWith(d.prefix));
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    const error = new PayloadTooLargeError(
      `Forespørselen er for stor: ${declared} byte er varslet, høyst ${maxBodyBytes} byte tas imot`,
    );
    return answer(error, door, path, now, {});
  }
  if (door === undefined || (headers.authorization ?? '').trim() !== '') return undefined;
  const error = door.fiks
    ? new TokenError('Mangler Authorization: Bearer <token> (Maskinporten, scope ks:fiks)')
    : new AuthenticationError('Mangler innlogging: send Authorization med forespørselen');
  return answer(error, door, path, now, { 'www-authenticate': door.challenge });
}

function answer(
  error: BudbringerError,
  door: CredentialedDoor | undefined,
  path: string,
  now: number,
  headers: Record<string, string>,
): EarlyRefusal {
  const status = error.httpStatus as 401 | 413;
  const route = door === undefined ? '(Expect: 100-continue)' : `${door.prefix}*`;
  if (door?.fiks === true) {
    const body = JSON.stringify(fiksErrorOf(error, path, now));
    return { status, route, headers: { ...headers, 'content-type': 'application/json' }, body };
  }
  return { status, route, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }, body: error.message };
}

/** Makes `server` answer Expect: 100-continue as above; `onRefused` hears of each early answer (access log, metrics). */
export function answerExpectContinue(
  server: Server,
  maxBodyBytes: number,
  onRefused: (entry: AccessEntry) => void = () => {},
): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const refusal = refusalBeforeBody(req.url ?? '/', req.headers, maxBodyBytes, Date.now());
    if (refusal === undefined) {
      res.writeContinue();
      server.emit('request', req, res);
      return;
    }
    // The body was never asked for: the connection cannot be reused for the next request.
    res.writeHead(refusal.status, {
      ...refusal.headers,
      'content-length': String(Buffer.byteLength(refusal.body)),
      connection: 'close',
    });
    res.end(refusal.body);
    onRefused({ method: req.method ?? 'POST', route: refusal.route, status: refusal.status, ms: 0 });
  });
}
