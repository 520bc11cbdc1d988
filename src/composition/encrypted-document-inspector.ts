/**
 * Checks an encrypted document (kryptert=true; docs/interfaces.md §12 direction 1: CMS EnvelopedData for
 * the installation's certificate) at intake: it must decrypt with one of the installation's
 * keys, and when declared a PDF, the plaintext must pass the same PDF check as any document.
 * The stored blob stays the sender's envelope (encrypted at rest); nothing is written in
 * plaintext. A PDF up to 16 MB is decrypted into memory and parsed whole on a PDF thread; a
 * larger one is read window by window through CBC random access (envelope-index.ts), so
 * memory stays flat for a letter of hundreds of MB.
 */
import { createHash } from 'node:crypto';
import type { EncryptedDocumentInspector } from '../app/forsendelse-service-impl.js';
import type { InstallationKeys } from '../app/installation-keys.js';
import { cmsRefusal } from '../app/cms-refusal.js';
import { CmsError } from '../crypto/cms-error.js';
import { indexEnvelope, readPlaintextRange, type EnvelopeIndex } from '../crypto/envelope-index.js';
import { inspectPdfStream, WHOLE_PDF_LIMIT, type PdfWork } from '../pdf/index.js';
import { checkedPdf, checkGates, type CheckGates } from './document-inspector.js';
import type { BlobStore } from '../storage/ports.js';

/**
 * The inspector for encrypted documents in `blobs`, decrypted with `keys`. A PDF waits for its
 * gate (`gates`, shared with document-inspector.ts, in the sender's line) before it is
 * decrypted and checked: whole, weighed by its envelope's size, or by range.
 */
export function encryptedDocumentInspector(
  blobs: Pick<BlobStore, 'stream'>,
  pdf: Pick<PdfWork, 'inspect'>,
  keys: InstallationKeys,
  gates: CheckGates = checkGates(1),
): EncryptedDocumentInspector {
  const check = inspectEncrypted(blobs, pdf, keys);
  return (blob, spec, index, isPdf, checkFor) => {
    const run = () => check(blob, spec, index, isPdf, checkFor);
    if (!isPdf) return run();
    return blob.size <= WHOLE_PDF_LIMIT
      ? gates.whole.run(checkFor.avsender, blob.size, run)
      : gates.byRange.run(checkFor.avsender, 0, run);
  };
}

function inspectEncrypted(
  blobs: Pick<BlobStore, 'stream'>,
  pdf: Pick<PdfWork, 'inspect'>,
  keys: InstallationKeys,
): EncryptedDocumentInspector {
  return async (blob, spec, index, isPdf) => {
    // The plaintext is shorter than its envelope, so a letter whose envelope is over the limit
    // is never gathered: its pieces are not kept only to be dropped at 16 MB.
    const gather = (): Buffer[] | undefined => (isPdf && blob.size <= WHOLE_PDF_LIMIT ? [] : undefined);
    let whole: Buffer[] | undefined = gather();
    let held = 0;
    let digest = createHash('sha256');
    const keep = (piece: Buffer): void => {
      digest.update(piece);
      if (whole === undefined) return;
      held += piece.length;
      if (held > WHOLE_PDF_LIMIT) whole = undefined;
      else whole.push(piece);
    };
    const decrypt = async (fresh: boolean): Promise<EnvelopeIndex> =>
      indexEnvelope(await keys.decryptionKeys(fresh), await blobs.stream(blob.sha256), keep);
    let envelope: EnvelopeIndex;
    try {
      try {
        envelope = await decrypt(false);
      } catch (error) {
        // A key made on another node moments ago: read the key list afresh once.
        if (!(error instanceof CmsError) || error.code !== 'unknown-recipient') throw error;
        whole = gather();
        held = 0;
        digest = createHash('sha256');
        envelope = await decrypt(true);
      }
    } catch (error) {
      if (error instanceof CmsError) throw cmsRefusal(index, spec.filnavn, error);
      throw error;
    }
    const plaintextSize = envelope.plaintextSize;
    const plaintextSha256 = digest.digest('hex');
    if (!isPdf || plaintextSize === 0) return { plaintextSize, plaintextSha256 };
    const ref = { index, filnavn: spec.filnavn };
    if (whole !== undefined) {
      const info = await pdf.inspect(Buffer.concat(whole), ref);
      return { ...checkedPdf(info, 'whole'), plaintextSize, plaintextSha256 };
    }
    const info = await inspectPdfStream(
      async (range) =>
        readPlaintextRange(
          envelope,
          (start, end) => blobs.stream(blob.sha256, { start, end }),
          range?.start ?? 0,
          range?.end ?? plaintextSize - 1,
        ),
      plaintextSize,
      ref,
    );
    return { ...checkedPdf(info, 'by range'), plaintextSize, plaintextSha256 };
  };
}
