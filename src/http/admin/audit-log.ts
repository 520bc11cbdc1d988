/**
 * The audit log of admin actions (who, what, when): logins, sends, manual handling, print
 * confirmations, configuration and access changes, downloads of letters. Append-only;
 * only admins read it. Kept behind this small interface so a cluster adapter can follow
 * (see the report: an `AuditLog` port in src/storage/ports.ts).
 */

/** One recorded action. */
export interface AuditEntry {
  /** Epoch milliseconds. */
  readonly at: number;
  /** User name (or the name tried, for a failed login). */
  readonly bruker: string;
  /** Stable action code, e.g. `forsendelse.manuelt-handtert`. */
  readonly handling: string;
  /** What the action was about: a forsendelse id, an avsender, a user. */
  readonly objekt?: string;
  /** Free text in Norwegian, e.g. the reason given. Never a password. */
  readonly detaljer?: string;
  /** Client address. */
  readonly adresse?: string;
}

/** A stored entry with its sequence number. */
export interface StoredAuditEntry extends AuditEntry {
  readonly id: number;
}

/** Filters for reading the log (combined with AND; newest first). */
export interface AuditQuery {
  readonly bruker?: string;
  readonly handling?: string;
  readonly objekt?: string;
  readonly limit: number;
  readonly offset: number;
}

/** Append-only log of admin actions. */
export interface AuditLog {
  /** Appends one entry durably. */
  record(entry: AuditEntry): Promise<void>;
  /** A page of entries, newest first, and the total matching. */
  list(query: AuditQuery): Promise<{ items: StoredAuditEntry[]; total: number }>;
}
