/**
 * The delivery channels from the settings: KRR (http, file, or DATA_DIR/krr.json when
 * present), e-mail (SMTP, or .eml files in DATA_DIR/outbox), SMS (HTTP gateway, or files
 * in the outbox), print (file drop in PRINT_DIR or DATA_DIR/print; manual), and the
 * secret that signs inbox links.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { constants, existsSync, linkSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Settings } from '../config/schema.js';
import { FileContactRegister, HttpContactRegister, type ContactRegister } from '../channels/krr/index.js';
import {
  HttpSmsSender,
  LogSmsSender,
  OutboxEmailSender,
  SmtpEmailSender,
  type EmailSender,
  type SmsSender,
} from '../channels/notify/index.js';
import { FiledropPrintProvider, ManualPrintProvider, type PrintProviders } from '../channels/print/index.js';
import { DurableFileWriter } from '../storage/files/durable-file-writer.js';
import { StartError } from './start-error.js';

/** The channels of one node. */
export interface Channels {
  readonly krr: ContactRegister;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly printProviders: PrintProviders;
  readonly secret: Uint8Array;
  /** Stops watching the KRR file and the print drop's writer thread (node close). */
  readonly close: () => void;
}

/** Shortest secret.key accepted, in bytes (the generated one has 32). */
const MIN_SECRET_BYTES = 32;

/**
 * The signing secret: SECRET, else DATA_DIR/secret.key (created once, mode 0600). Several
 * nodes may start at once on one DATA_DIR: the key is written whole to a file of this
 * process's own and then hard-linked into place, which fails with EEXIST if another node
 * got there first. So no node ever reads a half-written key (creating the file with `wx`
 * and then writing leaves a moment where it exists empty), and all use the winner's.
 */
export function loadSecret(settings: Settings, onNewSecretForOldData: (path: string) => void = () => {}): Uint8Array {
  if (settings.SECRET !== undefined) return Buffer.from(settings.SECRET, 'utf8');
  // Each cluster node has a DATA_DIR of its own: a key made there is that node's alone, so
  // a session, an inbox link or a one-time code of one node fails on the next, and each
  // node throttled logins on its own (found in review: N nodes allowed N times the guesses).
  const path = join(settings.DATA_DIR, 'secret.key');
  if (settings.MONGODB_URI !== undefined) {
    // A node that ran before with its own key file: the links it sent were signed with it.
    const keep = existsSync(path)
      ? ` Lenker sendt før er signert med ${path}: sett også SECRET_PREVIOUS=base64:<innholdet i filen> på alle nodene, så virker de til de går ut.`
      : '';
    throw new StartError(
      `SECRET: klyngemodus (MONGODB_URI) trenger SECRET, den samme på alle nodene (minst 32 tegn); uten den lager hver node sin egen nøkkel, og innlogginger, innbokslenker og innloggingssperrer deles ikke mellom dem.${keep}`,
    );
  }
  if (!existsSync(path)) {
    // A DATA_DIR that already holds documents has sent links under some secret: restored
    // without its secret.key, or started once with SECRET and now without.
    if (holdsDocuments(settings.DATA_DIR)) onNewSecretForOldData(path);
    const staged = `${path}.${randomUUID()}.tmp`;
    writeFileSync(staged, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    try {
      linkSync(staged, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(staged);
    }
  }
  const secret = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (secret.length < MIN_SECRET_BYTES) {
    throw new Error(
      `${path} inneholder ${secret.length} byte; hemmeligheten må være minst ${MIN_SECRET_BYTES} byte (base64). Slett filen eller sett SECRET`,
    );
  }
  return secret;
}

/** True when DATA_DIR's blob store holds a document (`blobs/ab/…`; `tmp/` is no document). */
function holdsDocuments(dataDir: string): boolean {
  try {
    return readdirSync(join(dataDir, 'blobs')).some((name) => /^[0-9a-f]{2}$/.test(name));
  } catch {
    return false;
  }
}

/** The earlier secrets still accepted for inbox links (SECRET_PREVIOUS), newest first. */
export function previousSecrets(settings: Pick<Settings, 'SECRET_PREVIOUS'>): Uint8Array[] {
  return settings.SECRET_PREVIOUS.map((s) =>
    s.startsWith('base64:') ? Buffer.from(s.slice('base64:'.length), 'base64') : Buffer.from(s, 'utf8'),
  );
}

/** Where notifications and SMS are written without SMTP_URL / SMS_URL. */
export function outboxDir(settings: Pick<Settings, 'DATA_DIR'>): string {
  return join(settings.DATA_DIR, 'outbox');
}

/** The print provider's drop folder: PRINT_DIR, else DATA_DIR/print. */
export function printDir(settings: Pick<Settings, 'DATA_DIR' | 'PRINT_DIR'>): string {
  return settings.PRINT_DIR ?? join(settings.DATA_DIR, 'print');
}

/**
 * Says at start, naming it, when the print drop folder cannot be made or written (a path
 * under a file, a mount missing, no access): the first sign was otherwise letters for print
 * waiting in AKSEPTERT with their print jobs failing for days (operator review of 7 December
 * 2026). The node still starts: intake and digital delivery do not need the drop, and the
 * print jobs retry until it works.
 */
export async function checkPrintDir(dir: string, log: Logger): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    log.error(
      { printDir: dir, err: error },
      'PRINT_DIR cannot be used: letters for print wait in AKSEPTERT until it can (PRINT_DIR)',
    );
  }
}

/** Builds the channels. */
export function buildChannels(settings: Settings, log: Logger): Channels {
  const outbox = outboxDir(settings);
  const krrFile = settings.KRR_FILE ?? join(settings.DATA_DIR, 'krr.json');
  let krr: ContactRegister;
  let stopWatching = (): void => undefined;
  if (settings.KRR_URL !== undefined) {
    krr = new HttpContactRegister({ url: settings.KRR_URL, token: settings.KRR_TOKEN ?? '' });
  } else {
    // Without KRR_FILE, DATA_DIR/krr.json is read once it exists; until then nobody is
    // registered and every person recipient goes to print (the documented default).
    const file = new FileContactRegister(krrFile, { missingIsEmpty: settings.KRR_FILE === undefined });
    if (settings.KRR_FILE === undefined && !existsSync(krrFile)) {
      log.warn(
        { krrFile },
        'no KRR configured (KRR_URL/KRR_FILE): every person recipient goes to print until this file exists',
      );
    }
    // A file bad from the start is said at start: the watcher reports only changes, and
    // the first sign would otherwise be the first letter's routing failing over and over.
    if (settings.KRR_FILE !== undefined)
      file.persons().then(
        (personer) => log.info({ krrFile, personer }, 'KRR file read'),
        (error: unknown) =>
          log.error(
            { krrFile, err: error },
            'KRR file cannot be read (KRR_FILE); person letters wait in AKSEPTERT until it is fixed',
          ),
      );
    stopWatching = file.watch((outcome) => {
      if ('error' in outcome)
        log.error(
          { krrFile, err: outcome.error },
          'KRR file could not be read after a change; lookups wait until it is fixed',
        );
      else log.info({ krrFile, personer: outcome.personer }, 'KRR file re-read after a change');
    });
    krr = file;
  }
  const email =
    settings.SMTP_URL !== undefined
      ? new SmtpEmailSender(settings.SMTP_URL, settings.NOTIFY_FROM)
      : new OutboxEmailSender(outbox, settings.NOTIFY_FROM, {
          onWritten: (w) =>
            log.info({ file: w.file, to: w.to, lenker: w.lenker }, 'notification written to the outbox (no SMTP_URL)'),
        });
  const sms =
    settings.SMS_URL !== undefined
      ? new HttpSmsSender({ url: settings.SMS_URL, token: settings.SMS_TOKEN })
      : // The file only: the number and the text (a link that opens the letter) stay out of the
        // log, also on a node with SMTP_URL and no SMS gateway (found in review).
        new LogSmsSender(outbox, {
          onWritten: (w) => log.info({ file: w.file }, 'SMS written to the outbox (no SMS_URL)'),
        });
  // Threads that write the print drop's files, a letter's two in one trip: one while print
  // is quiet, up to four (libuv's pool, which wrote them before) when fsyncs are slow, as on
  // a network share a print provider polls.
  const printWriter = new DurableFileWriter(4);
  return {
    krr,
    email,
    sms,
    printProviders: {
      filedrop: new FiledropPrintProvider(printDir(settings), printWriter),
      manual: new ManualPrintProvider(),
    },
    secret: loadSecret(settings, (path) =>
      log.warn(
        { path },
        'SECRET er ikke satt og DATA_DIR har ingen secret.key, men har brev: en ny hemmelighet lages, så innbokslenker og engangskoder sendt før virker ikke. Sett SECRET, eller legg secret.key fra sikkerhetskopien tilbake og start på nytt',
      ),
    ),
    close: () => {
      stopWatching();
      void printWriter.close();
    },
  };
}
