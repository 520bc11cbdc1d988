/**
 * Contract of the WebhookStore port: subscriptions come back exactly and per avsender; the
 * outbox is idempotent per (subscription, letter, seq); a claim hands out only the lowest
 * pending seq of each letter, and only once while its lease lasts (also to a second
 * instance, as another node would have); failed deliveries are retried on request; the
 * log is newest first; deleting a subscription deletes its outbox.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewWebhookDelivery, WebhookStore, WebhookSubscription } from '../../src/storage/ports.js';
import { withFixture } from './support.js';

/** What a webhook store adapter's factory gives the suite: fresh, empty storage per call. */
export interface WebhookStoreFixture {
  readonly store: WebhookStore;
  /** Another instance on the same storage, as another node would have. */
  openSecond(): Promise<WebhookStore>;
  cleanup(): Promise<void>;
}

const T0 = 1_764_000_000_000;

function subscription(id: string, avsender = 'Kommune A'): WebhookSubscription {
  return {
    id,
    avsender,
    url: 'https://mottak.example/hooks',
    secret: 's3cret',
    createdAt: T0,
    scannedUntil: T0,
  };
}

function delivery(subscriptionId: string, forsendelseId: string, seq: number, at = T0): NewWebhookDelivery {
  return {
    subscriptionId,
    forsendelseId,
    seq,
    eventId: `${forsendelseId}.${seq}`,
    eventType: 'no.budbringer.forsendelse.status',
    body: JSON.stringify({ id: `${forsendelseId}.${seq}`, tekst: 'Ø' }),
    createdAt: at + seq,
    nextAttemptAt: at,
    giveUpAt: at + 86_400_000,
  };
}

/** Registers the WebhookStore contract tests for one adapter. */
export function webhookStoreContract(name: string, factory: () => Promise<WebhookStoreFixture>): void {
  void describe(`WebhookStore contract: ${name}`, () => {
    void it('keeps subscriptions exactly, lists them per avsender, moves the cursor only forward', () =>
      withFixture(factory, async ({ store }) => {
        await store.createSubscription(subscription('a1'));
        await store.createSubscription({ ...subscription('b1', 'Kommune B'), createdAt: T0 + 1 });
        await assert.rejects(store.createSubscription(subscription('a1')), /finnes allerede/);
        assert.deepEqual(await store.getSubscription('a1'), subscription('a1'));
        assert.equal(await store.getSubscription('nope'), undefined);
        assert.deepEqual(
          (await store.listSubscriptions()).map((s) => s.id),
          ['a1', 'b1'],
        );
        assert.deepEqual(
          (await store.listSubscriptions('Kommune B')).map((s) => s.id),
          ['b1'],
        );
        await store.advanceCursor('a1', T0 + 500);
        await store.advanceCursor('a1', T0 + 100);
        assert.equal((await store.getSubscription('a1'))?.scannedUntil, T0 + 500);
      }));

    void it('enqueues idempotently and knows the last enqueued seq per letter', () =>
      withFixture(factory, async ({ store }) => {
        await store.createSubscription(subscription('a1'));
        assert.equal(await store.lastEnqueuedSeq('a1', 'f1'), 0);
        assert.equal(await store.enqueue([delivery('a1', 'f1', 1), delivery('a1', 'f1', 2)]), 2);
        assert.equal(await store.enqueue([delivery('a1', 'f1', 2), delivery('a1', 'f1', 3)]), 1);
        assert.equal(await store.enqueue([]), 0);
        assert.equal(await store.lastEnqueuedSeq('a1', 'f1'), 3);
        assert.equal(await store.lastEnqueuedSeq('a1', 'f2'), 0);
        const { items, total } = await store.listDeliveries({ subscriptionId: 'a1', limit: 10, offset: 0 });
        assert.equal(total, 3);
        assert.deepEqual(
          items.map((d) => d.seq),
          [3, 2, 1],
          'newest first',
        );
        const first = items[2];
        assert.deepEqual(first, {
          ...delivery('a1', 'f1', 1),
          state: 'pending',
          attempts: 0,
          lastAttemptAt: undefined,
          lastResult: undefined,
          deliveredAt: undefined,
        });
      }));

    void it('claims only the lowest pending seq of each letter, once while leased, also across instances', () =>
      withFixture(factory, async ({ store, openSecond }) => {
        const second = await openSecond();
        await store.createSubscription(subscription('a1'));
        await store.enqueue([delivery('a1', 'f1', 1), delivery('a1', 'f1', 2), delivery('a1', 'f2', 1)]);
        await store.enqueue([{ ...delivery('a1', 'f3', 1), nextAttemptAt: T0 + 10_000 }]);
        const claimed = await store.claimDue(T0 + 1, 30_000, 10);
        assert.deepEqual(claimed.map((d) => `${d.forsendelseId}#${d.seq}`).sort(), ['f1#1', 'f2#1']);
        assert.ok(claimed.every((d) => d.nextAttemptAt === T0 + 30_001));
        assert.deepEqual(await second.claimDue(T0 + 2, 30_000, 10), [], 'leased heads block their letters');
        await store.markDelivered({ subscriptionId: 'a1', forsendelseId: 'f1', seq: 1 }, T0 + 3, 'HTTP 204');
        const next = await second.claimDue(T0 + 4, 30_000, 10);
        assert.deepEqual(
          next.map((d) => `${d.forsendelseId}#${d.seq}`),
          ['f1#2'],
        );
        // The lease of f2#1 runs out (its node died): it is taken again.
        const again = await second.claimDue(T0 + 30_002, 30_000, 10);
        assert.deepEqual(again.map((d) => `${d.forsendelseId}#${d.seq}`).sort(), ['f2#1', 'f3#1']);
        assert.equal((await store.claimDue(T0 + 30_003, 30_000, 0)).length, 0);
      }));

    // Webhook review of 7 December 2026: with MongoDB, more later events than a window behind
    // heads in backoff hid every head, and delivery stopped for every avsender.
    void it('finds the due heads behind any number of later events waiting for heads in backoff', () =>
      withFixture(factory, async ({ store }) => {
        await store.createSubscription(subscription('a1'));
        await store.createSubscription(subscription('b1', 'Kommune B'));
        const backlog = Array.from({ length: 20 }, (_, i) => `f${i}`);
        await store.enqueue(backlog.flatMap((f) => [1, 2, 3, 4, 5].map((seq) => delivery('a1', f, seq))));
        // Every head failed once and waits for its retry; the later events of each letter are due.
        for (const f of backlog) {
          await store.markAttemptFailed(
            { subscriptionId: 'a1', forsendelseId: f, seq: 1 },
            T0 + 5,
            'HTTP 503',
            T0 + 60_000,
          );
        }
        await store.enqueue([delivery('b1', 'g1', 1)]);
        const claimed = await store.claimDue(T0 + 10, 30_000, 2);
        assert.deepEqual(
          claimed.map((d) => `${d.subscriptionId}:${d.forsendelseId}#${d.seq}`),
          ['b1:g1#1'],
        );
        await store.markDelivered({ subscriptionId: 'b1', forsendelseId: 'g1', seq: 1 }, T0 + 11, 'HTTP 204');
        const later = await store.claimDue(T0 + 60_000, 30_000, 50);
        assert.equal(later.length, 20, 'the heads, once due');
        assert.ok(later.every((d) => d.seq === 1));
      }));

    void it('adds no subscription past the limit, also when many are created at once', () =>
      withFixture(factory, async ({ store }) => {
        await store.createSubscription(subscription('b1', 'Kommune B'));
        const added = await Promise.all(
          Array.from({ length: 40 }, (_, i) => store.createSubscription(subscription(`a${i}`), 10)),
        );
        const kept = await store.listSubscriptions('Kommune A');
        assert.ok(kept.length <= 10, `${kept.length} kept`);
        assert.equal(added.filter(Boolean).length, kept.length, 'true for each one kept, false for each one not');
        for (let i = 0; kept.length + i < 10; i += 1)
          assert.equal(await store.createSubscription(subscription(`c${i}`), 10), true, 'room is room');
        assert.equal(await store.createSubscription(subscription('d1'), 10), false);
        assert.equal((await store.listSubscriptions('Kommune A')).length, 10);
        assert.equal((await store.listSubscriptions('Kommune B')).length, 1, 'another avsender’s do not count');
      }));

    void it('claims fairly when asked: a cap per subscription, none of a busy one', () =>
      withFixture(factory, async ({ store }) => {
        await store.createSubscription(subscription('a1'));
        await store.createSubscription(subscription('b1', 'Kommune B'));
        await store.enqueue(Array.from({ length: 10 }, (_, i) => delivery('a1', `f${i}`, 1)));
        await store.enqueue([delivery('b1', 'g1', 1, T0 + 100)]);
        const capped = await store.claimDue(T0 + 200, 30_000, 4, { perSubscription: 2, inFlight: new Map() });
        assert.deepEqual(
          capped.map((d) => d.subscriptionId).sort(),
          ['a1', 'a1', 'b1'],
          'two of the backlog, and the other subscription’s one though it is due later',
        );
        const busy = await store.claimDue(T0 + 200, 30_000, 4, { perSubscription: 2, inFlight: new Map([['a1', 2]]) });
        assert.deepEqual(busy, [], 'a1 is at its share; b1 has nothing more');
        const oneMore = await store.claimDue(T0 + 200, 30_000, 4, {
          perSubscription: 3,
          inFlight: new Map([['a1', 2]]),
        });
        assert.deepEqual(
          oneMore.map((d) => d.subscriptionId),
          ['a1'],
          'those in flight count: one more makes three',
        );
      }));

    void it('claims one avsender’s subscriptions together up to one share, so its backlog never holds another’s', () =>
      withFixture(factory, async ({ store }) => {
        for (const id of ['a1', 'a2', 'a3']) await store.createSubscription(subscription(id));
        await store.createSubscription(subscription('b1', 'Kommune B'));
        for (const id of ['a1', 'a2', 'a3'])
          await store.enqueue(Array.from({ length: 10 }, (_, i) => delivery(id, `${id}-f${i}`, 1)));
        await store.enqueue([delivery('b1', 'g1', 1, T0 + 100)]);
        const a = [{ key: 'avsender:Kommune A', cap: 2 }];
        const groupsOf = new Map([
          ['a1', a],
          ['a2', a],
          ['a3', a],
          ['b1', [{ key: 'avsender:Kommune B', cap: 2 }]],
        ]);
        const first = await store.claimDue(T0 + 200, 30_000, 8, { perSubscription: 2, inFlight: new Map(), groupsOf });
        assert.deepEqual(
          first.map((d) => (d.subscriptionId === 'b1' ? 'B' : 'A')).sort(),
          ['A', 'A', 'B'],
          'two of Kommune A’s three backlogs together, and Kommune B’s one though due later',
        );
        const held = await store.claimDue(T0 + 200, 30_000, 8, {
          perSubscription: 2,
          inFlight: new Map([
            ['a1', 1],
            ['a3', 1],
          ]),
          groupsOf,
        });
        assert.deepEqual(held, [], 'Kommune A is at its share across its subscriptions; B has nothing more');
      }));

    void it('claims the subscriptions of several avsendere to one receiving host together up to the host’s share', () =>
      withFixture(factory, async ({ store }) => {
        await store.createSubscription(subscription('x1', 'Kommune X'));
        await store.createSubscription(subscription('y1', 'Kommune Y'));
        await store.createSubscription(subscription('z1', 'Kommune Z'));
        for (const id of ['x1', 'y1', 'z1'])
          await store.enqueue(Array.from({ length: 10 }, (_, i) => delivery(id, `${id}-f${i}`, 1)));
        const group = (avsender: string, host: string) => [
          { key: `avsender:${avsender}`, cap: 2 },
          { key: `mottaker:${host}`, cap: 3 },
        ];
        const groupsOf = new Map([
          ['x1', group('Kommune X', 'leverandor.example')],
          ['y1', group('Kommune Y', 'leverandor.example')],
          ['z1', group('Kommune Z', 'arkiv.z.example')],
        ]);
        const claimed = await store.claimDue(T0 + 200, 30_000, 8, {
          perSubscription: 2,
          inFlight: new Map(),
          groupsOf,
        });
        const shared = claimed.filter((d) => d.subscriptionId !== 'z1').length;
        assert.equal(
          shared,
          3,
          'X and Y together, to the one host, its share: more than one avsender’s, less than two',
        );
        assert.equal(claimed.length - shared, 2, 'Z, to its own host, its own share');
      }));

    void it('retries a failed attempt later, marks it failed at the end, and retries failed ones on request', () =>
      withFixture(factory, async ({ store }) => {
        await store.createSubscription(subscription('a1'));
        await store.enqueue([delivery('a1', 'f1', 1), delivery('a1', 'f1', 2)]);
        const key = { subscriptionId: 'a1', forsendelseId: 'f1', seq: 1 };
        await store.claimDue(T0, 1000, 10);
        await store.markAttemptFailed(key, T0 + 10, 'HTTP 503', T0 + 2000);
        assert.deepEqual(await store.claimDue(T0 + 1999, 1000, 10), [], 'not due before its retry time');
        const [retried] = await store.claimDue(T0 + 2000, 1000, 10);
        assert.equal(retried?.seq, 1);
        assert.equal(retried?.attempts, 1);
        assert.equal(retried?.lastResult, 'HTTP 503');
        await store.markAttemptFailed(key, T0 + 2010, 'ECONNREFUSED');
        const failed = await store.listDeliveries({ subscriptionId: 'a1', state: 'failed', limit: 10, offset: 0 });
        assert.equal(failed.total, 1);
        assert.equal(failed.items[0]?.attempts, 2);
        assert.equal(failed.items[0]?.lastAttemptAt, T0 + 2010);
        // A failed delivery no longer holds back the rest of its letter.
        const [nextOne] = await store.claimDue(T0 + 3000, 1000, 10);
        assert.equal(nextOne?.seq, 2);
        await store.markDelivered({ ...key, seq: 2 }, T0 + 3001, 'HTTP 200');
        assert.equal(await store.retryFailed({ subscriptionId: 'a1' }, T0 + 4000, T0 + 90_000), 1);
        assert.equal(await store.retryFailed(key, T0 + 4000, T0 + 90_000), 0, 'already pending');
        const [resent] = await store.claimDue(T0 + 4000, 1000, 10);
        assert.equal(resent?.seq, 1);
        assert.equal(resent?.giveUpAt, T0 + 90_000);
        await store.markDelivered(key, T0 + 4001, 'HTTP 200');
        const delivered = await store.listDeliveries({
          subscriptionId: 'a1',
          state: 'delivered',
          limit: 10,
          offset: 0,
        });
        assert.equal(delivered.total, 2);
        assert.equal(delivered.items.find((d) => d.seq === 1)?.deliveredAt, T0 + 4001);
        assert.equal(delivered.items.find((d) => d.seq === 1)?.attempts, 3);
      }));

    void it('pages the log, prunes old delivered entries, and deletes a subscription with its outbox', () =>
      withFixture(factory, async ({ store }) => {
        await store.createSubscription(subscription('a1'));
        await store.createSubscription(subscription('a2'));
        await store.enqueue([1, 2, 3, 4].map((seq) => delivery('a1', 'f1', seq)));
        await store.enqueue([delivery('a2', 'f1', 1)]);
        const page = await store.listDeliveries({ subscriptionId: 'a1', limit: 2, offset: 1 });
        assert.equal(page.total, 4);
        assert.deepEqual(
          page.items.map((d) => d.seq),
          [3, 2],
        );
        assert.deepEqual((await store.listDeliveries({ subscriptionId: 'a1', limit: 0, offset: 0 })).items, []);
        for (const seq of [1, 2])
          await store.markDelivered({ subscriptionId: 'a1', forsendelseId: 'f1', seq }, T0 + seq, 'ok');
        assert.equal(await store.pruneDelivered(T0 + 2), 1);
        assert.equal((await store.listDeliveries({ subscriptionId: 'a1', limit: 10, offset: 0 })).total, 3);
        assert.equal(await store.deleteSubscription('a1'), true);
        assert.equal(await store.deleteSubscription('a1'), false);
        assert.equal((await store.listDeliveries({ subscriptionId: 'a1', limit: 10, offset: 0 })).total, 0);
        assert.equal((await store.listDeliveries({ subscriptionId: 'a2', limit: 10, offset: 0 })).total, 1);
        assert.equal(await store.lastEnqueuedSeq('a1', 'f1'), 0);
      }));
  });
}
