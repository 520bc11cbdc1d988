/**
 * How a failed job is retried, the same in every JobQueue adapter. A job retries a
 * dependency that is away (KRR, the print drop, SMTP, the SMS gateway) until it is back:
 * each attempt waits twice as long as the one before, from `backoffMs`, but never more than
 * an hour, and a job is failed for good (the admin web's *Jobber*, "Prøv igjen") only after
 * DEFAULT_MAX_ATTEMPTS, about four days. Until 6 December 2026 it was 10 attempts with no
 * cap: after ~17 minutes of an outage the letters it held stayed where they were, accepted
 * and never delivered (found in review). A job that cannot succeed says so
 * (PermanentJobError) and fails at once.
 */

/** Attempts of a job whose spec names none: 12 to reach the hourly retries, then ~4 days of them. */
export const DEFAULT_MAX_ATTEMPTS = 100;
/** First retry delay of a job whose spec names none. */
export const DEFAULT_BACKOFF_MS = 1000;
/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/** The wait after the `failures`-th failed attempt (1 for the first): backoffMs·2^(failures−1), at most an hour. */
export function retryDelayMs(backoffMs: number, failures: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, backoffMs * 2 ** Math.min(Math.max(failures, 1) - 1, 40));
}
