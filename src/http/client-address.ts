/**
 * Where a request comes from, for throttles and the audit log. Behind a load balancer the
 * socket's peer is the proxy, so every client would share one address (and one throttle
 * count). X-Forwarded-For is believed only when the peer is a trusted proxy
 * (TRUSTED_PROXIES): the client is then the right-most address in the header that is not a
 * trusted proxy itself, since everything to its left was written by the client and can be
 * forged.
 */
import { BlockList, isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import type { HttpBindings } from '@hono/node-server';

const VARIABLE = 'clientAddress';

/** The client's address: the one `clientAddressMiddleware` found, else the socket's peer. */
export function clientAddress(c: Context): string {
  const resolved: unknown = c.get(VARIABLE as never);
  return typeof resolved === 'string' ? resolved : peerOf(c);
}

/** Trusted proxies from a list of addresses and CIDR ranges, e.g. `10.0.0.0/8, 127.0.0.1, fd00::/8`. */
export function trustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** Resolves each request's client address once, believing X-Forwarded-For only from `trusted` peers. */
export function clientAddressMiddleware(trusted: BlockList): MiddlewareHandler {
  return async (c, next) => {
    c.set(VARIABLE as never, resolveClient(peerOf(c), c.req.header('x-forwarded-for'), trusted) as never);
    await next();
  };
}

/** The client behind `peer`, given the X-Forwarded-For it sent. */
export function resolveClient(peer: string, forwardedFor: string | undefined, trusted: BlockList): string {
  if (forwardedFor === undefined || !isTrusted(peer, trusted)) return peer;
  const hops = forwardedFor
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (isIP(unmapped(hop)) === 0) return peer; // garbage in the header: keep the one address we know
    if (!isTrusted(hop, trusted)) return unmapped(hop);
  }
  return peer;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  const a = unmapped(address);
  const family = isIP(a);
  return family !== 0 && trusted.check(a, family === 6 ? 'ipv6' : 'ipv4');
}

/** `::ffff:10.0.0.5` (an IPv4 peer on a dual-stack socket) as `10.0.0.5`. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function peerOf(c: Context): string {
  const incoming = (c.env as HttpBindings | undefined)?.incoming;
  return incoming?.socket.remoteAddress ?? 'ukjent';
}
