/**
 * The contact and reservation register port (KRR, docs/architecture.md step 5). Adapters: a JSON file
 * an operator edits (`file`) and Digdir's lookup API or anything answering like it (`http`).
 */
import type { KrrPerson } from '../../domain/channel-choice.js';
import { ChannelError } from '../channel-error.js';

/** Looks up one person's reservation, register status, contact information and mailbox. */
export interface ContactRegister {
  /**
   * The register's entry for `fnr`, or undefined when the register's answer holds no entry
   * for that person. Throws KrrUnavailableError when the register cannot be asked.
   */
  lookup(fnr: string): Promise<KrrPerson | undefined>;
}

/**
 * The register could not be asked or gave an unusable answer. Always retryable: the channel
 * choice must not fall back to print on a network hiccup, it waits for a real answer.
 * Messages never contain the fødselsnummer (they end up in logs).
 */
export class KrrUnavailableError extends ChannelError {
  constructor(
    message: string,
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super('KRR_UTILGJENGELIG', message, true, options);
  }
}
