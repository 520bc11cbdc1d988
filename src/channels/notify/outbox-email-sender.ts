/**
 * The embedded default without SMTP_URL: each notification becomes an RFC 822 `.eml` file in
 * DATA_DIR/outbox (open it in any mail program), written atomically. `onWritten` lets the
 * composition root log the file and the letter's link, so a newcomer can follow a letter end
 * to end without a mail server.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { writeFileAtomic } from '../atomic-write.js';
import { type EmailMessage, type EmailSender, mailOptions } from './email-sender.js';

/** What was written, for a log line. */
export interface OutboxWritten {
  readonly file: string;
  readonly to: string;
  readonly subject: string;
  /** The http(s) links in the text: the way into the letter. */
  readonly lenker: readonly string[];
}

/** Options of the outbox. */
export interface OutboxOptions {
  readonly onWritten?: (written: OutboxWritten) => void;
}

/** Writes notification e-mails as .eml files instead of sending them. */
export class OutboxEmailSender implements EmailSender {
  /** A message is written to the file its Message-ID names, replacing an earlier copy. */
  readonly idempotent = true;
  // nodemailer's stream transport composes exactly what SMTP would send, CRLF line ends (RFC 5322).
  readonly #composer: Transporter = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

  constructor(
    readonly dir: string,
    readonly from: string,
    private readonly options: OutboxOptions = {},
  ) {}

  /** Composes the message and writes `<message-id>.eml` (or a unique name) atomically. */
  async send(msg: EmailMessage): Promise<boolean> {
    if (msg.beforeTransfer !== undefined && !(await msg.beforeTransfer())) return false;
    const info = (await this.#composer.sendMail(mailOptions(msg, this.from))) as { message: Buffer };
    await mkdir(this.dir, { recursive: true });
    // A deterministic Message-ID gives a deterministic name: a retried job replaces its own file.
    const file = join(this.dir, `${outboxName(msg.headers?.messageId)}.eml`);
    await writeFileAtomic(file, info.message);
    this.options.onWritten?.({ file, to: msg.to, subject: msg.subject, lenker: linksIn(msg.text) });
    return true;
  }
}

/** A file-name-safe stem from a Message-ID, or a unique time-ordered one. */
export function outboxName(messageId: string | undefined): string {
  const stem = messageId?.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_');
  return stem === undefined || stem === '' ? `${Date.now()}-${randomUUID()}` : stem;
}

/** The http(s) URLs in a text. */
function linksIn(text: string): string[] {
  return text.match(/https?:\/\/[^\s<>"]+/g) ?? [];
}
