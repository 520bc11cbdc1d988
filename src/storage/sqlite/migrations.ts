/**
 * Schema migrations, versioned by `PRAGMA user_version`. Append new steps; never edit a
 * step that has shipped. Each step runs in its own BEGIN IMMEDIATE transaction and
 * re-reads the version inside it, so processes starting at once migrate exactly once.
 * A version refuses a database whose schema is newer than it knows, so each step is a
 * rollback barrier (docs/operations.md): a table that older versions can simply ignore and
 * that holds nothing a letter needs (the throttles' `attempt_counts`) is created by its
 * adapter instead, with IF NOT EXISTS.
 */
import type { SqliteDatabase } from './open-sqlite.js';

/** Step n (0-based) brings the schema from user_version n to n + 1. */
const MIGRATIONS: readonly string[] = [
  // 1: journal, read model, job queue, config.
  `
  CREATE TABLE journal_events (
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (key, seq)
  ) WITHOUT ROWID;
  -- keysAppendedSince (start-up repair) scans recent events only.
  CREATE INDEX journal_events_created_at ON journal_events (created_at);

  CREATE TABLE journal_snapshots (
    key TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE forsendelser (
    id TEXT NOT NULL UNIQUE,
    avsender TEXT NOT NULL,
    status TEXT NOT NULL,
    siste_status_endring INTEGER NOT NULL,
    mottatt_at INTEGER NOT NULL,
    tittel TEXT NOT NULL,
    eksternref TEXT,
    mottaker_navn TEXT,
    mottaker_id TEXT,
    kanal TEXT,
    seq INTEGER NOT NULL,
    view TEXT NOT NULL,
    -- Lower-cased copies for case-insensitive substring search: SQLite's LIKE folds
    -- ASCII only, and names and titles are full of æ, ø, å.
    tittel_lc TEXT NOT NULL,
    mottaker_navn_lc TEXT
  );
  -- The admin list: avsender + status + period, newest first. id makes the order total
  -- (stable paging) and, with the others, lets the page's ids come from the index alone.
  CREATE INDEX forsendelser_avsender_status_mottatt ON forsendelser (avsender, status, mottatt_at, id);
  CREATE INDEX forsendelser_status_mottatt ON forsendelser (status, mottatt_at, id);
  CREATE INDEX forsendelser_mottatt ON forsendelser (mottatt_at, id);
  CREATE INDEX forsendelser_avsender_eksternref ON forsendelser (avsender, eksternref, mottatt_at)
    WHERE eksternref IS NOT NULL;
  CREATE INDEX forsendelser_mottaker_id ON forsendelser (mottaker_id) WHERE mottaker_id IS NOT NULL;

  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- 'queued' (waiting or delayed, by run_at), 'active', 'completed', 'failed'.
    state TEXT NOT NULL,
    run_at INTEGER NOT NULL,
    lease_until INTEGER,
    -- A fresh token per claim: only the claimant may renew, complete or fail the job.
    lease_token TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    backoff_ms INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  -- Polling finds due jobs (and expired leases) without scanning the delayed ones, e.g.
  -- the many 2-day deadlines, or the completed ones that are kept.
  CREATE INDEX jobs_state_run_at ON jobs (state, run_at);
  CREATE INDEX jobs_state_lease ON jobs (state, lease_until);

  CREATE TABLE avsendere (
    navn TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE admin_users (
    brukernavn TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  // 2: the view (history, documents, metadata: kilobytes) moves to its own table, so that
  // filters which must read rows (substring search) scan narrow rows; a page joins 50 views.
  `
  CREATE TABLE forsendelse_views (
    id TEXT PRIMARY KEY,
    view TEXT NOT NULL
  );
  INSERT INTO forsendelse_views (id, view) SELECT id, view FROM forsendelser;
  ALTER TABLE forsendelser DROP COLUMN view;
  `,
  // 3: blob reference tracking (src/storage/sqlite/sqlite-blob-index.ts). Documents are
  // content-addressed and shared between letters, so a blob is deleted only when no
  // forsendelse references it and no put holds a lease on it.
  `
  CREATE TABLE blob_refs (
    owner TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (owner, sha256)
  ) WITHOUT ROWID;
  CREATE INDEX blob_refs_sha256 ON blob_refs (sha256);
  CREATE TABLE blob_leases (
    lease TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (lease, sha256)
  ) WITHOUT ROWID;
  CREATE INDEX blob_leases_sha256 ON blob_leases (sha256);
  CREATE INDEX blob_leases_at ON blob_leases (at);
  -- Letters stored before this step: their documents and generated files get their
  -- references, so their purge deletes them too. (Only adds holds, never deletes.)
  INSERT OR IGNORE INTO blob_refs (owner, sha256)
    SELECT v.id, json_extract(d.value, '$.blob.sha256')
      FROM forsendelse_views v, json_each(v.view, '$.dokumenter') d
     WHERE json_extract(v.view, '$.dokumenterSlettetAt') IS NULL
       AND json_extract(d.value, '$.blob.sha256') IS NOT NULL;
  INSERT OR IGNORE INTO blob_refs (owner, sha256)
    SELECT id, json_extract(view, '$.forsendelsesfil.sha256') FROM forsendelse_views
     WHERE json_extract(view, '$.dokumenterSlettetAt') IS NULL AND json_extract(view, '$.forsendelsesfil.sha256') IS NOT NULL;
  INSERT OR IGNORE INTO blob_refs (owner, sha256)
    SELECT id, json_extract(view, '$.printfil.sha256') FROM forsendelse_views
     WHERE json_extract(view, '$.dokumenterSlettetAt') IS NULL AND json_extract(view, '$.printfil.sha256') IS NOT NULL;
  `,
  // 4: statistics facts (src/domain/statistics-facts.ts) as compact columns, summed by one
  // aggregate query over a covering index instead of reading every view per request.
  // st_levering NULL: a record stored without facts. Rows stored before this step get
  // their facts from their views, by the same rules as statistikkFakta.
  `
  ALTER TABLE forsendelser ADD COLUMN st_levering TEXT;
  ALTER TABLE forsendelser ADD COLUMN st_varslet INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE forsendelser ADD COLUMN st_lest INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE forsendelser ADD COLUMN st_lesetid_ms INTEGER;
  ALTER TABLE forsendelser ADD COLUMN st_manuell INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE forsendelser ADD COLUMN st_kvittering INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE forsendelser ADD COLUMN st_sider INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE forsendelser ADD COLUMN st_ark INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE forsendelser ADD COLUMN st_konvolutter INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE forsendelser ADD COLUMN st_porto INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE forsendelser ADD COLUMN st_produksjon INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE forsendelser ADD COLUMN st_konteringskode TEXT;
  UPDATE forsendelser AS f SET
    st_levering = CASE
      WHEN json_extract(v.view, '$.sendtPrintAt') IS NOT NULL THEN 'papir'
      WHEN json_extract(v.view, '$.kanal') IN ('digital', 'svarinn') THEN 'digitalt'
      ELSE 'annet' END,
    st_varslet = json_extract(v.view, '$.varsletAt') IS NOT NULL,
    st_lest = json_extract(v.view, '$.varsletAt') IS NOT NULL AND json_extract(v.view, '$.lestAt') IS NOT NULL,
    st_lesetid_ms = CASE WHEN json_extract(v.view, '$.lestAt') >= json_extract(v.view, '$.varsletAt')
      THEN json_extract(v.view, '$.lestAt') - json_extract(v.view, '$.varsletAt') END,
    st_manuell = json_extract(v.view, '$.sendtPrintAt') IS NOT NULL AND json_extract(v.view, '$.printLeverandor') = 'manual',
    st_kvittering = json_extract(v.view, '$.kvittering') IS NOT NULL,
    st_sider = COALESCE(json_extract(v.view, '$.kvittering.sider'), 0),
    st_ark = COALESCE(json_extract(v.view, '$.kvittering.ark'), 0),
    st_konvolutter = COALESCE(json_extract(v.view, '$.kvittering.konvolutter'), 0),
    st_porto = COALESCE(json_extract(v.view, '$.kvittering.porto'), 0),
    st_produksjon = COALESCE(json_extract(v.view, '$.kvittering.produksjonskostnad'), 0),
    st_konteringskode = CASE WHEN json_extract(v.view, '$.kvittering') IS NOT NULL
      THEN COALESCE(json_extract(v.view, '$.kvittering.konteringskode'), json_extract(v.view, '$.input.konteringskode')) END
  -- A view that is not valid JSON keeps the defaults ('annet') instead of failing the upgrade:
  -- json_extract on it would stop every node from starting.
  FROM forsendelse_views AS v WHERE v.id = f.id AND json_valid(v.view);
  CREATE INDEX forsendelser_statistikk ON forsendelser (mottatt_at, avsender, st_levering, st_varslet, st_lest,
    st_lesetid_ms, st_manuell, st_kvittering, st_sider, st_ark, st_konvolutter, st_porto, st_produksjon, st_konteringskode);
  `,
  // Send attempts by fingerprint for the duplicate rule (SendAttempts, docs/interfaces.md §8):
  // counted by (fingerprint, at); expired ones found by expires_at.
  `
  CREATE TABLE send_attempts (
    id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX send_attempts_fingerprint ON send_attempts (fingerprint, at);
  CREATE INDEX send_attempts_expiry ON send_attempts (expires_at);
  `,
  // Webhook subscriptions and their outbox / delivery log (src/storage/sqlite/sqlite-webhook-store.ts).
  `
  CREATE TABLE webhook_abonnementer (
    id TEXT PRIMARY KEY,
    avsender TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    scanned_until INTEGER NOT NULL
  );
  CREATE INDEX webhook_abonnementer_avsender ON webhook_abonnementer (avsender, created_at);
  CREATE TABLE webhook_leveranser (
    subscription_id TEXT NOT NULL,
    forsendelse_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    give_up_at INTEGER NOT NULL,
    last_attempt_at INTEGER,
    last_result TEXT,
    delivered_at INTEGER,
    PRIMARY KEY (subscription_id, forsendelse_id, seq)
  ) WITHOUT ROWID;
  CREATE INDEX webhook_leveranser_due ON webhook_leveranser (state, next_attempt_at);
  CREATE INDEX webhook_leveranser_log ON webhook_leveranser (subscription_id, created_at, seq);
  CREATE INDEX webhook_leveranser_delivered ON webhook_leveranser (state, delivered_at);
  `,
  // Receiving systems (SvarInn): one JSON document per system; the warnings sent to its contact beside it.
  `
  CREATE TABLE mottakersystemer (
    id TEXT PRIMARY KEY,
    orgnr TEXT NOT NULL,
    navn TEXT NOT NULL,
    data TEXT NOT NULL,
    varsler TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL
  );
  CREATE INDEX mottakersystemer_orgnr ON mottakersystemer (orgnr);
  `,
  // The installation's CMS key pairs (InstallationKeyStore): `nummer` is the primary key, so
  // nodes starting at once create the first key exactly once.
  `
  CREATE TABLE installasjonsnokler (
    nummer INTEGER PRIMARY KEY,
    sertifikat_pem TEXT NOT NULL,
    privatnokkel_pem TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  // Fiks integrations (REST v2/v3) and their grants; every avsender gets a kontoId (a
  // random UUID v4, written once here, so it stays the same from now on).
  `
  CREATE TABLE integrasjoner (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE integrasjon_tilganger (
    integrasjon_id TEXT NOT NULL REFERENCES integrasjoner (id) ON DELETE CASCADE,
    avsender TEXT NOT NULL,
    PRIMARY KEY (integrasjon_id, avsender)
  ) WITHOUT ROWID;
  UPDATE avsendere SET data = json_set(data, '$.kontoId',
    lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' ||
    substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))
  WHERE json_valid(data) AND json_extract(data, '$.kontoId') IS NULL;
  `,
  // The queue asks only for queued jobs by due time, active jobs by lease and failed jobs
  // by when they failed: partial indexes hold just those. A completed job, most of the
  // table, is in none of them, and a job's enqueue, claim and completion each rewrite one
  // index entry fewer (WAL pages per letter, bench/README.md).
  `
  DROP INDEX jobs_state_run_at;
  DROP INDEX jobs_state_lease;
  CREATE INDEX jobs_queued_run_at ON jobs (run_at) WHERE state = 'queued';
  CREATE INDEX jobs_active_lease ON jobs (lease_until) WHERE state = 'active';
  CREATE INDEX jobs_failed_at ON jobs (finished_at) WHERE state = 'failed';
  `,
  // Leases live from a put to the end of its intake or job: the table holds the few in
  // flight (and, during a backup, one per blob). Finding the expired ones by a scan is
  // cheap at that size and rare (the lease sweep), while the index cost every lease taken
  // and ended a page write: 4 of a letter's ~64 WAL pages (bench/README.md).
  `
  DROP INDEX blob_leases_at;
  `,
  // The receiving system a letter waits for (SvarInn), so a system's poll reads its own
  // letters: it read every letter waiting for its organisation, 200 views at a time, and
  // another system's backlog there (tens of thousands) held the node for seconds on each
  // poll (found in review). Rows stored before this step get it from their views, or, where a
  // view is no JSON or has no system (a corrupt view, which reads rebuild from the journal),
  // from the letter's last channel choice in the journal; the poll checks each letter it
  // finds (awaitsSvarInn, on the checked view) as before.
  `
  ALTER TABLE forsendelser ADD COLUMN svarinn_system TEXT;
  UPDATE forsendelser AS f SET svarinn_system = json_extract(v.view, '$.mottakersystem')
    FROM forsendelse_views AS v
   WHERE v.id = f.id AND f.status = 'KLAR_FOR_MOTTAK' AND json_valid(v.view)
     AND json_extract(v.view, '$.dokumenterSlettetAt') IS NULL;
  UPDATE forsendelser AS f SET svarinn_system = (
    SELECT json_extract(e.data, '$.mottakersystem') FROM journal_events AS e
     WHERE e.key = 'forsendelse:' || f.id AND json_valid(e.data) AND json_extract(e.data, '$.type') = 'KanalValgt'
     ORDER BY e.seq DESC LIMIT 1)
   WHERE f.status = 'KLAR_FOR_MOTTAK' AND f.svarinn_system IS NULL
     AND NOT EXISTS (SELECT 1 FROM forsendelse_views AS v WHERE v.id = f.id AND json_valid(v.view)
                     AND json_extract(v.view, '$.mottakersystem') IS NOT NULL);
  CREATE INDEX forsendelser_svarinn_system ON forsendelser (svarinn_system, mottatt_at, id)
    WHERE svarinn_system IS NOT NULL;
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** A database written by a newer version (a rollback without restoring its backup). */
export class SchemaTooNewError extends Error {
  constructor(readonly version: number) {
    super(`Databasen har skjemaversjon ${version}, nyere enn ${SCHEMA_VERSION} som denne versjonen kjenner`);
    this.name = 'SchemaTooNewError';
  }
}

/** Brings the database up to `target` (tests stop early); refuses a database from newer code. */
export function migrate(db: SqliteDatabase, target = SCHEMA_VERSION): void {
  for (;;) {
    const done = db
      .transaction(() => {
        const version = db.pragma('user_version', { simple: true }) as number;
        if (version > SCHEMA_VERSION) throw new SchemaTooNewError(version);
        const step = version < target ? MIGRATIONS[version] : undefined;
        if (step === undefined) return true;
        db.exec(step);
        db.pragma(`user_version = ${version + 1}`);
        return false;
      })
      .immediate();
    if (done) return;
  }
}

/**
 * Corrections of derived columns that earlier code wrote wrongly, run at every open after
 * the schema steps. Each changes only rows that are wrong by today's rules, so running it
 * again changes nothing, and none is a rollback barrier: an older version reads the
 * corrected columns as it reads its own.
 */
const CORRECTIONS: readonly { readonly wrong: string; readonly fix: string }[] = [
  // A letter that ended IKKE_LEVERT without going to print was not delivered, also where a
  // channel had been chosen (statistikkFakta's rule since 6 December 2026). Step 4 filled
  // the column from the channel alone, and code of 4–6 December 2026 projected it so: the
  // statistics counted such letters as delivered digitally (found in review, 7 December 2026).
  {
    wrong: "SELECT 1 FROM forsendelser WHERE status = 'IKKE_LEVERT' AND st_levering = 'digitalt' LIMIT 1",
    fix: "UPDATE forsendelser SET st_levering = 'annet' WHERE status = 'IKKE_LEVERT' AND st_levering = 'digitalt'",
  },
];

/** Applies the corrections a database needs (those that find a wrong row), each in its own write transaction. */
export function correctDerivedColumns(db: SqliteDatabase): void {
  for (const c of CORRECTIONS) {
    if (db.prepare(c.wrong).get() === undefined) continue;
    db.transaction(() => db.exec(c.fix)).immediate();
  }
}
