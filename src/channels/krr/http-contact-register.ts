/**
 * KRR over HTTP, as Digdir's lookup API answers it: `POST <url>` with
 * `{"personidentifikatorer":["…"]}` and `Authorization: Bearer <token>`, answered by
 * `{"personer":[…]}` (docs.digdir.no, "Oppslagstjenesten REST", endpoint `/rest/v1/personer`).
 * The token may be a function, so a Maskinporten token source can be plugged in later.
 */
import type { KrrPerson } from '../../domain/channel-choice.js';
import { type ContactRegister, KrrUnavailableError } from './contact-register.js';
import { parseKrrResponse } from './krr-response.js';

/** Settings of the http adapter. */
export interface HttpContactRegisterOptions {
  /** The full lookup endpoint, e.g. `https://kontaktregisteret.no/rest/v1/personer`. */
  readonly url: string;
  /** The bearer token, or a function giving a fresh one per request. */
  readonly token: string | (() => Promise<string>);
  /** Whole-request timeout (connect, answer and body); default 10 000 ms. */
  readonly timeoutMs?: number;
}

/** A ContactRegister asking an HTTP endpoint shaped like Digdir's KRR lookup API. */
export class HttpContactRegister implements ContactRegister {
  readonly #url: string;
  readonly #token: string | (() => Promise<string>);
  readonly #timeoutMs: number;

  constructor(options: HttpContactRegisterOptions) {
    this.#url = options.url;
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Asks the register about one person; KrrUnavailableError on any transport or format failure. */
  async lookup(fnr: string): Promise<KrrPerson | undefined> {
    const token = typeof this.#token === 'string' ? this.#token : await this.#token();
    const signal = AbortSignal.timeout(this.#timeoutMs);
    let json: unknown;
    try {
      const res = await fetch(this.#url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({ personidentifikatorer: [fnr] }),
        signal,
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw new KrrUnavailableError(`KRR svarte med HTTP ${res.status}`, res.status);
      }
      try {
        json = await res.json();
      } catch (err) {
        if (signal.aborted) throw err;
        // No cause: V8's message quotes the text around the fault, a person's contact data.
        throw new KrrUnavailableError('KRR-svaret er ikke gyldig JSON', res.status);
      }
    } catch (err) {
      if (err instanceof KrrUnavailableError) throw err;
      if (signal.aborted) {
        throw new KrrUnavailableError(`KRR svarte ikke innen ${this.#timeoutMs} ms`, undefined, { cause: err });
      }
      const why = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      throw new KrrUnavailableError(`Kan ikke nå KRR: ${why}`, undefined, { cause: err });
    }
    // Digdir answers IKKE_REGISTRERT for unknown persons; an answer without the person is
    // reported as undefined, which the channel choice reads the same way.
    return parseKrrResponse(json, 'KRR-svaret').find((p) => p.personidentifikator === fnr);
  }
}
