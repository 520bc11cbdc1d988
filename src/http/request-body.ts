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
  refuseEncodedBody(c.req.header('content-encoding'), c.req.header('transfer-encoding'));
  const incoming = (c.env as HttpBindings | undefined)?.incoming;
  if (incoming !== undefined) return incoming;
  const body = c.req.raw.body;
  return body === null ? Readable.from([]) : Readable.fromWeb(body as import('node:stream/web').ReadableStream);
}

/**
 * No door decompresses a request body: SvarUt's clients send them plain, and one sent with
 * `Content-Encoding: gzip` was read as its compressed bytes ("ikke gyldig UTF-8") and one
 * labelled `br` but plain was taken as if unlabelled (found in review). Such a body is
 * refused with 415, naming the encoding; `identity` is no encoding. A transfer coding other
 * than `chunked` (`Transfer-Encoding: gzip, chunked`: Node's parser undoes only the chunking)
 * is refused with 501, as RFC 9112 §6.1 asks of a server that does not implement it.
 */
export function refuseEncodedBody(
  contentEncoding: string | null | undefined,
  transferEncoding?: string | null | undefined,
): void {
  const content = codingsOf(contentEncoding, ['identity']);
  if (content.length > 0) {
    throw new BudbringerError(
      'UGYLDIG_FORESPORSEL',
      `Content-Encoding «${content.join(', ').slice(0, 60)}» støttes ikke: send innholdet ukomprimert`,
      415,
    );
  }
  const transfer = codingsOf(transferEncoding, ['identity', 'chunked']);
  if (transfer.length > 0) {
    throw new BudbringerError(
      'UGYLDIG_FORESPORSEL',
      `Transfer-Encoding «${transfer.join(', ').slice(0, 60)}» støttes ikke: send innholdet ukomprimert, med Content-Length eller chunked`,
      501,
    );
  }
}

/** The codings named in a Content-Encoding or Transfer-Encoding header, lower case, without `plain`. */
function codingsOf(header: string | null | undefined, plain: readonly string[]): string[] {
  return (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && !plain.includes(c));
}
