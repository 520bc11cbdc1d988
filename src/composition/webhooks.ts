/**
 * The webhook dispatcher of a worker node (src/app/webhooks/) with its HTTP sender, tuned by
 * the WEBHOOK_* settings, and the subscription service the doors use.
 */
import type { Logger } from 'pino';
import { startWebhookDispatcher, type WebhookDispatcher } from '../app/webhooks/webhook-dispatcher.js';
import { WebhookSubscriptions } from '../app/webhooks/webhook-subscriptions.js';
import { httpWebhookSender } from '../channels/webhook/index.js';
import type { Settings } from '../config/schema.js';
import { packageVersion } from './package-version.js';
import type { Storage } from './storage.js';

/** Delivered entries stay in the delivery log this long. */
const KEEP_DELIVERED_MS = 30 * 24 * 3600_000;

/** Starts the dispatcher on the node's journal and webhook store. */
export function startWebhooks(deps: {
  readonly settings: Settings;
  readonly storage: Storage;
  readonly log: Logger;
  readonly now: () => number;
  readonly publicUrl: () => string;
}): WebhookDispatcher {
  const { settings, storage } = deps;
  return startWebhookDispatcher({
    store: storage.webhooks,
    journal: storage.journal,
    sender: httpWebhookSender({
      timeoutMs: settings.WEBHOOK_TIMEOUT_MS,
      allowPrivateTargets: settings.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      userAgent: `Budbringer/${packageVersion()} (webhook)`,
    }),
    source: () => deps.publicUrl(),
    now: deps.now,
    log: deps.log,
    options: {
      pollMs: settings.WEBHOOK_POLL_MS,
      // Events are journaled with the writing node's clock and committed a moment later.
      overlapMs: 60_000,
      backoffMs: settings.WEBHOOK_BACKOFF_MS,
      maxBackoffMs: settings.WEBHOOK_MAX_BACKOFF_MS,
      giveUpAfterMs: settings.WEBHOOK_GIVE_UP_AFTER_MS,
      concurrency: settings.WEBHOOK_CONCURRENCY,
      leaseMs: settings.WEBHOOK_TIMEOUT_MS * 3,
      keepDeliveredMs: KEEP_DELIVERED_MS,
    },
  });
}

/** The subscription service for the admin web and the sender's API. */
export function webhookSubscriptions(settings: Settings, storage: Storage, now: () => number): WebhookSubscriptions {
  return new WebhookSubscriptions({
    store: storage.webhooks,
    now,
    allowPrivateTargets: settings.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    giveUpAfterMs: settings.WEBHOOK_GIVE_UP_AFTER_MS,
  });
}
