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
 * Any 2xx means accepted. 400 and 422 mean the message or number is refused for good; any
 * other status means "try again later": 408, 429 and 5xx, and also 401, 403, 404 and the
 * like, which say that this node is not let in or posts to the wrong address (SMS_URL,
 * SMS_TOKEN). Those are the operator's to fix, not the recipient's number: until 7 December
 * 2026 they dropped the notice for good and the letter went unnotified until print (found
 * in a review); now the job retries, in the queue's errors and the log, until they are
 * fixed. The response body is ignored.
 */
import { NotificationError } from './notification-error.js';
import type { SmsMessage, SmsSender } from './sms-sender.js';

/** The statuses that refuse this message or number for good; any other is retried. */
const REFUSED_FOR_GOOD = new Set([400, 422]);

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

  /** Posts the message; NotificationError, permanent for 400 and 422 (the message or number refused). */
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
    const retryable = !REFUSED_FOR_GOOD.has(res.status);
    throw new NotificationError(
      retryable
        ? `SMS kunne ikke sendes: SMS-tjenesten svarte med HTTP ${res.status}`
        : `SMS ble avvist av SMS-tjenesten (HTTP ${res.status})`,
      retryable,
    );
  }
}
