export { type EmailMessage, type EmailSender, mailOptions, varselMessageId } from './email-sender.js';
export { HttpSmsSender, type HttpSmsSenderOptions } from './http-sms-sender.js';
export { LogSmsSender, type SmsWritten } from './log-sms-sender.js';
export { NotificationError } from './notification-error.js';
export { OutboxEmailSender, type OutboxOptions, type OutboxWritten, outboxName } from './outbox-email-sender.js';
export {
  DEFAULT_EPOST_EMNE,
  DEFAULT_EPOST_TEKST,
  DEFAULT_SMS_TEKST,
  DEFAULT_VARSLING,
  DEFAULT_VARSLING_SPRAK,
  maskFodselsnummer,
  reminderPrefix,
  renderVarsel,
  varslingFor,
  type RenderedVarsel,
  type VarselInput,
} from './render-varsel.js';
export type { SmsMessage, SmsSender } from './sms-sender.js';
export { SmtpEmailSender } from './smtp-email-sender.js';
