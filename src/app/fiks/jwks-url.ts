/**
 * A JWKS behind a URL (MASKINPORTEN_JWKS / FIKSPORTEN_JWKS as `https://…`), fetched with
 * `jose` and kept so that an outage of the issuer's key endpoint does not turn into refused
 * tokens (docs/interfaces.md "REST v2 and v3"):
 *
 * - keys older than `maxAgeMs` (10 min) are fetched again in the background while the old ones
 *   keep answering, one fetch at a time: a hanging endpoint holds no request;
 * - a fetch that fails (no answer, a status other than 200, no JWKS in the body) keeps the last
 *   good keys for up to `maxStaleMs` (24 h), is tried again at most every `retryMs` (30 s),
 *   and is reported once per problem through `onError`; without keys, or with keys older than
 *   that, the request waits for a fetch and its failure is thrown, which the verifier answers 503;
 * - `reload()` (a token named a key the set lacks, perhaps just added) fetches at once unless
 *   the keys were fetched within `cooldownMs` (30 s) or a fetch failed within `retryMs`: a
 *   caller cannot make it fetch per request while the endpoint is down (found in a review).
 */
import { createLocalJWKSet, createRemoteJWKSet } from 'jose';
import type { LocalKeySet } from './jwks-file.js';

/** How a JwksUrl keeps its keys; the defaults suit Maskinporten. */
export interface JwksUrlOptions {
  readonly maxAgeMs?: number;
  readonly maxStaleMs?: number;
  readonly retryMs?: number;
  readonly cooldownMs?: number;
  /** A fetch failed; the last good keys are still used. Once per problem. */
  readonly onError?: (err: unknown) => void;
  /** The clock (tests). */
  readonly now?: () => number;
}

/** A JWKS endpoint's keys, kept through its outages. */
export class JwksUrl {
  readonly #remote: ReturnType<typeof createRemoteJWKSet>;
  #keys: LocalKeySet | undefined;
  #fetchedAt = -Infinity;
  #failedAt = -Infinity;
  #fetching: Promise<LocalKeySet> | undefined;
  #reported: string | undefined;

  constructor(
    url: URL,
    private readonly options: JwksUrlOptions = {},
  ) {
    this.#remote = createRemoteJWKSet(url);
  }

  /** The keys to verify with now; throws when there are none to use. */
  async keys(): Promise<LocalKeySet> {
    const now = this.#now();
    const kept = this.#keys;
    if (kept !== undefined && now - this.#fetchedAt < (this.options.maxAgeMs ?? 10 * 60_000)) return kept;
    if (kept !== undefined && now - this.#fetchedAt < (this.options.maxStaleMs ?? 24 * 3_600_000)) {
      if (!this.#failedRecently(now)) this.#fetch().catch((err: unknown) => this.#report(err));
      return kept;
    }
    if (this.#failedRecently(now)) throw new Error('the key endpoint failed a moment ago; not asked again yet');
    try {
      return await this.#fetch();
    } catch (err) {
      this.#report(err);
      throw err;
    }
  }

  /** Fetches now, unless fetched within the cooldown; throws what it cannot fetch. */
  async reload(): Promise<LocalKeySet> {
    const now = this.#now();
    const kept = this.#keys;
    if (kept !== undefined && now - this.#fetchedAt < (this.options.cooldownMs ?? 30_000)) return kept;
    if (this.#failedRecently(now)) throw new Error('the key endpoint failed a moment ago; not asked again yet');
    return this.#fetch();
  }

  #failedRecently(now: number): boolean {
    return now - this.#failedAt < (this.options.retryMs ?? 30_000);
  }

  #fetch(): Promise<LocalKeySet> {
    this.#fetching ??= (async () => {
      try {
        await this.#remote.reload();
        const jwks = this.#remote.jwks();
        if (jwks === undefined) throw new Error('the endpoint gave no key set');
        this.#keys = createLocalJWKSet(jwks);
        this.#fetchedAt = this.#now();
        this.#reported = undefined;
        return this.#keys;
      } catch (err) {
        this.#failedAt = this.#now();
        throw err;
      } finally {
        this.#fetching = undefined;
      }
    })();
    return this.#fetching;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  #report(err: unknown): void {
    const problem = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (problem === this.#reported) return;
    this.#reported = problem;
    this.options.onError?.(err);
  }
}
