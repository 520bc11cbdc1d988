/**
 * An AttemptCounter whose key names are keyed with the node's secret. The throttles name
 * keys by the SHA-256 of a user name, letter id or client address, and an IPv4 address or
 * a user name is quickly found again from its plain hash by trying them all. With an HMAC
 * under the secret (shared by every node, so the counts stay shared) the names in Redis
 * reveal nothing to someone who can read Redis but not the secret.
 */
import { createHmac } from 'node:crypto';
import type { AttemptCounter, AttemptKey } from '../storage/ports.js';

/** `counter`, with the last `:`-segment of every key replaced by its HMAC-SHA256 under `secret`. */
export function keyedAttemptCounter(counter: AttemptCounter, secret: Uint8Array): AttemptCounter {
  const keyed = (key: string): string => {
    const cut = key.lastIndexOf(':') + 1;
    return key.slice(0, cut) + createHmac('sha256', secret).update(key.slice(cut), 'utf8').digest('base64url');
  };
  return {
    addUnlessLocked: (keys: readonly AttemptKey[], rule, now) =>
      counter.addUnlessLocked(
        keys.map((k) => ({ ...k, key: keyed(k.key) })),
        rule,
        now,
      ),
    read: (key, windowMs, now) => counter.read(keyed(key), windowMs, now),
    forget: (key) => counter.forget(keyed(key)),
    takeBack: (key) => counter.takeBack(keyed(key)),
    close: () => counter.close(),
  };
}
