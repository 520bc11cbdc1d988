/**
 * Delivers every status change and history event of the subscribed avsendere's letters,
 * driven from the journal through a durable outbox (WebhookStore):
 *
 * - **scan**: the journal's keys appended since the oldest subscription cursor (less an
 *   overlap for clock skew and slow commits) are read; the CloudEvents of events newer than
 *   what each subscription already has go into its outbox (idempotent per seq), then the
 *   cursors move to the scan's start. A crash before that repeats the scan, never skips it.
 * - **deliver**: due outbox entries are claimed (the lowest pending seq of each letter only,
 *   so a letter's events arrive in order), POSTed signed, and marked delivered on a 2xx;
 *   otherwise retried with exponential backoff until give-up time, then marked failed.
 *
 * A kill -9 therefore loses nothing: an event is either still in the journal beyond the
 * cursor or in the outbox; at worst a delivery whose answer was not yet recorded is sent
 * again (at least once; the CloudEvent id is the same, so a receiver can drop it).
 */
import type { Logger } from 'pino';
import type {
  ClaimGroup,
  Journal,
  NewWebhookDelivery,
  WebhookDelivery,
  WebhookStore,
  WebhookSubscription,
} from '../../storage/ports.js';
import { forsendelseIdOf, letterCloudEvents } from './cloud-events.js';
import { signedHeaders } from './signature.js';

/** Posts one signed event; never throws (a failure is a result). */
export interface WebhookSender {
  post(url: string, headers: Readonly<Record<string, string>>, body: string): Promise<WebhookPostResult>;
}

/** What one POST got. */
export interface WebhookPostResult {
  /** True for a 2xx answer. */
  readonly ok: boolean;
  /** `HTTP 204`, `HTTP 503`, or the network error. */
  readonly result: string;
}

/** Tuning of the dispatcher (settings WEBHOOK_*). */
export interface WebhookDispatchOptions {
  /** How often the journal is scanned and idle delivery looks for due entries. */
  readonly pollMs: number;
  /** How far before a cursor a scan looks again (clock skew between nodes, slow commits). */
  readonly overlapMs: number;
  /** First retry delay; doubled per attempt up to maxBackoffMs. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** How long an event is retried before it is marked failed. */
  readonly giveUpAfterMs: number;
  /** Deliveries in flight at once (different letters). */
  readonly concurrency: number;
  /** A claimed delivery is another node's to take after this long (longer than a POST's timeout). */
  readonly leaseMs: number;
  /** Delivered entries stay in the log this long. */
  readonly keepDeliveredMs: number;
}

/** What the dispatcher needs. */
export interface WebhookDispatcherDeps {
  readonly store: WebhookStore;
  readonly journal: Pick<Journal, 'keysAppendedSince' | 'read' | 'highestSeq'>;
  readonly sender: WebhookSender;
  /** The CloudEvents `source` (the node's public URL). */
  readonly source: () => string;
  readonly now: () => number;
  readonly log: Logger;
  readonly options: WebhookDispatchOptions;
  /** Called with the delay from a status change (journal append) to its delivery, in ms. */
  readonly onDelivered?: (delayMs: number) => void;
}

/** A running dispatcher. */
export interface WebhookDispatcher {
  /** Scans the journal once (tests and the bench call it to skip the wait). */
  scan(): Promise<number>;
  /** Stops both loops and waits for deliveries in flight. */
  stop(): Promise<void>;
}

/** Most entries of the in-memory caches before they are cleared. */
const CACHE_LIMIT = 50_000;

/** Starts the scan and delivery loops. */
export function startWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  const { store, journal, log, options } = deps;
  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        if (wake === done) wake = undefined;
        resolve();
      }
      wake = done;
    });
  /** avsender per journal key (a letter's avsender never changes). */
  const avsenderOf = new Map<string, string>();
  /** Highest seq (and subscription set) already scanned per key, to skip unchanged letters. */
  const scanned = new Map<string, string>();
  let lastPrune = 0;

  async function scanKey(key: string, id: string, subs: Map<string, WebhookSubscription[]>): Promise<number> {
    const known = avsenderOf.get(key);
    if (known !== undefined && !subs.has(known)) return 0;
    const high = await journal.highestSeq(key);
    const mark = (avsender: string): string => `${high}|${(subs.get(avsender) ?? []).map((s) => s.id).join(',')}`;
    if (known !== undefined && scanned.get(key) === mark(known)) return 0;
    const { state, events } = letterCloudEvents(await journal.read(key, 0), deps.source());
    if (state === undefined) return 0;
    if (avsenderOf.size > CACHE_LIMIT) avsenderOf.clear();
    avsenderOf.set(key, state.avsender);
    let added = 0;
    for (const sub of subs.get(state.avsender) ?? []) {
      const from = Math.max(sub.createdAt, sub.scannedUntil - options.overlapMs);
      const last = await store.lastEnqueuedSeq(sub.id, id);
      const now = deps.now();
      const fresh: NewWebhookDelivery[] = events
        .filter((e) => e.seq > last && e.journaledAt >= from)
        .map((e) => ({
          subscriptionId: sub.id,
          forsendelseId: id,
          seq: e.seq,
          eventId: e.id,
          eventType: e.type,
          body: e.body,
          createdAt: e.journaledAt,
          nextAttemptAt: now,
          giveUpAt: now + options.giveUpAfterMs,
        }));
      added += await store.enqueue(fresh);
    }
    if (scanned.size > CACHE_LIMIT) scanned.clear();
    scanned.set(key, mark(state.avsender));
    return added;
  }

  async function scan(): Promise<number> {
    const all = await store.listSubscriptions();
    groups = new Map(all.map((s) => [s.id, subscriptionGroups(s, share, hostShare)]));
    if (all.length === 0) return 0;
    const startedAt = deps.now();
    const subs = new Map<string, WebhookSubscription[]>();
    for (const s of all) subs.set(s.avsender, [...(subs.get(s.avsender) ?? []), s]);
    const since = Math.min(...all.map((s) => s.scannedUntil)) - options.overlapMs;
    let added = 0;
    for (const key of await journal.keysAppendedSince(since)) {
      const id = forsendelseIdOf(key);
      if (id !== undefined) added += await scanKey(key, id, subs);
    }
    for (const s of all) await store.advanceCursor(s.id, startedAt);
    if (startedAt - lastPrune > 3_600_000) {
      lastPrune = startedAt;
      await store.pruneDelivered(startedAt - options.keepDeliveredMs);
    }
    return added;
  }

  const secrets = new Map<string, { url: string; secret: string } | undefined>();
  async function target(subscriptionId: string): Promise<{ url: string; secret: string } | undefined> {
    if (!secrets.has(subscriptionId)) secrets.set(subscriptionId, await store.getSubscription(subscriptionId));
    return secrets.get(subscriptionId);
  }

  async function deliver(d: WebhookDelivery): Promise<void> {
    const sub = await target(d.subscriptionId);
    if (sub === undefined) return; // deleted meanwhile, with its outbox
    const { ok, result } = await deps.sender.post(
      sub.url,
      signedHeaders(sub.secret, d.eventId, d.body, deps.now()),
      d.body,
    );
    const at = deps.now();
    if (ok) {
      await store.markDelivered(d, at, result);
      deps.onDelivered?.(at - d.createdAt);
      return;
    }
    const delay = Math.min(options.maxBackoffMs, options.backoffMs * 2 ** Math.min(d.attempts, 30));
    const next = at + delay;
    await store.markAttemptFailed(d, at, result, at >= d.giveUpAt ? undefined : Math.min(next, d.giveUpAt));
    if (at >= d.giveUpAt)
      log.warn({ subscription: d.subscriptionId, event: d.eventId, result }, 'webhook delivery failed for good');
  }

  /** Deliveries in flight: a slow receiver holds one slot, not the others' rounds. */
  const inFlight = new Set<Promise<void>>();
  /** Deliveries in flight per subscription: one avsender whose receivers hang holds at most its share. */
  const perSubscription = new Map<string, number>();
  /** Each subscription's groups (avsender, receiving host), as of the last scan: the share is per group too. */
  let groups = new Map<string, readonly ClaimGroup[]>();
  const share = Math.max(1, Math.floor(options.concurrency / 4));
  const hostShare = Math.max(share, Math.floor(options.concurrency / 2));
  async function deliverDue(): Promise<number> {
    const room = options.concurrency - inFlight.size;
    if (room <= 0) return 0;
    secrets.clear(); // a removed or changed subscription is seen within one round
    const due = await store.claimDue(deps.now(), options.leaseMs, room, {
      perSubscription: share,
      inFlight: new Map(perSubscription),
      groupsOf: groups,
    });
    for (const d of due) {
      perSubscription.set(d.subscriptionId, (perSubscription.get(d.subscriptionId) ?? 0) + 1);
      const running: Promise<void> = deliver(d)
        .catch((err: unknown) => log.error({ err, event: d.eventId }, 'webhook delivery could not be recorded'))
        .finally(() => {
          inFlight.delete(running);
          const left = (perSubscription.get(d.subscriptionId) ?? 1) - 1;
          if (left > 0) perSubscription.set(d.subscriptionId, left);
          else perSubscription.delete(d.subscriptionId);
          wake?.();
        });
      inFlight.add(running);
    }
    return due.length;
  }

  const scanLoop = (async () => {
    while (!stopped) {
      const added = await scan().catch((err: unknown) => {
        log.error({ err }, 'webhook journal scan failed');
        return 0;
      });
      if (added > 0) wake?.();
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, options.pollMs).unref());
    }
  })();
  const deliverLoop = (async () => {
    while (!stopped) {
      const n = await deliverDue().catch((err: unknown) => {
        log.error({ err }, 'webhook delivery round failed');
        return 0;
      });
      // Claimed all there was room for: more may be due, go again once a slot frees (or at once).
      if (stopped) break;
      if (inFlight.size >= options.concurrency) await Promise.race([...inFlight, sleep(options.pollMs)]);
      else if (n === 0) await sleep(options.pollMs);
    }
    await Promise.all(inFlight);
  })();

  return {
    scan,
    async stop() {
      stopped = true;
      wake?.();
      await Promise.all([scanLoop, deliverLoop]);
    },
  };
}

/**
 * What a subscription's deliveries share a cap with: its avsender's others (`share`), and the
 * others to the same host (`hostShare`, larger: one vendor's healthy receiver serving many
 * municipalities gets half the slots, one that hangs holds no more).
 */
function subscriptionGroups(s: WebhookSubscription, share: number, hostShare: number): readonly ClaimGroup[] {
  const avsender = { key: `avsender:${s.avsender}`, cap: share };
  try {
    return [avsender, { key: `mottaker:${new URL(s.url).host.toLowerCase()}`, cap: hostShare }];
  } catch {
    return [avsender];
  }
}
