/**
 * SMS through an HTTP gateway (SMS_URL). The gateway contract, kept minimal so a small
 * adapter can sit in front of any provider:
 *
 *   POST <url>
 *   Content-Type: application/json
 *   Authorization: Bearer <token>      (when a token is configured)
 *   Idempotency-Key: <id>              (when the message has an id; same on a retry)
 *   {"to": "+4799999999", "text": "Du har fått brev fra …"}
 *
 * Any 2xx means accepted. 408, 429 and 5xx mean "try again later"; other 4xx mean the
 * message or number is refused for good. The response body is ignored.
 */
import { NotificationError } from './notification-error.js';
import type { SmsMessage, SmsSender } from './sms-sender.js';

/** Settings of the HTTP SMS gateway adapter. */
export interface HttpSmsSenderOptions {
  readonly url: string;
  readonly token?: string;
  /** Whole-request timeout; default 10 000 ms. */
  readonly timeoutMs?: number;
}

/** Sends SMS by POSTing `{to, text}` to a gateway. */
export class HttpSmsSender implements SmsSender {
  readonly #url: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: HttpSmsSenderOptions) {
    this.#url = options.url;
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Posts the message; NotificationError, permanent for 4xx other than 408/429. */
  async send(msg: SmsMessage): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    if (msg.id !== undefined) headers['idempotency-key'] = msg.id;
    const signal = AbortSignal.timeout(this.#timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.#url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ to: msg.to, text: msg.text }),
        signal,
      });
      await res.body?.cancel();
    } catch (err) {
      const why = signal.aborted
        ? `svarte ikke innen ${this.#timeoutMs} ms`
        : err instanceof Error
          ? err.cause instanceof Error
            ? err.cause.message
            : err.message
          : String(err);
      throw new NotificationError(`SMS kunne ikke sendes: SMS-tjenesten ${why}`, true, {
        cause: err,
        historyText: signal.aborted
          ? `SMS kunne ikke sendes: SMS-tjenesten svarte ikke innen ${this.#timeoutMs} ms`
          : 'SMS kunne ikke sendes: SMS-tjenesten kunne ikke nås',
      });
    }
    if (res.ok) return;
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    throw new NotificationError(
      retryable
        ? `SMS kunne ikke sendes: SMS-tjenesten svarte med HTTP ${res.status}`
        : `SMS ble avvist av SMS-tjenesten (HTTP ${res.status})`,
      retryable,
    );
  }
}
