/** The request body as a Node stream, for handlers that stream uploads (REST v1, admin web). */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { Readable } from 'node:stream';
import { BudbringerError } from '../domain/errors.js';

/**
 * The raw socket stream under @hono/node-server; the web body otherwise (tests via app.request).
 * A body sent with a Content-Encoding is refused first (refuseEncodedBody).
 */
export function requestBodyStream<E extends { Bindings: HttpBindings }>(c: Context<E>): Readable {
  refuseEncodedBody(c.req.header('content-encoding'));
  const incoming = (c.env as HttpBindings | undefined)?.incoming;
  if (incoming !== undefined) return incoming;
  const body = c.req.raw.body;
  return body === null ? Readable.from([]) : Readable.fromWeb(body as import('node:stream/web').ReadableStream);
}

/**
 * No door decompresses a request body: SvarUt's clients send them plain, and one sent with
 * `Content-Encoding: gzip` was read as its compressed bytes ("ikke gyldig UTF-8") and one
 * labelled `br` but plain was taken as if unlabelled (found in review). Such a body is
 * refused with 415, naming the encoding; `identity` is no encoding.
 */
export function refuseEncodedBody(contentEncoding: string | null | undefined): void {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return;
  throw new BudbringerError(
    'UGYLDIG_FORESPORSEL',
    `Content-Encoding «${codings.join(', ').slice(0, 60)}» støttes ikke: send innholdet ukomprimert`,
    415,
  );
}
