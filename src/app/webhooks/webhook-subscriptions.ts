/**
 * Managing an avsender's webhook subscriptions (admin web and the sender's own API): each
 * operation names the avsender, and another avsender's subscription answers as unknown.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { WebhookDelivery, WebhookDeliveryState, WebhookStore, WebhookSubscription } from '../../storage/ports.js';
import { checkWebhookUrl } from './webhook-target.js';

/** Most subscriptions one avsender may have. */
export const MAX_SUBSCRIPTIONS_PER_AVSENDER = 10;
/** Shortest and longest secret a sender may choose. */
export const SECRET_LENGTH = { min: 24, max: 256 } as const;

/** What the service needs. */
export interface WebhookSubscriptionsDeps {
  readonly store: WebhookStore;
  readonly now: () => number;
  readonly allowPrivateTargets: boolean;
  /** How long a resent delivery is retried before it fails again (ms). */
  readonly giveUpAfterMs: number;
}

/** What a new subscription is made from. */
export interface NewSubscription {
  readonly url: string;
  /** The HMAC key; one is generated when absent. */
  readonly secret?: string;
}

/** Subscriptions and their delivery logs, per avsender. */
export class WebhookSubscriptions {
  constructor(private readonly deps: WebhookSubscriptionsDeps) {}

  /** Creates a subscription; the secret (given or generated) is in the answer, and only here. */
  async create(avsender: string, input: NewSubscription): Promise<WebhookSubscription> {
    const url = checkWebhookUrl(input.url.trim(), this.deps.allowPrivateTargets);
    // Standard Webhooks' form: `whsec_` and the key in (standard) base64.
    const secret = input.secret ?? `whsec_${randomBytes(32).toString('base64')}`;
    if (secret.length < SECRET_LENGTH.min || secret.length > SECRET_LENGTH.max || /[^\x21-\x7e]/.test(secret)) {
      throw new ValidationError([
        {
          field: 'secret',
          message: `secret må være ${SECRET_LENGTH.min}–${SECRET_LENGTH.max} synlige ASCII-tegn uten mellomrom`,
        },
      ]);
    }
    const now = this.deps.now();
    const subscription: WebhookSubscription = {
      id: randomUUID(),
      avsender,
      url: url.href,
      secret,
      createdAt: now,
      scannedUntil: now,
    };
    if (!(await this.deps.store.createSubscription(subscription, MAX_SUBSCRIPTIONS_PER_AVSENDER))) {
      throw new ValidationError([
        { field: 'url', message: `En avsender kan ha høyst ${MAX_SUBSCRIPTIONS_PER_AVSENDER} abonnementer` },
      ]);
    }
    return subscription;
  }

  /** The avsender's subscriptions, oldest first. */
  list(avsender: string): Promise<WebhookSubscription[]> {
    return this.deps.store.listSubscriptions(avsender);
  }

  /** The avsender's subscription; NotFoundError for an unknown id or another avsender's. */
  async get(avsender: string, id: string): Promise<WebhookSubscription> {
    const subscription = await this.deps.store.getSubscription(id);
    if (subscription?.avsender !== avsender) throw new NotFoundError('Abonnementet');
    return subscription;
  }

  /** Removes the subscription and its delivery log. */
  async delete(avsender: string, id: string): Promise<WebhookSubscription> {
    const subscription = await this.get(avsender, id);
    await this.deps.store.deleteSubscription(id);
    return subscription;
  }

  /** A page of the subscription's delivery log, newest first. */
  async deliveries(
    avsender: string,
    id: string,
    query: { readonly state?: WebhookDeliveryState; readonly limit: number; readonly offset: number },
  ): Promise<{ items: WebhookDelivery[]; total: number }> {
    await this.get(avsender, id);
    return this.deps.store.listDeliveries({ subscriptionId: id, ...query });
  }

  /**
   * Sends failed deliveries again (one, or all of the subscription's): they are due at once
   * and retried with backoff for another period. Returns how many.
   */
  async resend(avsender: string, id: string, one?: { forsendelseId: string; seq: number }): Promise<number> {
    await this.get(avsender, id);
    const now = this.deps.now();
    const key = one === undefined ? { subscriptionId: id } : { subscriptionId: id, ...one };
    return this.deps.store.retryFailed(key, now, now + this.deps.giveUpAfterMs);
  }
}
