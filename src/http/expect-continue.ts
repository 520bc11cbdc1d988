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
import { restErrorOf } from './on-error.js';
import { parseMediaType } from './soap/content-type.js';
import { soapContentType } from './soap/namespaces.js';
import { versionHint } from './soap/soap-app.js';
import { soapFaultXml, unauthorizedPage } from './soap/soap-fault.js';

/** A refusal given instead of "100 Continue". */
export interface EarlyRefusal {
  /** 500 is the SOAP door's fault for a body too large (its clients read the fault's kode). */
  readonly status: 401 | 413 | 500;
  /** The route pattern it is logged and counted under (the door's prefix). */
  readonly route: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * A door whose every call with a body needs credentials: its challenge, and the shape its own
 * refusals take, so an early answer reads as the door's (found in review: .NET and WCF send
 * Expect by default, and got text/plain where they read a fault or `{errorcode, message}`).
 */
interface CredentialedDoor {
  readonly prefix: string;
  readonly challenge: string;
  readonly format: 'fiks' | 'soap' | 'rest';
}

const DOORS: readonly CredentialedDoor[] = [
  { prefix: '/tjenester/forsendelseservice/', challenge: 'Basic realm="SvarUt"', format: 'soap' },
  { prefix: '/tjenester/', challenge: 'Basic realm="SvarUt", charset="UTF-8"', format: 'rest' },
  { prefix: '/api/v2/', challenge: 'Bearer realm="SvarUt"', format: 'fiks' },
  { prefix: '/api/v3/', challenge: 'Bearer realm="SvarUt"', format: 'fiks' },
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
    return answer(error, door, path, now, headers['content-type'], {});
  }
  if (door === undefined || (headers.authorization ?? '').trim() !== '') return undefined;
  const error =
    door.format === 'fiks'
      ? new TokenError('Mangler Authorization: Bearer <token> (Maskinporten, scope ks:fiks)')
      : new AuthenticationError('Mangler innlogging: send Authorization med forespørselen');
  return answer(error, door, path, now, headers['content-type'], { 'www-authenticate': door.challenge });
}

function answer(
  error: BudbringerError,
  door: CredentialedDoor | undefined,
  path: string,
  now: number,
  contentType: string | undefined,
  headers: Record<string, string>,
): EarlyRefusal {
  const route = door === undefined ? '(Expect: 100-continue)' : `${door.prefix}*`;
  const status = error.httpStatus as 401 | 413;
  switch (door?.format) {
    case 'fiks':
      return {
        status,
        route,
        headers: { ...headers, 'content-type': 'application/json' },
        body: fiksBody(error, path, now),
      };
    case 'soap': {
      // The SOAP door's own answers: its 401 page, and a fault (HTTP 500) whose kode says FOR_STOR.
      if (error.httpStatus === 401) {
        const page = { ...headers, 'content-type': 'text/html; charset=utf-8' };
        return { status, route, headers: page, body: unauthorizedPage(error.message) };
      }
      const version = versionHint(parseMediaType(contentType));
      const fault = soapFaultXml(version, 'Sender', error.message, error.code);
      return { status: 500, route, headers: { ...headers, 'content-type': soapContentType(version) }, body: fault };
    }
    default: {
      const body = JSON.stringify(restErrorOf(error).body);
      return { status, route, headers: { ...headers, 'content-type': 'application/json' }, body };
    }
  }
}

function fiksBody(error: BudbringerError, path: string, now: number): string {
  return JSON.stringify(fiksErrorOf(error, path, now));
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
      continueWhenRead(req, res);
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

/**
 * Sends "100 Continue" when the handler first asks for the body, so each door's own checks
 * (its size limit for the call, its login) answer before the body is asked for: a declared
 * 400 MiB over REST v1's limit, or 2 MiB to a 1 MiB status call, got "100 Continue" and then
 * 413 (found in review). An answer given before the body was asked for closes the connection,
 * since the client may or may not send the body after it.
 */
function continueWhenRead(req: IncomingMessage, res: ServerResponse): void {
  let continued = false;
  const read = req._read.bind(req);
  req._read = (size: number): void => {
    // Never after the answer has begun: "100 Continue" then would be read as the next answer.
    if (!continued && !res.headersSent) {
      continued = true;
      res.writeContinue();
    }
    read(size);
  };
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    if (!continued) res.setHeader('connection', 'close');
    return writeHead(...args);
  }) as typeof res.writeHead;
}
