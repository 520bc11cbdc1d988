/**
 * The storage ports. Adapters live one folder each (`sqlite/`, `files/`, `mongo/`,
 * `bullmq/`, `memory/`, `redis/`); no driver type appears in these signatures. One contract
 * suite per port (`test/contract/<port>.ts`) runs against every adapter.
 */
import type { Readable } from 'node:stream';
import type { AttemptCount, LockRule } from '../domain/attempt-lock.js';
import type { BlobRef, ForsendelseStatus, Kanal } from '../domain/model.js';
import type { StatistikkFakta } from '../domain/statistics-facts.js';
import type { ClaimGroup, FairClaim } from './webhook-claims.js';

export type { ClaimGroup, FairClaim };

/** A JSON value as stored by the journal and the job queue. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---------------------------------------------------------------- Journal

/** One persisted event of one persistent actor (a forsendelse). */
export interface JournalEvent {
  /** Persistence key, e.g. `forsendelse:<uuid>`. */
  readonly key: string;
  /** 1, 2, 3, … per key; the journal refuses a second event with the same (key, seq). */
  readonly seq: number;
  readonly data: Json;
  readonly tags: readonly string[];
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/** A snapshot of an actor's state at a sequence number. */
export interface JournalSnapshot {
  readonly key: string;
  readonly seq: number;
  readonly data: Json;
  readonly createdAt: number;
}

/** Thrown by `Journal.append` when (key, seq) is taken: another writer got there first. */
export class SequenceConflictError extends Error {
  constructor(
    readonly key: string,
    readonly seq: number,
  ) {
    super(`Journal already holds ${key}#${seq}`);
    this.name = 'SequenceConflictError';
  }
}

/** Append-only event store: the durable truth of every forsendelse. */
export interface Journal {
  /**
   * Appends the events atomically and durably (all or none) and resolves only when they
   * would survive `kill -9`. Throws SequenceConflictError if any (key, seq) exists.
   */
  append(events: readonly JournalEvent[]): Promise<void>;
  /** Events of `key` with seq > afterSeq, in seq order. */
  read(key: string, afterSeq: number): Promise<JournalEvent[]>;
  /** Highest seq stored for `key`, 0 when none. */
  highestSeq(key: string): Promise<number>;
  /** Latest snapshot of `key`, if any. */
  latestSnapshot(key: string): Promise<JournalSnapshot | undefined>;
  /** Stores a snapshot (replaces an older one of the same key). */
  saveSnapshot(snapshot: JournalSnapshot): Promise<void>;
  /**
   * Distinct keys with an event appended at or after `sinceMs` (epoch ms). At start-up the
   * node compares their highest seq with the read model's projected seq to repair
   * projections and effects that a crash interrupted; an index on createdAt keeps it cheap.
   */
  keysAppendedSince(sinceMs: number): Promise<string[]>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- ReadModel

/** The queryable projection of one forsendelse. `view` is the domain's full JSON view. */
export interface ForsendelseRecord {
  readonly id: string;
  readonly avsender: string;
  readonly status: ForsendelseStatus;
  /** Epoch milliseconds of the last status change. */
  readonly sisteStatusEndring: number;
  /** Epoch milliseconds when received. */
  readonly mottattAt: number;
  readonly tittel: string;
  readonly eksternref?: string;
  readonly mottakerNavn?: string;
  /** Fødselsnummer or organisasjonsnummer of the recipient, when digital. */
  readonly mottakerId?: string;
  readonly kanal?: Kanal;
  /**
   * The receiving system (SvarInn) the letter waits for, while it waits (awaitsSvarInn): a
   * system's poll finds its own letters by it, whatever else waits for its organisation.
   */
  readonly svarinnSystem?: string;
  /** Journal seq of the last event projected into this record. */
  readonly seq: number;
  /** Full view for status, history, metadata and the admin web (domain-defined JSON). */
  readonly view: Json;
  /**
   * What the statistics count of this letter, in compact columns the store aggregates
   * (`aggregateStatistics`). A record without it counts as received and delivered 'annet'.
   */
  readonly fakta?: StatistikkFakta;
}

/** Admin search (all filters optional, combined with AND; newest first). */
export interface ForsendelseQuery {
  readonly id?: string;
  /** Only these avsendere (access control: a local admin's organisation). */
  readonly avsendere?: readonly string[];
  readonly status?: readonly ForsendelseStatus[];
  /** Epoch ms, inclusive, on mottattAt. */
  readonly fra?: number;
  /** Epoch ms, exclusive, on mottattAt. */
  readonly til?: number;
  /** Substring of the recipient's name, case-insensitive. */
  readonly mottakerNavn?: string;
  /** Exact fødselsnummer / orgnr. */
  readonly mottakerId?: string;
  /** Substring of the title, case-insensitive. */
  readonly tittel?: string;
  readonly eksternref?: string;
  /** Only letters waiting for this receiving system (ForsendelseRecord.svarinnSystem). */
  readonly svarinnSystem?: string;
  /** Only letters sent to the manual print queue (true) or not (false): StatistikkFakta.manuellPrint. */
  readonly manuellPrint?: boolean;
  /** Oldest first (by mottattAt, then id) instead of newest first: SvarInn hands on the oldest. */
  readonly oldestFirst?: boolean;
  /**
   * A cursor: the page begins after this letter in the list's order (`offset` counts from
   * there); `total` still counts every match. A list paged by offset repeats rows when
   * letters arrive between pages; one paged from its last row does not.
   */
  readonly etter?: { readonly mottattAt: number; readonly id: string };
  readonly limit: number;
  readonly offset: number;
}

/** A page of search results (records without their `view` are enough for lists). */
export interface ForsendelsePage {
  readonly items: readonly ForsendelseRecord[];
  /** Total matching, for paging. */
  readonly total: number;
}

/** What `aggregateStatistics` sums: letters received in [grenser[0], grenser[last]). */
export interface StatisticsQuery {
  /** Only these avsendere (undefined: all; an empty list matches nothing). */
  readonly avsendere?: readonly string[];
  /**
   * Ascending epoch-ms bucket boundaries on mottattAt (at least two): bucket i is
   * [grenser[i], grenser[i + 1]). The caller chooses them (Oslo days or months), so the
   * store needs no calendar.
   */
  readonly grenser: readonly number[];
  /** Ascending read-time thresholds (ms): the distribution counts below each, and the rest. */
  readonly lesetidGrenser: readonly number[];
}

/** Sums over the letters of one avsender in one bucket. */
export interface StatisticsGroup {
  readonly avsender: string;
  /** Index of the bucket (see StatisticsQuery.grenser). */
  readonly bucket: number;
  readonly antall: number;
  readonly digitalt: number;
  readonly papir: number;
  readonly annet: number;
  readonly varslet: number;
  readonly lest: number;
  readonly kvitteringer: number;
  readonly sider: number;
  readonly ark: number;
  readonly konvolutter: number;
  readonly portoOre: number;
  readonly produksjonOre: number;
  /** Sent to manual print. */
  readonly manuelle: number;
  /** Sent to print, no receipt yet. */
  readonly utenKvittering: number;
}

/** The whole aggregate of a statistics query. */
export interface StatisticsAggregate {
  /** One entry per (avsender, bucket) with at least one letter; any order. */
  readonly grupper: readonly StatisticsGroup[];
  /** Receipts per konteringskode (undefined: none), any order. */
  readonly konteringskoder: readonly { readonly kode?: string; readonly antall: number; readonly kostnadOre: number }[];
  readonly lesetider: {
    readonly antall: number;
    readonly sumMs: number;
    /** The median (mean of the middle two for an even count); undefined when none. */
    readonly medianMs?: number;
    /** lesetidGrenser.length + 1 counts: below the first threshold, …, at or above the last. */
    readonly fordeling: readonly number[];
  };
}

/** A letter's status, as `ReadModel.statusesOf` reads it. */
export interface StatusRow {
  readonly id: string;
  readonly avsender: string;
  readonly status: ForsendelseStatus;
  readonly sisteStatusEndring: number;
}

/** Queryable projection of forsendelser, kept by the forsendelse actor after each event. */
export interface ReadModel {
  /** Inserts or replaces the record unless the stored one has a higher or equal seq. */
  upsert(record: ForsendelseRecord): Promise<void>;
  get(id: string): Promise<ForsendelseRecord | undefined>;
  getMany(ids: readonly string[]): Promise<ForsendelseRecord[]>;
  /**
   * The status of each letter found among `ids`, in the order of `ids`, from the status
   * columns alone: a status list of 15 000 ids read and parsed every view (0.5 s of the main
   * thread, where the columns take 37 ms; found in review).
   */
  statusesOf(ids: readonly string[]): Promise<StatusRow[]>;
  /** Ids of `avsender`'s forsendelser with this eksternref, oldest first. */
  idsByEksternref(avsender: string, eksternref: string): Promise<string[]>;
  search(query: ForsendelseQuery): Promise<ForsendelsePage>;
  /** Ids in one of `statuses`, oldest first, for recovery sweeps and the print queue. */
  idsByStatus(statuses: readonly ForsendelseStatus[], limit: number): Promise<string[]>;
  /** Up to `limit` ids greater than `after` (all when undefined), in id order: sweeps over every letter. */
  idsAfter(after: string | undefined, limit: number): Promise<string[]>;
  /** Seq projected for each id (0 when absent), to find projections a crash interrupted. */
  projectedSeq(ids: readonly string[]): Promise<Map<string, number>>;
  /**
   * The statistics of the letters received in the query's period, summed by the store over
   * the records' `fakta` (an aggregate query over compact columns: no views are read).
   */
  aggregateStatistics(query: StatisticsQuery): Promise<StatisticsAggregate>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- BlobStore

/** A byte range, inclusive on both ends as in HTTP Range. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Options of BlobStore.put. */
export interface PutOptions {
  /** Aborts with PayloadTooLargeError beyond this many bytes. */
  readonly maxBytes?: number;
  /**
   * The lease the put takes on the blob (an intake's token, see `releaseLease`); a fresh
   * anonymous one when absent, which only expiry (`collectGarbage`) ends.
   */
  readonly lease?: string;
}

/**
 * Content-addressed document store: the key of a blob is the SHA-256 of its bytes, so the
 * same leaflet sent with a thousand letters is one blob. A blob is therefore deleted only
 * when nothing holds it: no **reference** (a forsendelse that uses it: `claim` until
 * `release`) and no **lease** (every put takes one, so stored bytes survive until the
 * intake has claimed them or given up). Releasing the last holder deletes the bytes at
 * once; leases of puts whose process died expire after a grace period (`collectGarbage`).
 * The check and the deletion are atomic against a concurrent put or claim, across
 * processes and nodes: a put that returned keeps its bytes while its lease lasts, and a
 * claim made before the lease is released keeps them until released.
 */
export interface BlobStore {
  /**
   * Stores the bytes durably (temp file, fsync, rename; or the engine's equivalent) under a
   * lease and returns their address. Storing bytes already present is cheap and returns the
   * same ref.
   */
  put(source: Uint8Array | AsyncIterable<Uint8Array>, options?: PutOptions): Promise<BlobRef>;
  /** Whole content. Throws NotFoundError if absent. */
  get(sha256: string): Promise<Uint8Array>;
  /** Streams the content, or a range of it. Throws NotFoundError if absent. */
  stream(sha256: string, range?: ByteRange): Promise<Readable>;
  /** Size in bytes, or undefined if absent. */
  size(sha256: string): Promise<number | undefined>;
  /**
   * Records that `owner` (a forsendelse id) uses these blobs (idempotent); durable on
   * return. Throws (and records nothing) if a blob is no longer stored — e.g. its lease
   * expired before the claim — so a forsendelse is never acknowledged without its bytes.
   */
  claim(owner: string, sha256s: readonly string[]): Promise<void>;
  /**
   * Ends a lease; blobs then held by nothing are deleted. Returns how many. `batched`: the
   * lease only held bytes that are claimed now, so nothing waits on its end: a store may
   * end it with its next commit (SQLite: write-transaction.ts) instead of in one of its own.
   */
  releaseLease(lease: string, options?: { readonly batched?: boolean }): Promise<number>;
  /** Drops every reference of `owner`; blobs then held by nothing are deleted. Returns how many. */
  release(owner: string): Promise<number>;
  /**
   * Ends leases older than `graceMs` (their puts' processes died, or never claimed) and
   * deletes the blobs then held by nothing, plus what an interrupted release left. Returns
   * how many blobs were deleted.
   */
  collectGarbage(graceMs: number, now?: number): Promise<number>;
  /** Removes the blob whoever holds it (operator tools and tests); absent is not an error. */
  delete(sha256: string): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- JobQueue

/** A job to run once, at or after `runAt`, retried with backoff on failure. */
export interface JobSpec {
  /** Deterministic id, e.g. `notify:<forsendelse-id>`: enqueuing an existing id is a no-op. */
  readonly id: string;
  /** Names a handler in the registry (`src/jobs/registry.ts`). */
  readonly type: string;
  readonly payload: Json;
  /**
   * Epoch ms; now when absent. A time in the past is due at once; among due jobs the
   * embedded queue runs the oldest `runAt` first (BullMQ: in the order enqueued).
   */
  readonly runAt?: number;
  /** Default DEFAULT_MAX_ATTEMPTS (100: about four days of retries, job-retry.ts). */
  readonly maxAttempts?: number;
  /** First retry delay in ms, doubled each attempt up to an hour; default 1000. */
  readonly backoffMs?: number;
}

/** What a handler is given. */
export interface JobRun {
  readonly id: string;
  readonly type: string;
  readonly payload: Json;
  /** 1 on the first run. */
  readonly attempt: number;
}

/** Runs one job; throwing schedules a retry (or fails it for good: PermanentJobError). */
export type JobHandler = (job: JobRun) => Promise<void>;

/** Thrown by a handler when retrying cannot help: the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

/** A running consumer of a job queue. */
export interface JobWorker {
  /** Stops taking jobs and waits for the ones in flight. */
  stop(): Promise<void>;
}

/** How a worker runs its jobs. */
export interface WorkOptions {
  /** At most this many jobs at once. */
  readonly concurrency: number;
  /**
   * True while this node answers requests a caller waits for. A hint: the embedded queue
   * then starts a job only when no job started in the last 200 ms is still running (the
   * main thread answers first; jobs waiting on the network or a PDF thread do not hold
   * others back), and back to `concurrency` within a poll interval once it is false;
   * BullMQ's workers, in cluster mode, keep `concurrency`.
   */
  readonly foregroundBusy?: () => boolean;
}

/** What JobQueue.fillIfNeeded did. */
export type FillOutcome = 'held' | 'busy' | 'filled' | 'incomplete';

/**
 * What a queue kept apart from the store (Redis) offers to find work it lost while keeping its
 * fill mark: a Redis restored from a snapshot, an AOF that lost its last second, a failover to
 * a replica that was behind (src/composition/recent-work-check.ts).
 */
export interface QueueApartFromStore {
  /**
   * The time through which the queue is known to hold the jobs of every letter written to
   * the store; it goes back with a Redis that goes back in time. Undefined when never set.
   */
  heldThrough(): Promise<number | undefined>;
  /** Records `at` as held through, unless a later time is recorded. */
  markHeldThrough(at: number): Promise<void>;
  /** Of `jobs`, those the queue has no job of, in any state. */
  missing(jobs: readonly JobSpec[]): Promise<JobSpec[]>;
}

/** Durable job queue: due time, lease, attempts; survives restarts; any node may run a job. */
export interface JobQueue {
  /** Present where the queue is kept apart from the store; a queue in the store's own database holds its work always. */
  readonly apart?: QueueApartFromStore;
  /** Adds the job unless one with that id exists (in any state); true when added. */
  enqueue(job: JobSpec): Promise<boolean>;
  /**
   * Runs `fill` when the queue may lack the jobs the stored letters wait for
   * (src/composition/requeue.ts): a queue kept apart from the store (Redis) that was never
   * filled from it or has lost its data, or one asked to by requestRefill, which first has
   * every job not running removed (those of the store's other time). One process at a time:
   * 'busy' when another one fills. `fill` queues the letters' jobs with enqueue, checks
   * `held()` between pages (false once this process lost its turn, as when Redis is flushed
   * meanwhile) and says whether it went through every letter; only then is the queue marked
   * filled ('filled'; else 'incomplete', and the next call fills again). A queue in the
   * store's own database holds them always: 'held', and `fill` never runs.
   */
  fillIfNeeded(fill: (held: () => boolean) => Promise<boolean>): Promise<FillOutcome>;
  /**
   * Has the next fillIfNeeded fill the queue afresh (after a restore of the store, or
   * `budbringer requeue`). With `removeOld`, the jobs not running are removed first and no
   * job runs until then (the queue is paused); without it the queue is only filled (one that
   * lost its newest writes). False where the queue is in the store's own database.
   */
  requestRefill(options: { readonly removeOld: boolean }): Promise<boolean>;
  /** Removes a waiting or delayed job (e.g. a deadline made moot); true when removed. */
  cancel(id: string): Promise<boolean>;
  /** Starts consuming jobs of the handlers' types with at most `concurrency` in flight. */
  work(handlers: Readonly<Record<string, JobHandler>>, options: WorkOptions): JobWorker;
  /** Count of jobs per state, for /metrics and the admin web. */
  counts(): Promise<Record<JobState, number>>;
  /** The job's current state, or undefined if unknown. */
  state(id: string): Promise<JobState | undefined>;
  /**
   * Jobs in one state for the operators (admin web, metrics): failed ones newest first,
   * waiting and delayed ones by due time, the longest-waiting first. At most `limit`.
   */
  list(state: ListedJobState, limit: number): Promise<JobListing[]>;
  /**
   * Job `id` as `list` shows it, when it is failed, waiting or delayed now (a letter's page
   * shows the work it waits for and why the last try failed); undefined when it is running,
   * done or unknown.
   */
  listed(id: string): Promise<JobListing | undefined>;
  /** Puts a failed job back to run now with its attempts counted afresh; false when it is not failed. */
  retry(id: string): Promise<boolean>;
  /** Removes a failed job for good (its letter keeps its status); false when it is not failed. */
  discard(id: string): Promise<boolean>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- ChangeWriter

/**
 * The rows one change of a forsendelse writes: its new journal events, the jobs its new
 * state waits for (JobQueue.enqueue: an existing id is left alone) and its read-model
 * record; a new letter also claims its documents (BlobStore.claim) with it.
 */
export interface ForsendelseChange {
  readonly events: readonly JournalEvent[];
  readonly jobs: readonly JobSpec[];
  readonly record: ForsendelseRecord;
  /** Blobs that `record.id` comes to hold with this change. */
  readonly claims?: readonly string[];
}

/**
 * Writes a forsendelse's change durably (as Journal.append: it survives `kill -9` once
 * this resolves). Where one store holds every row (embedded mode: the SQLite file with the
 * jobs table), in one transaction, committed with the other writes of the moment (group
 * commit, src/storage/sqlite/write-transaction.ts); elsewhere in the order claims, events, jobs, record, each
 * durable before the next, so a process killed in between leaves the journal ahead of the
 * record, which the repair of a woken actor (the repair sweep, start-up repair) completes.
 * SequenceConflictError when an event's (key, seq) is taken; then no event, job or record of
 * the change was written (claims written first stay, as after a failed claimed send).
 * ChangeIncompleteError when the events are stored but a later step failed or did not
 * finish in time (the job queue is away): the change has happened, and repair completes it.
 */
export interface ChangeWriter {
  write(change: ForsendelseChange): Promise<void>;
}

/**
 * The change's events are stored (the change has happened: the letter exists), but its jobs
 * or record were not written, or not within the time a caller can wait; the record is then
 * left behind the journal, which the repair sweep looks for: it queues the work and projects.
 */
export class ChangeIncompleteError extends Error {
  constructor(
    readonly forsendelseId: string,
    override readonly cause: unknown,
  ) {
    super(`Forsendelse ${forsendelseId}: hendelsene er lagret, jobber og visning fullføres av reparasjonen`);
    this.name = 'ChangeIncompleteError';
  }
}

/** The states the operators list: work that failed for good, or is due or scheduled. */
export type ListedJobState = 'failed' | 'waiting' | 'delayed';

/** One job as the operators see it. */
export interface JobListing {
  readonly id: string;
  readonly type: string;
  readonly state: ListedJobState;
  readonly payload: Json;
  /** Attempts started so far. */
  readonly attempts: number;
  readonly maxAttempts: number;
  /** The error of the last failed attempt, if any. */
  readonly lastError?: string;
  readonly createdAt: number;
  /**
   * Epoch ms: when it failed for good (failed), when it is due (delayed), or since when it
   * has waited (waiting: due and enqueued, the later of `runAt` and `createdAt`).
   */
  readonly at: number;
}

// ---------------------------------------------------------------- ConfigStore

/** A sender account (avsender) with its cover page, notification texts and print setup. */
export interface Avsender {
  readonly navn: string;
  /**
   * The account's id in REST v2/v3 paths (`/api/v2/kontoer/{kontoId}/…`): a UUID given at
   * creation; an avsender stored without one gets one from the store at migration (SQLite) or
   * first read (both stores), written only where none is, so it never changes.
   */
  readonly kontoId?: string;
  readonly orgnr?: string;
  /** scrypt hash of the service password, `scrypt$N$r$p$salt$hash` (base64). */
  readonly passordHash: string;
  readonly forside: {
    readonly navn: string;
    readonly adresselinjer: readonly string[];
    readonly postnr: string;
    readonly poststed: string;
    readonly tekst: string;
  };
  readonly varsling: {
    /** E-mail subject; `{avsender}` and `{tittel}` are replaced. */
    readonly epostEmne: string;
    /** E-mail body; `{avsender}`, `{tittel}`, `{lenke}` are replaced. */
    readonly epostTekst: string;
    readonly smsTekst: string;
    /** Where organisations are notified (organisation recipients' inbox). */
    readonly organisasjonEpost?: string;
  };
  readonly print: { readonly leverandor: 'filedrop' | 'manual' };
  /** How the recipient's inbox page presents the sender (absent: name only, bokmål). */
  readonly mottakerside?: {
    /** A contact line shown to recipients, e.g. "Servicetorget, tlf. 22 00 00 00, post@kommune.no". */
    readonly kontakt?: string;
    /** The page's language until the recipient picks another: bokmål, nynorsk or English. */
    readonly sprak?: 'nb' | 'nn' | 'en';
    /** The sender's logo (PNG or JPEG) in the blob store, held by owner `logo:<navn>`. */
    readonly logo?: { readonly sha256: string; readonly size: number; readonly mimetype: 'image/png' | 'image/jpeg' };
  };
  readonly createdAt: number;
}

/** An admin web user. */
export interface AdminUser {
  readonly brukernavn: string;
  readonly passordHash: string;
  readonly rolle: 'admin' | 'local-admin' | 'sender-only';
  /** For local-admin: the orgnr whose avsendere they manage. */
  readonly orgnr?: string;
  /** For sender-only: the one avsender they may send as. */
  readonly avsender?: string;
  readonly createdAt: number;
  /**
   * Part of every session's fingerprint; a new random value at logout ends every session
   * of the user on every node (a copied cookie included). Absent until the first logout.
   */
  readonly sesjonsnokkel?: string;
}

/** Sender accounts and admin users: small, rarely written, read on every request. */
export interface ConfigStore {
  /** Creates the avsender; ConflictError if the name is taken. */
  createAvsender(avsender: Avsender): Promise<void>;
  getAvsender(navn: string): Promise<Avsender | undefined>;
  listAvsendere(): Promise<Avsender[]>;
  /** Replaces the avsender of that name; NotFoundError if absent. */
  updateAvsender(avsender: Avsender): Promise<void>;
  /** Creates or replaces the user of that name. */
  putUser(user: AdminUser): Promise<void>;
  getUser(brukernavn: string): Promise<AdminUser | undefined>;
  listUsers(): Promise<AdminUser[]>;
  /** Creates the integration; ConflictError if the id is taken. */
  createIntegrasjon(integrasjon: Integrasjon): Promise<void>;
  getIntegrasjon(id: string): Promise<Integrasjon | undefined>;
  /** Every integration, by navn then id. */
  listIntegrasjoner(): Promise<Integrasjon[]>;
  /** Replaces the integration's password hash; NotFoundError if absent. */
  setIntegrasjonPassord(id: string, passordHash: string): Promise<void>;
  /**
   * Grants (`tilgang` true) or revokes the integration's access to an avsender's account, as
   * one atomic write (two admins granting at once both stay); NotFoundError if absent.
   */
  setIntegrasjonTilgang(id: string, avsender: string, tilgang: boolean): Promise<void>;
  /** Authorises (`autorisert` true) or no longer authorises an organisation number for the integration, atomically; NotFoundError if absent. */
  setIntegrasjonOrganisasjon(id: string, orgnr: string, autorisert: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * A Fiks integration (REST v2/v3, docs/interfaces.md "REST v2 and v3"): the system that calls
 * with `IntegrasjonId` + `IntegrasjonPassord` (or a Fiksporten token naming it), acting for
 * the sender accounts it has been granted.
 */
export interface Integrasjon {
  /** A UUID, the `IntegrasjonId` header. */
  readonly id: string;
  /** What the integration is (shown in the admin web), e.g. "Sak/arkiv Elements". */
  readonly navn: string;
  /** scrypt hash of the password, as Avsender.passordHash. */
  readonly passordHash: string;
  /** Names of the avsendere it may act for, sorted. */
  readonly kontoer: readonly string[];
  /**
   * Organisation numbers authorised to call with it besides those of its avsendere, sorted:
   * a Maskinporten token's `consumer` must be one of them (KS: "Org.nr i Jwt'en i
   * Authorization header må være konfigurert som autorisert organisasjon for integrasjonen").
   * Absent in integrations stored before 6 December 2026: none.
   */
  readonly organisasjoner?: readonly string[];
  readonly createdAt: number;
}

// ---------------------------------------------------------------- AuditLog

/** One recorded admin action (who, what, when). */
export interface AuditEntry {
  /** Epoch milliseconds. */
  readonly at: number;
  /** User name (or the name tried, for a failed login). */
  readonly bruker: string;
  /** Stable action code, e.g. `forsendelse.manuelt-handtert`. */
  readonly handling: string;
  /** What the action was about: a forsendelse id, an avsender, a user. */
  readonly objekt?: string;
  /** Free text in Norwegian, e.g. the reason given; kept up to 2000 characters. Never a password. */
  readonly detaljer?: string;
  /** Client address. */
  readonly adresse?: string;
}

/** A stored entry with its sequence number (unique, increasing in recording order per store). */
export interface StoredAuditEntry extends AuditEntry {
  readonly id: number;
}

/** Filters for reading the log (exact matches, combined with AND; empty = no filter). */
export interface AuditQuery {
  readonly bruker?: string;
  readonly handling?: string;
  readonly objekt?: string;
  readonly limit: number;
  readonly offset: number;
}

/**
 * Append-only log of admin actions, shared by every node of a deployment (embedded: the
 * SQLite file; cluster: MongoDB), so the admin web shows the same log whichever node answers.
 */
export interface AuditLog {
  /** Appends one entry durably. */
  record(entry: AuditEntry): Promise<void>;
  /** A page of entries, newest first, and the total matching. */
  list(query: AuditQuery): Promise<{ items: StoredAuditEntry[]; total: number }>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- SendAttempts

/** One recorded send attempt and how many like it came before it in the window. */
export interface RecordedSendAttempt {
  /** The attempt's own id (for `remove`). */
  readonly id: string;
  /** Attempts under the same fingerprint at or after `since` that were recorded before this one (at least up to 1000). */
  readonly earlier: number;
}

/**
 * Recent attempts to send a letter, by fingerprint (a hash of avsender, tittel and mottaker),
 * for the duplicate rule of docs/interfaces.md §8: more than 25 alike within 2 days are
 * refused. One indexed read and write per send, shared by every node (embedded: the SQLite
 * file; cluster: MongoDB). The attempts of one fingerprint are recorded one after the other,
 * also across nodes, so of concurrent sends each sees the ones before it; entries are
 * dropped after `expiresAt`.
 */
export interface SendAttempts {
  /**
   * Records an attempt under `fingerprint` at `at` (epoch ms), kept until `expiresAt`, and
   * counts the attempts under it at or after `since` recorded before it.
   */
  record(fingerprint: string, at: number, since: number, expiresAt: number): Promise<RecordedSendAttempt>;
  /** Removes an attempt (the send failed for another reason); absent is not an error. */
  remove(id: string): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- AttemptCounter

/** One key an attempt counts under, and the failures it allows before its lock. */
export interface AttemptKey {
  readonly key: string;
  readonly allowed: number;
}

/**
 * Failed attempts (admin logins, level-4 codes and code SMS) per opaque key, for the
 * throttles of src/http/attempt-throttle.ts. Embedded: in the SQLite file; with Redis:
 * shared by every node, so N nodes allow no more guesses than one. Keys carry no personal
 * data (the throttle hashes user names, letter ids and addresses); the lock rule is
 * `lockLeftMs` in src/domain/attempt-lock.ts.
 */
export interface AttemptCounter {
  /**
   * In one atomic step, also against other nodes: when no key is locked at `now`, adds a
   * failure to every key (one whose failures are forgotten starts again at 1; last = now)
   * and returns 0; when one is, changes nothing and returns the longest wait in ms.
   */
  addUnlessLocked(keys: readonly AttemptKey[], rule: LockRule, now: number): Promise<number>;
  /** The key's failures at `now`; undefined when it has none within windowMs. */
  read(key: string, windowMs: number, now: number): Promise<AttemptCount | undefined>;
  /** Forgets the key's failures. */
  forget(key: string): Promise<void>;
  /** Takes one failure back from the key (not below 0); its last time stays. */
  takeBack(key: string): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- ServedParts

/**
 * Which parts (HTTP ranges) of a file its recipient has been sent, so a file fetched in
 * pieces counts as read once every byte has gone (docs/architecture.md step 7). In this
 * process's memory on one node; in Redis with REDIS_URL, so the parts that several nodes
 * behind a load balancer served add up. Keys name a file and carry no personal data.
 */
export interface ServedParts {
  /**
   * In one atomic step, also against other nodes: adds `range` (inclusive) of the
   * `size`-byte file `key` at `now`; true when the parts so far cover the whole file (the
   * key is then forgotten: the next part starts anew). A file's parts are forgotten a day
   * after its last one.
   */
  add(key: string, range: ByteRange, size: number, now: number): Promise<boolean>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- WebhookStore

/**
 * A sender's webhook subscription: every status change and history event of the avsender's
 * letters is POSTed to `url`, signed with `secret` (src/app/webhooks/). `scannedUntil` is the
 * durable cursor of the journal scan: every journal event appended before it (less the
 * scan's overlap) is already in this subscription's outbox.
 */
export interface WebhookSubscription {
  readonly id: string;
  readonly avsender: string;
  readonly url: string;
  /** The HMAC key; stored as given, since every delivery is signed with it. */
  readonly secret: string;
  readonly createdAt: number;
  /** Epoch ms; starts at createdAt, only ever moves forward. */
  readonly scannedUntil: number;
}

export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

/** Identifies one delivery: one journal event of one letter to one subscription. */
export interface WebhookDeliveryKey {
  readonly subscriptionId: string;
  readonly forsendelseId: string;
  readonly seq: number;
}

/** One event in a subscription's outbox (and, once sent, its delivery log). */
export interface WebhookDelivery extends WebhookDeliveryKey {
  /** The CloudEvent's id (stable across retries). */
  readonly eventId: string;
  /** The CloudEvent's `type`. */
  readonly eventType: string;
  /** The exact body sent on every attempt (the CloudEvent as JSON). */
  readonly body: string;
  readonly state: WebhookDeliveryState;
  readonly attempts: number;
  readonly createdAt: number;
  /** Epoch ms when the next attempt is due (while pending; also the claim's lease). */
  readonly nextAttemptAt: number;
  /** After this a failed attempt marks the delivery failed instead of retrying. */
  readonly giveUpAt: number;
  readonly lastAttemptAt?: number;
  /** What the last attempt got: `HTTP 503`, a network error. */
  readonly lastResult?: string;
  readonly deliveredAt?: number;
}

/** A new outbox entry. */
export type NewWebhookDelivery = Omit<
  WebhookDelivery,
  'state' | 'attempts' | 'lastAttemptAt' | 'lastResult' | 'deliveredAt'
>;

/** Filters for reading a subscription's deliveries (newest first). */
export interface WebhookDeliveryQuery {
  readonly subscriptionId: string;
  readonly state?: WebhookDeliveryState;
  readonly limit: number;
  readonly offset: number;
}

/**
 * Webhook subscriptions and their durable outbox, shared by every node (embedded: the SQLite
 * file; cluster: MongoDB). Deliveries of one (subscription, letter) go out in seq order:
 * `claimDue` hands out only the lowest pending seq of each pair, and only when it is due.
 */
export interface WebhookStore {
  /**
   * Adds the subscription unless its avsender already has `limit` (true when added). Atomic
   * against concurrent creates: a count and an insert in two steps let 40 parallel requests
   * make 27 subscriptions where 10 are allowed (found in review).
   */
  createSubscription(subscription: WebhookSubscription, limit?: number): Promise<boolean>;
  getSubscription(id: string): Promise<WebhookSubscription | undefined>;
  /** Every subscription, or those of one avsender; oldest first. */
  listSubscriptions(avsender?: string): Promise<WebhookSubscription[]>;
  /** Removes the subscription and its outbox; false when it did not exist. */
  deleteSubscription(id: string): Promise<boolean>;
  /** Moves the cursor forward to `scannedUntil` (never back). */
  advanceCursor(id: string, scannedUntil: number): Promise<void>;
  /** Highest seq in the outbox for (subscription, letter); 0 when none. */
  lastEnqueuedSeq(subscriptionId: string, forsendelseId: string): Promise<number>;
  /** Adds the entries, skipping any key already present; returns how many were added. */
  enqueue(deliveries: readonly NewWebhookDelivery[]): Promise<number>;
  /**
   * Takes up to `limit` due deliveries, each the lowest pending seq of its (subscription,
   * letter), and moves their nextAttemptAt to `now + leaseMs`, so no other node takes them
   * meanwhile (a node that dies leaves them to be taken again when the lease runs out).
   * With `fair`, at most `fair.perSubscription` of one subscription and none of those in
   * `fair.busy` (webhook-claims.ts).
   */
  claimDue(now: number, leaseMs: number, limit: number, fair?: FairClaim): Promise<WebhookDelivery[]>;
  /** Marks it delivered (a pending or failed one). */
  markDelivered(key: WebhookDeliveryKey, at: number, result: string): Promise<void>;
  /**
   * Records a failed attempt of a pending delivery: retried at `nextAttemptAt`, or, when
   * undefined, marked failed.
   */
  markAttemptFailed(key: WebhookDeliveryKey, at: number, result: string, nextAttemptAt?: number): Promise<void>;
  /** Puts failed deliveries back to pending, due now, with a new give-up time; returns how many. */
  retryFailed(
    key: WebhookDeliveryKey | { readonly subscriptionId: string },
    now: number,
    giveUpAt: number,
  ): Promise<number>;
  /** A page of the subscription's deliveries, newest first, and the total matching. */
  listDeliveries(query: WebhookDeliveryQuery): Promise<{ items: WebhookDelivery[]; total: number }>;
  /** Deletes delivered entries delivered before `before`; returns how many. */
  pruneDelivered(before: number): Promise<number>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- MottakersystemRegister

/**
 * A receiving system (mottakersystem) of an organisation: it fetches the letters routed to
 * it through SvarInn (docs/interfaces.md §11) with its id and service password, encrypted to
 * its certificate.
 */
export interface Mottakersystem {
  /** The SvarInn user name (a UUID). */
  readonly id: string;
  readonly navn: string;
  /** The organisation whose letters it takes. */
  readonly orgnr: string;
  /** Only letters of this forsendelseType; undefined: every type. */
  readonly forsendelseType?: string;
  /** Only letters of this security level; undefined: 3 and 4. */
  readonly niva?: 3 | 4;
  /** scrypt hash of the service password (as Avsender.passordHash). */
  readonly passordHash: string;
  /** The system's X.509 certificate, PEM: downloads are encrypted to it. */
  readonly sertifikat: string;
  /** Who is warned when letters wait unfetched. */
  readonly epost?: string;
  readonly createdAt: number;
}

/** The fields a change of a receiving system may name; null removes an optional one. */
export interface MottakersystemChange {
  readonly navn?: string;
  readonly forsendelseType?: string | null;
  readonly niva?: 3 | 4 | null;
  readonly epost?: string | null;
  readonly passordHash?: string;
  readonly sertifikat?: string;
}

/** `system` with `change` applied (the adapters' one rule of what a change does). */
export function changedMottakersystem(system: Mottakersystem, change: MottakersystemChange): Mottakersystem {
  const next: Record<string, unknown> = { ...system };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as unknown as Mottakersystem;
}

/**
 * The receiving systems, shared by every node (embedded: the SQLite file; cluster:
 * MongoDB). Small and rarely written; read on every SvarInn call and routing decision.
 */
export interface MottakersystemRegister {
  /** Creates the system; ConflictError if the id is taken. */
  create(system: Mottakersystem): Promise<void>;
  get(id: string): Promise<Mottakersystem | undefined>;
  /** Every system, by orgnr then name. */
  list(): Promise<Mottakersystem[]>;
  /** The systems of one organisation, by name. */
  listForOrgnr(orgnr: string): Promise<Mottakersystem[]>;
  /**
   * Changes only the fields `change` names (null removes an optional one) in one atomic
   * write, so two changes at once (a password rotated in the CLI while the admin web replaces
   * the certificate) both take; the system as it is after. NotFoundError if absent.
   */
  update(id: string, change: MottakersystemChange): Promise<Mottakersystem>;
  /**
   * Records a warning e-mail to the system's contact at `now` unless `max` were recorded in
   * the `windowMs` before it or the last one is under `minGapMs` old: true when recorded
   * (the caller sends it). Atomic across nodes, so two workers never both warn.
   */
  claimWarning(id: string, now: number, rule: { windowMs: number; max: number; minGapMs: number }): Promise<boolean>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- InstallationKeyStore

/**
 * One of the installation's CMS key pairs (docs/interfaces.md "Encryption"): senders encrypt
 * documents to its certificate, and encrypted letters' files are kept encrypted to it.
 */
export interface InstallationKey {
  /** 1 for the first key, one more at each rotation; the highest is the current key. */
  readonly nummer: number;
  /** The self-signed X.509 certificate, PEM. */
  readonly certificatePem: string;
  /** The RSA private key, PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/** The installation's keys, shared by every node of a deployment; old keys are kept for decryption. */
export interface InstallationKeyStore {
  /** Every key, lowest `nummer` (oldest) first. */
  list(): Promise<InstallationKey[]>;
  /** Adds `key` unless a key with its `nummer` exists (another node was first): then false. */
  add(key: InstallationKey): Promise<boolean>;
  close(): Promise<void>;
}
