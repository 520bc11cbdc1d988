/**
 * The two send rules that look beyond the letter itself (docs/interfaces.md §8, §15 point 8):
 * - **the same id again**: `sendForsendelseMedId` with an id already used answers with that
 *   id when the same avsender sends the same content (a client retrying after a timeout must
 *   not get an error), and refuses a different letter under it; another avsender's id is
 *   refused without a word about that letter;
 * - **duplicates**: more than 25 letters with the same avsender, tittel and mottaker within
 *   2 days are refused, until 2 days after the last attempt (KS's documentation; the text
 *   holds "Forsendelse med samme mottaker", which Digdir's integration point treats as final).
 */
import { ConflictError, DuplicateLetterError } from '../domain/errors.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import type { BlobRef, ForsendelseInput } from '../domain/model.js';
import type { RecordedSendAttempt, SendAttempts } from '../storage/ports.js';
import { duplikatFingerprint, innholdSha256 } from './letter-fingerprint.js';

/** Letters alike allowed within the window; the next is refused. */
export const MAX_LIKE_FORSENDELSER = 25;
/** The duplicate rule's window: 2 days. */
export const DUPLIKAT_VINDU_MS = 2 * 86_400_000;

/** A send under an id that may be taken: what it carries (an encrypted letter's documents decrypted). */
export interface SendAttemptContent {
  readonly input: ForsendelseInput;
  readonly documents: readonly BlobRef[];
}

/**
 * What a send under an id that is taken answers: the id when it is this avsender's letter
 * with the same content; otherwise a ConflictError.
 */
export function retryAnswer(existing: ForsendelseState, avsender: string, attempt: SendAttemptContent): string {
  if (existing.avsender !== avsender) {
    // Nothing about the other letter: not its avsender, status or content.
    throw new ConflictError(`Forsendelses-id ${existing.id} er allerede i bruk; bruk en ny forsendelses-id`);
  }
  const before = existing.dokumenter.map((d) => d.blob);
  // An encrypted letter's stored hash may be of its envelopes' sizes (before 6 December
  // 2026): hashed again from what its documents keep, as the attempt is (letter-fingerprint.ts).
  const stored = existing.input.kryptert
    ? innholdSha256(existing.input, before)
    : (existing.innholdSha256 ?? innholdSha256(existing.input, before));
  const innhold = innholdSha256(attempt.input, attempt.documents, existing.input.kryptert ? before : undefined);
  if (stored !== innhold) {
    throw new ConflictError(
      `Forsendelse med id ${existing.id} er allerede mottatt med annet innhold; ` +
        'en ny forsendelse må ha en ny forsendelses-id (samme id gis bare tilbake når innholdet er det samme)',
    );
  }
  return existing.id;
}

/**
 * Records the attempt under the letter's fingerprint and refuses it when 25 alike came in
 * the 2 days before it. A refused attempt stays recorded (it counts, as KS counts attempts);
 * the caller removes an admitted one whose send then fails.
 */
export async function admitAgainstDuplicates(
  attempts: SendAttempts,
  avsender: string,
  input: Pick<ForsendelseInput, 'tittel' | 'mottaker'>,
  now: number,
): Promise<RecordedSendAttempt> {
  const fingerprint = duplikatFingerprint(avsender, input);
  const attempt = await attempts.record(fingerprint, now, now - DUPLIKAT_VINDU_MS, now + DUPLIKAT_VINDU_MS);
  if (attempt.earlier >= MAX_LIKE_FORSENDELSER) {
    throw new DuplicateLetterError({
      field: 'mottaker',
      message:
        `Duplikat: Forsendelse med samme mottaker, tittel og avsender er sendt ${MAX_LIKE_FORSENDELSER} ganger ` +
        `de siste 2 døgnene; flere enn ${MAX_LIKE_FORSENDELSER} like forsendelser på 2 døgn avvises. ` +
        'Prøv igjen når det har gått 2 døgn siden siste forsøk',
    });
  }
  return attempt;
}
