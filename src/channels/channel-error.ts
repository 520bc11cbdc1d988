/**
 * Failures of an outside channel (KRR, SMTP, SMS gateway, print drop). Channels do not know
 * about jobs; the job handler reads `retryable` and throws PermanentJobError when it is false,
 * so a rejected address fails at once while a network hiccup is retried with backoff.
 */

/** A channel failed; `retryable` tells whether trying again later may help. */
export class ChannelError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** True when `err` is a ChannelError that is worth retrying, or any unclassified error. */
export function isRetryable(err: unknown): boolean {
  return err instanceof ChannelError ? err.retryable : true;
}
