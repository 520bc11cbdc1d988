/** Where a request comes from, for throttles and the audit log. */
import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';

/** The client's address as the socket sees it (no proxy header is trusted: it could be forged). */
export function clientAddress(c: Context): string {
  const incoming = (c.env as HttpBindings | undefined)?.incoming;
  return incoming?.socket.remoteAddress ?? 'ukjent';
}
