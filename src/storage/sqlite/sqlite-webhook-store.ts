/**
 * Webhook subscriptions and their outbox in the embedded SQLite database (tables from
 * migrations.ts). Claims run in a BEGIN IMMEDIATE transaction, so two processes on one
 * file (split web/worker roles) never take the same delivery.
 */
import { ConflictError } from '../../domain/errors.js';
import type {
  NewWebhookDelivery,
  WebhookDelivery,
  WebhookDeliveryKey,
  WebhookDeliveryQuery,
  WebhookDeliveryState,
  WebhookStore,
  WebhookSubscription,
} from '../ports.js';
import { candidatesFor, fullSubscriptions, pickFairly, type FairClaim } from '../webhook-claims.js';
import { writeTransaction, type SqliteDatabase } from './open-sqlite.js';

interface SubscriptionRow {
  id: string;
  avsender: string;
  url: string;
  secret: string;
  created_at: number;
  scanned_until: number;
}

interface DeliveryRow {
  subscription_id: string;
  forsendelse_id: string;
  seq: number;
  event_id: string;
  event_type: string;
  body: string;
  state: WebhookDeliveryState;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  give_up_at: number;
  last_attempt_at: number | null;
  last_result: string | null;
  delivered_at: number | null;
}

const KEY = 'subscription_id = ? AND forsendelse_id = ? AND seq = ?';

/** WebhookStore on the embedded SQLite database. */
export class SqliteWebhookStore implements WebhookStore {
  constructor(private readonly db: SqliteDatabase) {}

  async createSubscription(s: WebhookSubscription, limit = Number.MAX_SAFE_INTEGER): Promise<boolean> {
    try {
      // The count and the insert in one statement: SQLite runs it whole, so no other create comes between.
      const added = this.db
        .prepare(
          `INSERT INTO webhook_abonnementer SELECT ?, ?, ?, ?, ?, ?
           WHERE (SELECT COUNT(*) FROM webhook_abonnementer WHERE avsender = ?) < ?`,
        )
        .run(s.id, s.avsender, s.url, s.secret, s.createdAt, s.scannedUntil, s.avsender, limit);
      return added.changes === 1;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        throw new ConflictError(`Abonnementet ${s.id} finnes allerede`);
      throw error;
    }
  }

  async getSubscription(id: string): Promise<WebhookSubscription | undefined> {
    const row = this.db.prepare('SELECT * FROM webhook_abonnementer WHERE id = ?').get(id) as
      SubscriptionRow | undefined;
    return row === undefined ? undefined : toSubscription(row);
  }

  async listSubscriptions(avsender?: string): Promise<WebhookSubscription[]> {
    const rows = (
      avsender === undefined
        ? this.db.prepare('SELECT * FROM webhook_abonnementer ORDER BY created_at, id').all()
        : this.db.prepare('SELECT * FROM webhook_abonnementer WHERE avsender = ? ORDER BY created_at, id').all(avsender)
    ) as SubscriptionRow[];
    return rows.map(toSubscription);
  }

  async deleteSubscription(id: string): Promise<boolean> {
    return writeTransaction(this.db, () => {
      this.db.prepare('DELETE FROM webhook_leveranser WHERE subscription_id = ?').run(id);
      return this.db.prepare('DELETE FROM webhook_abonnementer WHERE id = ?').run(id).changes > 0;
    });
  }

  async advanceCursor(id: string, scannedUntil: number): Promise<void> {
    this.db
      .prepare('UPDATE webhook_abonnementer SET scanned_until = ? WHERE id = ? AND scanned_until < ?')
      .run(scannedUntil, id, scannedUntil);
  }

  async lastEnqueuedSeq(subscriptionId: string, forsendelseId: string): Promise<number> {
    const row = this.db
      .prepare('SELECT MAX(seq) AS seq FROM webhook_leveranser WHERE subscription_id = ? AND forsendelse_id = ?')
      .get(subscriptionId, forsendelseId) as { seq: number | null };
    return row.seq ?? 0;
  }

  async enqueue(deliveries: readonly NewWebhookDelivery[]): Promise<number> {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO webhook_leveranser
        (subscription_id, forsendelse_id, seq, event_id, event_type, body, state, attempts, created_at, next_attempt_at, give_up_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
    );
    return writeTransaction(this.db, () => {
      let added = 0;
      for (const d of deliveries) {
        added += insert.run(
          d.subscriptionId,
          d.forsendelseId,
          d.seq,
          d.eventId,
          d.eventType,
          d.body,
          d.createdAt,
          d.nextAttemptAt,
          d.giveUpAt,
        ).changes;
      }
      return added;
    });
  }

  async claimDue(now: number, leaseMs: number, limit: number, fair?: FairClaim): Promise<WebhookDelivery[]> {
    const want = Math.max(0, Math.trunc(limit));
    const busy = fullSubscriptions(fair);
    return writeTransaction(this.db, () => {
      const candidates = this.db
        .prepare(
          `SELECT d.* FROM webhook_leveranser d
           WHERE d.state = 'pending' AND d.next_attempt_at <= ?
             AND d.subscription_id NOT IN (${busy.map(() => '?').join(', ')})
             AND d.seq = (SELECT MIN(h.seq) FROM webhook_leveranser h
                          WHERE h.subscription_id = d.subscription_id AND h.forsendelse_id = d.forsendelse_id
                            AND h.state = 'pending')
           ORDER BY d.next_attempt_at LIMIT ?`,
        )
        .all(now, ...busy, candidatesFor(want, fair)) as DeliveryRow[];
      const rows = pickFairly(
        candidates.map((r) => ({ ...r, subscriptionId: r.subscription_id })),
        want,
        fair,
      );
      const lease = this.db.prepare(`UPDATE webhook_leveranser SET next_attempt_at = ? WHERE ${KEY}`);
      for (const r of rows) lease.run(now + leaseMs, r.subscription_id, r.forsendelse_id, r.seq);
      return rows.map((r) => toDelivery({ ...r, next_attempt_at: now + leaseMs }));
    });
  }

  async markDelivered(key: WebhookDeliveryKey, at: number, result: string): Promise<void> {
    this.db
      .prepare(
        `UPDATE webhook_leveranser SET state = 'delivered', attempts = attempts + 1, last_attempt_at = ?,
           last_result = ?, delivered_at = ? WHERE ${KEY} AND state != 'delivered'`,
      )
      .run(at, result, at, key.subscriptionId, key.forsendelseId, key.seq);
  }

  async markAttemptFailed(key: WebhookDeliveryKey, at: number, result: string, nextAttemptAt?: number): Promise<void> {
    this.db
      .prepare(
        `UPDATE webhook_leveranser SET state = ?, attempts = attempts + 1, last_attempt_at = ?, last_result = ?,
           next_attempt_at = ? WHERE ${KEY} AND state = 'pending'`,
      )
      .run(
        nextAttemptAt === undefined ? 'failed' : 'pending',
        at,
        result,
        nextAttemptAt ?? at,
        key.subscriptionId,
        key.forsendelseId,
        key.seq,
      );
  }

  async retryFailed(
    key: WebhookDeliveryKey | { readonly subscriptionId: string },
    now: number,
    giveUpAt: number,
  ): Promise<number> {
    const set = `UPDATE webhook_leveranser SET state = 'pending', next_attempt_at = ?, give_up_at = ?`;
    if ('seq' in key) {
      return this.db
        .prepare(`${set} WHERE ${KEY} AND state = 'failed'`)
        .run(now, giveUpAt, key.subscriptionId, key.forsendelseId, key.seq).changes;
    }
    return this.db
      .prepare(`${set} WHERE subscription_id = ? AND state = 'failed'`)
      .run(now, giveUpAt, key.subscriptionId).changes;
  }

  async listDeliveries(query: WebhookDeliveryQuery): Promise<{ items: WebhookDelivery[]; total: number }> {
    const where = query.state === undefined ? 'subscription_id = ?' : 'subscription_id = ? AND state = ?';
    const params: unknown[] = query.state === undefined ? [query.subscriptionId] : [query.subscriptionId, query.state];
    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n FROM webhook_leveranser WHERE ${where}`).get(...params) as { n: number }
    ).n;
    const rows = this.db
      .prepare(
        `SELECT * FROM webhook_leveranser WHERE ${where}
         ORDER BY created_at DESC, forsendelse_id DESC, seq DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, Math.max(0, Math.trunc(query.limit)), Math.max(0, Math.trunc(query.offset))) as DeliveryRow[];
    return { items: rows.map(toDelivery), total };
  }

  async pruneDelivered(before: number): Promise<number> {
    return this.db.prepare(`DELETE FROM webhook_leveranser WHERE state = 'delivered' AND delivered_at < ?`).run(before)
      .changes;
  }

  /** Nothing to release: the connection belongs to whoever opened it. */
  async close(): Promise<void> {}
}

function toSubscription(r: SubscriptionRow): WebhookSubscription {
  return {
    id: r.id,
    avsender: r.avsender,
    url: r.url,
    secret: r.secret,
    createdAt: r.created_at,
    scannedUntil: r.scanned_until,
  };
}

function toDelivery(r: DeliveryRow): WebhookDelivery {
  return {
    subscriptionId: r.subscription_id,
    forsendelseId: r.forsendelse_id,
    seq: r.seq,
    eventId: r.event_id,
    eventType: r.event_type,
    body: r.body,
    state: r.state,
    attempts: r.attempts,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    giveUpAt: r.give_up_at,
    lastAttemptAt: r.last_attempt_at ?? undefined,
    lastResult: r.last_result ?? undefined,
    deliveredAt: r.delivered_at ?? undefined,
  };
}
