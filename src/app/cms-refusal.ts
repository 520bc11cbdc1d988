/**
 * The Norwegian refusal for an encrypted document (kryptert=true) that cannot be read: it names
 * the document and the reason, and starts "Ugyldig innhold i", which senders such as Digdir's
 * integration point treat as a permanent error (docs/interfaces.md §14).
 */
import type { CmsError } from '../crypto/cms-error.js';
import { ValidationError } from '../domain/errors.js';

const REASONS: Record<CmsError['code'], string> = {
  malformed: 'dokumentet er ikke CMS EnvelopedData, slik kryptert=true krever',
  truncated: 'den krypterte filen er ufullstendig (avkortet CMS)',
  unsupported: 'krypteringen bruker en algoritme som ikke støttes (bruk AES-256-CBC og RSAES-OAEP med SHA-256)',
  'unknown-recipient':
    'dokumentet er ikke kryptert til denne tjenestens sertifikat (hent det fra /forsendelse/publickey/hent)',
  'decrypt-failed': 'dokumentet kan ikke dekrypteres med denne tjenestens nøkkel',
};

/** A ValidationError for document `index` (`filnavn`) that failed to decrypt with `error`. */
export function cmsRefusal(index: number, filnavn: string, error: CmsError): ValidationError {
  return new ValidationError([
    { field: `dokumenter[${index}]`, message: `Ugyldig innhold i ${filnavn}: ${error.reason ?? REASONS[error.code]}` },
  ]);
}
