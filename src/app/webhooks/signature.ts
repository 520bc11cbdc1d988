/**
 * Webhook signatures (docs/interfaces.md "Webhooks"), after Standard Webhooks: the signed
 * content is `<timestamp>.<body>` (timestamp in Unix seconds, also sent as
 * `Webhook-Timestamp`), so a receiver that refuses old timestamps refuses a replay; the
 * signature is `v1=<hex HMAC-SHA256(secret, content)>` in `Webhook-Signature`.
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

/** The headers for sending `body` (event `id`) at `nowMs`. */
export function signedHeaders(secret: string, id: string, body: string, nowMs: number): SignedHeaders {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/cloudevents+json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': webhookSignature(secret, timestamp, body),
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
