/**
 * E-mail over SMTP with nodemailer (SMTP_URL, e.g. `smtp://user:pass@mail.kommune.no:587`;
 * nodemailer reads options such as `?pool=true` from the URL).
 */
import { createTransport, type Transporter } from 'nodemailer';
import { type EmailMessage, type EmailSender, mailOptions } from './email-sender.js';
import { NotificationError } from './notification-error.js';

/** Sends notification e-mail through an SMTP server. */
export class SmtpEmailSender implements EmailSender {
  readonly #transport: Transporter;

  constructor(
    smtpUrl: string,
    readonly from: string,
  ) {
    this.#transport = createTransport(smtpUrl);
  }

  /** Hands the message to the SMTP server; NotificationError (permanent when the recipient is refused). */
  async send(msg: EmailMessage): Promise<void> {
    try {
      await this.#transport.sendMail(mailOptions(msg, this.from));
    } catch (err) {
      throw smtpError(err);
    }
  }

  /** Closes pooled connections. */
  async close(): Promise<void> {
    this.#transport.close();
  }
}

/** Classifies a nodemailer failure: a refused recipient is permanent, everything else retryable. */
function smtpError(err: unknown): NotificationError {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // EENVELOPE: the recipient was refused (RCPT TO 5xx) or the address is unusable; a retry
  // gets the same answer. 4xx replies (greylisting, full mailbox) are worth retrying.
  const permanent = e.code === 'EENVELOPE' && (responseCode === undefined || responseCode >= 500);
  const detail = typeof e.message === 'string' ? e.message : String(err);
  return new NotificationError(
    permanent ? `E-postadressen ble avvist av e-posttjeneren: ${detail}` : `E-post kunne ikke sendes: ${detail}`,
    !permanent,
    { cause: err },
  );
}
