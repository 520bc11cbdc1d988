/**
 * The e-mail notification port (docs/architecture.md step 6). Adapters: SMTP (SMTP_URL) and the
 * embedded outbox that writes .eml files when no SMTP server is configured.
 */
import type { SendMailOptions } from 'nodemailer';
import { isSingleMailbox, quote } from '../../domain/validation/index.js';
import { NotificationError } from './notification-error.js';

/** One notification e-mail. Never put a fødselsnummer in any field. */
export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly headers?: {
    /** RFC 5322 Message-ID, e.g. from `varselMessageId`: equal on a retry, so a resend is recognisable. */
    readonly messageId?: string;
  };
  /**
   * Called once, after the server has agreed to take the message and before any of its
   * content is sent. The notify job journals there that the mail is leaving; false (or a
   * throw) sends nothing. Without it the message is sent as it is.
   */
  readonly beforeTransfer?: () => Promise<boolean>;
}

/** Sends notification e-mails; throws NotificationError on failure. */
export interface EmailSender {
  /**
   * True when sending a message with a Message-ID again leaves one copy, as the outbox's
   * file named by it does: a send cut off by a crash may then simply be repeated. SMTP is
   * not: once the content may have left, a second send is a second e-mail.
   */
  readonly idempotent?: boolean;
  /** True when the message was handed over; false when `beforeTransfer` said no and nothing was sent. */
  send(msg: EmailMessage): Promise<boolean>;
}

/**
 * A deterministic Message-ID for a forsendelse's notification, `<varsel.<id>@<domain of from>>`.
 * A retried job sends the same id, so the recipient's mail system (and a support person) can
 * tell a resend from a second letter. `kind` separates e.g. a reminder ("paminnelse").
 */
export function varselMessageId(forsendelseId: string, from: string, kind = 'varsel'): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'budbringer.invalid';
  const safeId = forsendelseId.replace(/[^A-Za-z0-9._-]/g, '_');
  return `<${kind}.${safeId}@${domain}>`;
}

/**
 * nodemailer's options for `msg` sent from `from`. `to` must be one plain mailbox: nodemailer
 * would read a list or a display name in it, and send a letter's link to whoever it names.
 */
export function mailOptions(msg: EmailMessage, from: string): SendMailOptions {
  if (!isSingleMailbox(msg.to))
    throw new NotificationError(`Ugyldig e-postadresse for varsel: må være én adresse (fikk ${quote(msg.to)})`, false, {
      historyText: 'Ugyldig e-postadresse for varsel: må være én adresse',
    });
  return {
    from,
    to: msg.to,
    subject: msg.subject,
    text: msg.text,
    ...(msg.html === undefined ? {} : { html: msg.html }),
    ...(msg.headers?.messageId === undefined ? {} : { messageId: msg.headers.messageId }),
    // Notification mail must not invite replies to a system address nor auto-replies back.
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}
