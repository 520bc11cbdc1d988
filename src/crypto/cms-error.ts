/** Why a CMS message could not be read or decrypted; the intake turns each into a Norwegian refusal. */
export type CmsErrorCode =
  | 'malformed' // not a BER-encoded CMS EnvelopedData at all
  | 'truncated' // the message ends before its structure does
  | 'unsupported' // a content type or algorithm we do not implement
  | 'unknown-recipient' // encrypted for a certificate whose key we do not hold
  | 'decrypt-failed'; // the key or the encrypted content does not decrypt (wrong key, damaged content)

/** A CMS message that is not what it should be, with a stable code. */
export class CmsError extends Error {
  /**
   * @param reason what is wrong, in Norwegian for the sender, where the code's general text
   * would not say it (which algorithm, which content type); the refusal uses it when given.
   */
  constructor(
    readonly code: CmsErrorCode,
    message: string,
    readonly reason?: string,
  ) {
    super(`CMS: ${message}`);
    this.name = 'CmsError';
  }
}
