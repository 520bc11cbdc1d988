/**
 * A notification (e-mail or SMS) could not be sent. `retryable` is false when the recipient's
 * address was refused for good (SMTP 5xx on RCPT, gateway 4xx), so the job does not retry
 * what cannot succeed and the forsendelse carries on (other channel, print fallback).
 * `kanskjeLevert` is true when the content had left and no answer came back: the server
 * may have the message, so sending it again could notify twice. `historyText` is what the
 * letter's history may say of it: the sender's system reads that (REST historikk, webhooks),
 * so it never quotes the recipient's address, which came from KRR; nor does the message, which the
 * job's log line carries (docs/operations.md).
 */
import { ChannelError } from '../channel-error.js';

/** E-mail or SMS delivery to the server or gateway failed. */
export class NotificationError extends ChannelError {
  readonly kanskjeLevert: boolean;
  readonly historyText: string;

  constructor(
    message: string,
    retryable: boolean,
    options?: { cause?: unknown; kanskjeLevert?: boolean; historyText?: string },
  ) {
    super('VARSLING_FEILET', message, retryable, options);
    this.kanskjeLevert = options?.kanskjeLevert ?? false;
    this.historyText = options?.historyText ?? message;
  }
}
