/**
 * Two hashes of a letter as handed in, for the send rules of docs/interfaces.md §8:
 * - its **content** (every input field and each document), stored with the letter, so that
 *   `sendForsendelseMedId` with an id already used can tell a client's retry (same content:
 *   the same id again) from a different letter under a taken id (a fault);
 * - its **duplicate fingerprint** (avsender, tittel and every field of the mottaker), which
 *   the duplicate rule counts (more than 25 alike within 2 days are refused).
 * Both hash a canonical JSON: keys sorted, absent fields left out, so the same letter hashes
 * alike whichever door or field order it came by.
 */
import { createHash } from 'node:crypto';
import type { BlobRef, ForsendelseInput } from '../domain/model.js';

/**
 * The content hash of a letter: its input and, per document, the SHA-256 of the bytes. An
 * encrypted letter's documents are CMS with a fresh content key at every encryption, so a
 * retry carries other bytes for the same letter: for those the SHA-256 of the decrypted
 * bytes stands for them (intake decrypts every one). Until 6 December 2026 it was the
 * envelope's size, and a correction of the same length ("innvilget" for "avslått") under
 * the same id was taken as a retry and lost (found in review). `like`: the documents of a
 * letter hashed before, for a retry of it: where one of those has no decrypted hash (a
 * letter stored before that), its size is compared, as then.
 */
export function innholdSha256(
  input: ForsendelseInput,
  documents: readonly BlobRef[],
  like?: readonly BlobRef[],
): string {
  const dokumenter = documents.map((d, i) => {
    if (!input.kryptert) return { sha256: d.sha256 };
    const plain = d.cms?.plaintextSha256;
    const comparable = like === undefined || like[i]?.cms?.plaintextSha256 !== undefined;
    return plain !== undefined && comparable ? { plaintextSha256: plain } : { size: d.size };
  });
  return sha256(canonicalJson({ input, dokumenter }));
}

/** The fingerprint the duplicate rule counts: avsender, tittel and the whole mottaker (every address field). */
export function duplikatFingerprint(avsender: string, input: Pick<ForsendelseInput, 'tittel' | 'mottaker'>): string {
  return sha256(canonicalJson({ avsender, tittel: input.tittel, mottaker: input.mottaker ?? null }));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted and undefined members left out (as JSON.stringify leaves them out). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
