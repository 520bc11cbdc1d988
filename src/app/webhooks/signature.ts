/**
 * Webhook signatures (docs/interfaces.md "Webhooks"). `Webhook-Signature` carries two,
 * space-separated, Standard Webhooks' first:
 * - Budbringer's own, `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` with the whole
 *   secret string as the key (the timestamp in Unix seconds, also sent as `Webhook-Timestamp`,
 *   so a receiver that refuses old timestamps refuses a replay);
 * - for a secret of Standard Webhooks' form `whsec_<base64>` (every generated one),
 *   Standard Webhooks' (standardwebhooks.com) `v1,<base64 HMAC-SHA256(key,
 *   "<webhook-id>.<timestamp>.<body>")>` with the base64-decoded key, so its libraries verify
 *   a delivery and the id is signed too (webhook review of 7 December 2026: the `whsec_`
 *   prefix invited those libraries, which then refused every delivery).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers of one signed delivery. */
export type SignedHeaders = {
  readonly 'content-type': 'application/cloudevents+json';
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
};

/** `v1=<hex>` over `<timestamp>.<body>`. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Standard Webhooks' `v1,<base64>` over `<id>.<timestamp>.<body>`, keyed with the base64
 * after `whsec_`; undefined for a secret not of that form (one a sender chose).
 */
export function standardWebhooksSignature(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): string | undefined {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : '';
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The headers for sending `body` (event `id`) at `nowMs`. */
export function signedHeaders(secret: string, id: string, body: string, nowMs: number): SignedHeaders {
  const timestamp = Math.floor(nowMs / 1000);
  const standard = standardWebhooksSignature(secret, id, timestamp, body);
  const own = webhookSignature(secret, timestamp, body);
  return {
    'content-type': 'application/cloudevents+json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    // Standard Webhooks' first: its Python library splits every entry at a comma and stops at
    // the first that matches, so ours after it is never read there (review of 7 December 2026).
    'webhook-signature': standard === undefined ? own : `${standard} ${own}`,
  };
}

/**
 * A receiver's check: true when one of the header's `v1=` signatures matches and the
 * timestamp is within `toleranceS` seconds of `nowMs`.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { readonly timestamp: string | undefined; readonly signature: string | undefined },
  body: string,
  nowMs: number,
  toleranceS = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowMs / 1000 - timestamp) > toleranceS) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  return (headers.signature ?? '')
    .split(/[\s,]+/)
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(Buffer.from(candidate), expected));
}
