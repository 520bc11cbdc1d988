/**
 * Every setting, in one zod schema (docs/architecture.md, conventions). Keys are the environment variable names;
 * `config/default.json` uses the same keys. Unknown keys are errors, so a typo stops the
 * start instead of being ignored.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseIsoDuration } from '../domain/time/index.js';

const isoDuration = z
  .string()
  .refine(
    (s) => {
      try {
        parseIsoDuration(s);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'må være en ISO-8601-varighet, f.eks. P3M eller PT2M' },
  )
  // Every duration setting is a time ahead (a deadline, a lifetime, a warning delay): `-PT1M`
  // put a letter's read deadline before its notice, and the notice link expired before it was
  // sent (found in review). Zero is as meaningless, and RETENTION=P0D would delete at once.
  .refine((s) => isPositiveDuration(s), {
    message: 'må være en positiv ISO-8601-varighet, f.eks. P3M eller PT2M',
  });

function isPositiveDuration(s: string): boolean {
  try {
    const { negative, ...amounts } = parseIsoDuration(s);
    return !negative && Object.values(amounts).some((n) => n > 0);
  } catch {
    return true; // the first check names a value that is no duration at all
  }
}

/**
 * A connection URL of one of `schemes` (`smtp:` …): a value without one was read by the client
 * library as a host name or as localhost, and failed only at the first send (found in review).
 */
const connectionUrl = (schemes: readonly string[]) =>
  z.string().refine(
    // The scheme only: a MongoDB URI may name several hosts, which no URL parser takes.
    (value) => schemes.includes(/^([a-z][a-z0-9+.-]*):\/\/[^/\s]/i.exec(value.trim())?.[1]?.toLowerCase() ?? ''),
    { message: `må være en URL som begynner med ${schemes.map((s) => `${s}://`).join(' eller ')}` },
  );

/**
 * An http(s) URL: z.string().url() took `localhost:8080` (scheme "localhost:") and
 * `javascript:…`, and the inbox link in every notice, or every SMS, then led nowhere (found
 * in review).
 */
const url = z.string().refine((value) => /^https?:\/\/[^/\s]/i.test(value) && URL.canParse(value), {
  message: 'må være en absolutt URL, f.eks. https://post.kommune.no',
});

/** True when `entry` is an IP address or a CIDR range (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}
/**
 * A number from a file or an environment variable. z.coerce.number read '' as 0, so an
 * empty variable (`PORT=` in a compose file or systemd unit) silently meant 0 (a random
 * port): a blank value is refused with a message saying how to get the default, and a
 * value that is not a number says so (`PORT=abc` is not "empty").
 */
const number = z.unknown().transform((v, ctx): number => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() === '') {
    ctx.addIssue({ code: 'custom', message: 'tom verdi er ikke lov; fjern innstillingen for å bruke standardverdien' });
    return z.NEVER;
  }
  const n = typeof v === 'string' ? Number(v.trim()) : Number.NaN;
  if (Number.isNaN(n)) {
    ctx.addIssue({ code: 'custom', message: `må være et tall, ikke ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});
const port = number.pipe(z.number().int().min(0).max(65535));
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')], {
  error: 'må være true, false, 1 eller 0',
});

/** The settings schema. */
export const settingsSchema = z
  .object({
    PORT: port.default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./data'),
    /** Absolute URL the outside world reaches us at; derived from HOST and PORT when unset. */
    PUBLIC_URL: url.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `web` serves HTTP, `worker` runs jobs; a node may do both (default). */
    BUDBRINGER_ROLES: z
      .string()
      .default('web,worker')
      .transform((s) =>
        s
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r !== ''),
      )
      .pipe(z.array(z.enum(['web', 'worker'])).min(1)),
    /**
     * Load balancers whose X-Forwarded-For is believed (addresses and CIDR ranges, comma
     * separated). Empty: the socket's peer is the client, whatever the header says.
     */
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r !== ''),
      )
      .pipe(
        z.array(
          z.string().refine(isAddressOrRange, {
            message: 'må være IP-adresser eller CIDR-områder, f.eks. 10.0.0.0/8,127.0.0.1',
          }),
        ),
      ),
    /** Cluster mode when both are set (docs/architecture.md "Modes"). */
    MONGODB_URI: connectionUrl(['mongodb', 'mongodb+srv']).optional(),
    MONGODB_DB: z.string().min(1).default('budbringer'),
    REDIS_URL: connectionUrl(['redis', 'rediss']).optional(),
    QUEUE_PREFIX: z.string().min(1).default('budbringer'),
    /** NORMAL survives kill -9 (WAL in the page cache); FULL also survives power loss. */
    SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
    /**
     * Who copies the WAL back into the database file: a thread of its own (`thread`, so no
     * request waits for it) or the COMMIT that takes the WAL past 1 000 pages (`commit`,
     * SQLite's default). See src/storage/sqlite/wal-checkpointer.ts.
     */
    SQLITE_CHECKPOINTS: z.enum(['thread', 'commit']).default('thread'),
    ACTOR_IDLE_MS: number.pipe(z.number().int().min(10)).default(30_000),
    ASK_TIMEOUT_MS: number.pipe(z.number().int().min(100)).default(30_000),
    /**
     * Background jobs one process runs at once. 8: while one compose job has the PDF thread,
     * the others read documents, write files with fsync and commit, so the thread is kept
     * busy (with 4 it idled behind print jobs' file writes; bench/README.md). The documents
     * they hold are bounded by COMPOSE_MEMORY_MB, not by this. Notifications and reminders
     * have as many slots of their own (worker-part.ts).
     */
    JOB_CONCURRENCY: number.pipe(z.number().int().min(1).max(256)).default(8),
    /**
     * The document bytes that composing letters (compose and print jobs) may hold in memory
     * at once, in MiB; a letter that does not fit waits its turn, and one larger than all of
     * it waits to be alone.
     */
    COMPOSE_MEMORY_MB: number.pipe(z.number().int().min(1).max(1_048_576)).default(512),
    /**
     * Free space DATA_DIR needs, in MiB, for /readyz to say ready: below it every send would
     * fail on the full disk, and a load balancer should send the work elsewhere. 0: not checked.
     */
    READY_MIN_FREE_MB: number.pipe(z.number().int().min(0).max(1_048_576)).default(100),
    /**
     * Worker threads for PDF work (the intake's check, composing the forsendelsesfil), so
     * pdf-lib does not hold up requests on the main thread. 0 runs it on the main thread;
     * unset: one fewer than the CPUs the process may use, at least 1.
     */
    PDF_WORKERS: number.pipe(z.number().int().min(0).max(64)).optional(),
    /**
     * Embedded mode: extra processes this node starts on its DATA_DIR that run only the
     * worker part (the jobs), so a letter's background work (compose, route, notify, print:
     * claims, actor, journal, read model) is spread over cores instead of sharing this
     * node's one main thread with the requests. 0 (default) runs it all here, which suits
     * two cores; on many cores 2–4 (bench/README.md). The CPUs' PDF threads are divided
     * between the processes unless PDF_WORKERS is set.
     */
    WORKER_PROCESSES: number.pipe(z.number().int().min(0).max(32)).default(0),
    /**
     * Time budget of one PDF task (the intake's check of a document, composing a letter),
     * plus one second per MB of its bytes. A task over it fails and its thread is replaced,
     * so one hostile or broken letter cannot hold a PDF thread (issue #13); a normal letter
     * takes milliseconds.
     */
    PDF_TASK_BUDGET_MS: number.pipe(z.number().int().min(100)).default(60_000),
    JOB_POLL_MS: number.pipe(z.number().int().min(10)).default(250),
    /**
     * Job lease, in both job queues: a running job stays locked to its process this long
     * without renewal. A killed process's jobs run again elsewhere (or after its restart)
     * within about 1¼ leases. A heartbeat renews it every quarter lease (BullMQ) or third
     * (SQLite) while the job runs, so a live node keeps its jobs through event-loop stalls
     * of up to ¾ (⅔) of a lease; short leases cost only those renewals.
     */
    JOB_LEASE_MS: number.pipe(z.number().int().min(1000)).default(8_000),
    /**
     * Worker nodes look this often for forsendelser whose journal is ahead of their
     * projection and queued work. Each sweep reads what was appended in the last two
     * intervals, so a shorter interval costs about the same per second.
     */
    REPAIR_INTERVAL_MS: number.pipe(z.number().int().min(1000)).default(5_000),
    /**
     * Webhooks (docs/interfaces.md "Webhooks"): a receiver on loopback or a private network
     * is refused unless this is true (SSRF guard); worker nodes scan the journal for new
     * events every WEBHOOK_POLL_MS, retry a failed POST after WEBHOOK_BACKOFF_MS, doubled per
     * attempt up to WEBHOOK_MAX_BACKOFF_MS, for WEBHOOK_GIVE_UP_AFTER_MS, then mark it failed.
     */
    WEBHOOK_ALLOW_PRIVATE_TARGETS: bool.default(false),
    WEBHOOK_POLL_MS: number.pipe(z.number().int().min(10)).default(500),
    WEBHOOK_BACKOFF_MS: number.pipe(z.number().int().min(10)).default(5_000),
    WEBHOOK_MAX_BACKOFF_MS: number.pipe(z.number().int().min(10)).default(3_600_000),
    WEBHOOK_GIVE_UP_AFTER_MS: number.pipe(z.number().int().min(1000)).default(86_400_000),
    WEBHOOK_TIMEOUT_MS: number.pipe(z.number().int().min(100)).default(10_000),
    WEBHOOK_CONCURRENCY: number.pipe(z.number().int().min(1).max(256)).default(16),
    KRR_FILE: z.string().min(1).optional(),
    KRR_URL: url.optional(),
    KRR_TOKEN: z.string().optional(),
    SMTP_URL: connectionUrl(['smtp', 'smtps']).optional(),
    NOTIFY_FROM: z.string().min(3).default('Budbringer <ikke-svar@budbringer.local>'),
    SMS_URL: url.optional(),
    SMS_TOKEN: z.string().optional(),
    PRINT_DIR: z.string().min(1).optional(),
    /** Overrides the print deadline of two business days (tests, demos). */
    PRINT_FALLBACK_AFTER: isoDuration.optional(),
    /** Send a reminder this long before the print deadline; off when unset. */
    REMINDER_BEFORE: isoDuration.optional(),
    RETENTION: isoDuration.default('P3M'),
    /** A SvarInn letter not fetched this long warns its receiving system's contact (KS: 2 hours; at most 3 a day). */
    SVARINN_WARN_AFTER: isoDuration.default('PT2H'),
    /** How often the worker looks for unfetched SvarInn letters. */
    SVARINN_WARN_INTERVAL_MS: number.pipe(z.number().int().min(1000)).default(5 * 60_000),
    /** How long a link in a notification works. */
    INBOX_LINK_TTL: isoDuration.default('P3M'),
    /**
     * Where a recipient answers a letter sent with svarPaForsendelseLink: `{orgnr}` becomes the
     * orgnr in svarSendesTil. Default KS's eDialog (the address form of KS's REST v1 schema).
     */
    SVAR_URL: z
      .string()
      .regex(/^https:\/\/[^\s]*\{orgnr\}/, 'må være en https-adresse med {orgnr}')
      .default('https://svarut.ks.no/edialog/mottaker/{orgnr}'),
    /** Credentials of the print provider posting receipts. */
    PRINT_RECEIPT_USER: z.string().min(1).default('printleverandor'),
    PRINT_RECEIPT_PASSWORD: z.string().min(8).optional(),
    /** Largest inline-base64 document in a SOAP request, bytes; unset: MAX_FORSENDELSE_BYTES. */
    SOAP_INLINE_LIMIT: number.pipe(z.number().int().min(1024)).optional(),
    /**
     * Largest total of one forsendelse's documents, bytes, at every door (REST v1, SOAP, the
     * admin send form); refused with 413 while streaming. Default 350 MiB, SvarUt's print
     * limit (docs/interfaces.md §8); raise it for large digital-only letters. docs/limits.md.
     */
    MAX_FORSENDELSE_BYTES: number
      .pipe(
        z
          .number()
          .int()
          .min(64 * 1024),
      )
      .optional(),
    /** Old name of MAX_FORSENDELSE_BYTES, still read when that is unset. */
    MAX_BODY_BYTES: number
      .pipe(
        z
          .number()
          .int()
          .min(64 * 1024),
      )
      .optional(),
    /** A request's headers must have arrived this long after its first byte (slow senders hold a socket no longer). */
    HEADERS_TIMEOUT_MS: number.pipe(z.number().int().min(1000)).default(66_000),
    /** A request's body must have arrived this long after its first byte: SvarUt lets a call run 15 minutes (docs/interfaces.md §1). */
    REQUEST_TIMEOUT_MS: number.pipe(z.number().int().min(1000)).default(16 * 60_000),
    FORSENDELSE_TYPER: z.array(z.string()).default([]),
    MOTTAKERSYSTEMER: z
      .array(
        z.object({
          orgnr: z.string().regex(/^[0-9]{9}$/, 'må være 9 siffer'),
          forsendelseType: z.string().optional(),
          mottakersystem: z.string(),
          mottakerId: z.string(),
          niva: z.union([z.literal(3), z.literal(4)], { error: 'må være 3 eller 4' }),
        }),
      )
      .default([]),
    /**
     * REST v2/v3 (docs/interfaces.md "REST v2 and v3"): Maskinporten's keys (a JWKS URL such as
     * https://maskinporten.no/jwk, or a file path) and issuer (e.g. https://maskinporten.no/).
     * Unset, every v2/v3 call is refused with 401.
     */
    MASKINPORTEN_JWKS: z.string().min(1).optional(),
    MASKINPORTEN_ISSUER: z.string().min(1).optional(),
    /**
     * When set, a token must name it in `aud` (clients then ask Maskinporten for a token with
     * this `resource`); unset, `aud` is not looked at, as KS's clients ask without one.
     */
    MASKINPORTEN_AUDIENCE: z.string().min(1).optional(),
    /** KS's newer strategy: tokens from Fiksporten (client_id = IntegrasjonId), checked the same way; off when unset. */
    FIKSPORTEN_JWKS: z.string().min(1).optional(),
    FIKSPORTEN_ISSUER: z.string().min(1).optional(),
    /** As MASKINPORTEN_AUDIENCE, for Fiksporten's tokens. */
    FIKSPORTEN_AUDIENCE: z.string().min(1).optional(),
    /** Serve a read-only demo at start: create this avsender with this password if missing. */
    DEMO_AVSENDER: z.string().optional(),
    /** Serve Prometheus metrics at /metrics. */
    METRICS: bool.default(true),
    /** When set, /metrics wants `Authorization: Bearer <token>`; unset, it is open (keep it off the public network). */
    METRICS_TOKEN: z.string().min(16).optional(),
    /** When true, /metrics exists only with METRICS_TOKEN set (the Docker image sets it). */
    METRICS_REQUIRE_TOKEN: bool.default(false),
    /**
     * Key for inbox links and admin sessions (≥ 32 characters). Nodes of a cluster must
     * share it; unset, embedded mode keeps one in DATA_DIR/secret.key.
     */
    SECRET: z.string().min(32).optional(),
    /**
     * The installation's encryption key from files instead of a generated one (docs/operations.md
     * "Encryption key"): a PEM X.509 certificate with an RSA key, and its PEM private key. Both or
     * neither; it becomes the current key and is kept in the shared store, so old ones still decrypt.
     */
    CMS_CERT_FILE: z.string().min(1).optional(),
    CMS_KEY_FILE: z.string().min(1).optional(),
    /**
     * Earlier SECRET values, comma separated, newest first: inbox links they signed stay
     * valid after SECRET is rotated (drop them once INBOX_LINK_TTL has passed). An old
     * DATA_DIR/secret.key is given as `base64:<its content>`.
     */
    SECRET_PREVIOUS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r !== ''),
      )
      .pipe(z.array(z.string().min(32, { message: 'hver tidligere hemmelighet må ha minst 32 tegn' }))),
  })
  .strict();

/** Validated settings. */
export type Settings = z.output<typeof settingsSchema>;

/** SvarUt's print limit, 350 MB read as MiB (docs/interfaces.md §8): the default of MAX_FORSENDELSE_BYTES. */
export const DEFAULT_MAX_FORSENDELSE_BYTES = 350 * 1024 * 1024;

/** MAX_FORSENDELSE_BYTES, else its old name MAX_BODY_BYTES, else the default. */
export function maxForsendelseBytes(settings: Pick<Settings, 'MAX_FORSENDELSE_BYTES' | 'MAX_BODY_BYTES'>): number {
  return settings.MAX_FORSENDELSE_BYTES ?? settings.MAX_BODY_BYTES ?? DEFAULT_MAX_FORSENDELSE_BYTES;
}
