/**
 * Where a webhook may point (SSRF guard): an http(s) URL without credentials whose host is
 * not loopback, private, link-local or otherwise internal, unless the operator allows
 * private targets (WEBHOOK_ALLOW_PRIVATE_TARGETS, e.g. a receiver on the same network; the
 * tests). Checked when a subscription is made (names that are addresses) and again on
 * every delivery against what DNS answers (src/channels/webhook/), so a name that later
 * resolves inward is refused too.
 */
import { BlockList, isIP } from 'node:net';
import { ValidationError } from '../../domain/errors.js';

/** Longest webhook URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2000;

const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  internal.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  internal.addSubnet(net, prefix, 'ipv6');

/** True for an address a webhook must not reach unless private targets are allowed. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return internal.check(address, 'ipv4');
  if (family !== 6) return true;
  // An IPv4-mapped address (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return internal.check(mapped[1], 'ipv4');
  return internal.check(address, 'ipv6');
}

/** The URL, checked; ValidationError (field `url`) naming the reason otherwise. */
export function checkWebhookUrl(raw: string, allowPrivateTargets: boolean): URL {
  const refuse = (message: string): never => {
    throw new ValidationError([{ field: 'url', message }]);
  };
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) refuse(`url er lengre enn ${MAX_WEBHOOK_URL_LENGTH} tegn`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('url er ikke en gyldig URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse('url må bruke http eller https');
  if (url.username !== '' || url.password !== '') refuse('url kan ikke inneholde brukernavn eller passord');
  if (url.hash !== '') refuse('url kan ikke ha fragment (#)');
  if (!allowPrivateTargets) {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isInternalAddress(host)))
      refuse('url peker til en intern adresse (loopback eller privat nett), som ikke er tillatt');
  }
  return url;
}
