/**
 * The SMS notification port (docs/architecture.md step 6). Adapters: an HTTP gateway (SMS_URL) and the
 * embedded outbox log when no gateway is configured.
 */

/** One notification SMS. Never put a fødselsnummer in the text. */
export interface SmsMessage {
  /** Mobile number as KRR gives it, e.g. `+4799999999`. */
  readonly to: string;
  readonly text: string;
  /** Deterministic id (e.g. `varsel:<forsendelse-id>`): the gateway's idempotency key, the outbox file name. */
  readonly id?: string;
}

/** Sends notification SMS; throws NotificationError on failure. */
export interface SmsSender {
  send(msg: SmsMessage): Promise<void>;
}
