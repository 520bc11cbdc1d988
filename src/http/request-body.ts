/** The request body as a Node stream, for handlers that stream uploads (REST v1, admin web). */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { Readable } from 'node:stream';

/** The raw socket stream under @hono/node-server; the web body otherwise (tests via app.request). */
export function requestBodyStream<E extends { Bindings: HttpBindings }>(c: Context<E>): Readable {
  const incoming = (c.env as HttpBindings | undefined)?.incoming;
  if (incoming !== undefined) return incoming;
  const body = c.req.raw.body;
  return body === null ? Readable.from([]) : Readable.fromWeb(body as import('node:stream/web').ReadableStream);
}
