/**
 * A JWKS behind a URL (MASKINPORTEN_JWKS / FIKSPORTEN_JWKS as `https://…`), fetched with
 * `jose` and kept so that an outage of the issuer's key endpoint does not turn into refused
 * tokens (docs/interfaces.md "REST v2 and v3"):
 *
 * - the keys are fetched again when they are older than `maxAgeMs` (10 min), one fetch at a
 *   time, the requests arriving meanwhile sharing it;
 * - a fetch that fails (no answer, a status other than 200, no JWKS in the body) keeps the last
 *   good keys for up to `maxStaleMs` (24 h), tries again at most every `retryMs` (30 s), and
 *   is reported once per problem through `onError`; without keys, or with keys older than
 *   that, the failure is thrown, which the verifier answers 503;
 * - `reload()` (a token named a key the set lacks, perhaps just added) fetches at once unless
 *   the keys were fetched within `cooldownMs` (30 s), and throws what it cannot fetch.
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
    const usable = kept !== undefined && now - this.#fetchedAt < (this.options.maxStaleMs ?? 24 * 3_600_000);
    if (usable && now - this.#failedAt < (this.options.retryMs ?? 30_000)) return kept;
    try {
      return await this.#fetch();
    } catch (err) {
      this.#report(err);
      if (usable) return kept;
      throw err;
    }
  }

  /** Fetches now, unless fetched within the cooldown; throws what it cannot fetch. */
  async reload(): Promise<LocalKeySet> {
    const kept = this.#keys;
    if (kept !== undefined && this.#now() - this.#fetchedAt < (this.options.cooldownMs ?? 30_000)) return kept;
    return this.#fetch();
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
