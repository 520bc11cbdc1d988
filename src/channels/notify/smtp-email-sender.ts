/**
 * E-mail over SMTP with nodemailer's SMTP client (SMTP_URL, e.g.
 * `smtp://user:pass@mail.kommune.no:587`; options such as `?requireTLS=true` come from the
 * URL the way nodemailer reads them). One connection per message.
 *
 * The message's content is a stream that the client reads only after the server has taken
 * the envelope and answered DATA with 354. That first read is where `beforeTransfer` runs:
 * the notify job journals there that the mail is leaving, so a process killed before it
 * has provably sent nothing (the server got no body, so it keeps nothing), and a run killed
 * after it is the only case whose outcome is unknown (docs/cluster.md).
 */
import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection, { type SMTPConnectionAuth, type SMTPConnectionOptions } from 'nodemailer/lib/smtp-connection';
import { type EmailMessage, type EmailSender, mailOptions } from './email-sender.js';
import { NotificationError } from './notification-error.js';

/** Time limits unless the URL sets them: a hung server must not hold a job for nodemailer's default 10 minutes. */
const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/** Sends notification e-mail through an SMTP server. */
export class SmtpEmailSender implements EmailSender {
  readonly #options: SMTPConnectionOptions;
  readonly #auth: SMTPConnectionAuth | undefined;

  constructor(
    smtpUrl: string,
    readonly from: string,
  ) {
    const { auth, ...options } = parseConnectionUrl(smtpUrl);
    this.#options = { ...TIMEOUTS, ...(options as SMTPConnectionOptions) };
    this.#auth =
      auth === undefined ? undefined : { user: auth.user, credentials: { user: auth.user, pass: auth.pass } };
  }

  /**
   * Hands the message to the SMTP server. False when `beforeTransfer` said no (nothing was
   * sent); NotificationError otherwise, permanent when the recipient is refused, with
   * `kanskjeLevert` when the content left and no answer came back.
   */
  async send(msg: EmailMessage): Promise<boolean> {
    const mail = new MailComposer(mailOptions(msg, this.from)).compile();
    const content = new GatedContent(await mail.build(), msg.beforeTransfer ?? (async () => true));
    const connection = new SMTPConnection(this.#options);
    try {
      await new Promise<void>((resolve, reject) => {
        connection.on('error', reject); // `on`, not `once`: a second error after the first must not go unhandled
        connection.connect(() => {
          const transfer = (): void =>
            connection.send(mail.getEnvelope(), content, (err) => (err ? reject(err) : resolve()));
          if (this.#auth === undefined || !connection.allowsAuth) return transfer();
          connection.login(this.#auth, (err) => (err ? reject(err) : transfer()));
        });
      });
      connection.quit();
      return true;
    } catch (err) {
      connection.close();
      if (content.refused) return false;
      throw smtpError(err, content.started);
    }
  }
}

/** The message's bytes, released on the client's first read once `gate` allows it. */
class GatedContent extends Readable {
  /** True once the gate allowed the transfer: from here on the server may have the mail. */
  started = false;
  /** True when the gate said no. */
  refused = false;
  #asked = false;

  constructor(
    private readonly raw: Buffer,
    private readonly gate: () => Promise<boolean>,
  ) {
    super();
  }

  override _read(): void {
    if (this.#asked) return;
    this.#asked = true;
    this.gate().then(
      (go) => {
        if (!go) {
          this.refused = true;
          this.destroy(new Error('Overføringen ble stanset før innholdet ble sendt'));
          return;
        }
        this.started = true;
        this.push(this.raw);
        this.push(null);
      },
      (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))),
    );
  }
}

/**
 * Classifies a failure. A refused recipient is permanent, everything else retryable. After
 * the content left, an answer from the server (4xx/5xx to the end of data) means it kept
 * nothing; no answer at all (connection lost, timeout) means it may have the mail.
 */
function smtpError(err: unknown, started: boolean): NotificationError {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // EENVELOPE: the recipient was refused (RCPT TO 5xx) or the address is unusable; a retry
  // gets the same answer. 4xx replies (greylisting, full mailbox) are worth retrying.
  const permanent = e.code === 'EENVELOPE' && (responseCode === undefined || responseCode >= 500);
  // The server's answer quotes the address (`450 <kari@example.no>: mailbox busy`): the
  // message, which the job's log line carries, names it only as <adresse>, and the history
  // only the code (docs/operations.md: a node with SMTP_URL logs no address; found in review).
  const detail = withoutAddresses(typeof e.message === 'string' ? e.message : String(err));
  const code =
    responseCode !== undefined ? ` (svar ${responseCode})` : typeof e.code === 'string' ? ` (${e.code})` : '';
  return new NotificationError(
    permanent ? `E-postadressen ble avvist av e-posttjeneren: ${detail}` : `E-post kunne ikke sendes: ${detail}`,
    !permanent,
    {
      cause: Object.assign(new Error(detail), { code: e.code, responseCode }),
      kanskjeLevert: started && responseCode === undefined,
      historyText: permanent ? `E-postadressen ble avvist av e-posttjeneren${code}` : `E-post kunne ikke sendes${code}`,
    },
  );
}

/** Anything shaped like an e-mail address, in a server's answer, read as `<adresse>` (an apostrophe is allowed before the @: O'Neil). */
const ADDRESS_SHAPE = /<?[^\s<>@"]+@[^\s<>"']+>?/g;

/** `text` with every e-mail address replaced by `<adresse>`. */
export function withoutAddresses(text: string): string {
  return text.replace(ADDRESS_SHAPE, '<adresse>');
}
