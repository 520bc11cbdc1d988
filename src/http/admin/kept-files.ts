/**
 * Files of a send form that was refused stay chosen (issue #18): they are held under a lease
 * of their own in the blob store (expiring with the blob collector's grace, a day) and the
 * form carries a signed token naming them, bound to the session, so a re-submit without
 * choosing files again sends the same files. The token names only hashes, sizes and names
 * the same session uploaded; it cannot point at another user's blobs.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { BlobRef } from '../../domain/model.js';
import type { BlobStore } from '../../storage/ports.js';

/** The hidden form field carrying the token. */
export const KEPT_FILES_FIELD = 'beholdteFiler';

/** One file kept for the next submit. */
export interface KeptFile {
  readonly blob: BlobRef;
  readonly filename: string;
  readonly contentType: string;
}

/** Files kept under `lease`. */
export interface KeptUpload {
  readonly lease: string;
  readonly files: readonly KeptFile[];
}

/** Seals and opens kept-file tokens, and holds the files under their lease. */
export class KeptFiles {
  readonly #key: Buffer;

  /** Tokens are signed with a key derived from the admin secret. */
  constructor(secret: Uint8Array) {
    this.#key = createHmac('sha256', secret).update('beholdte-filer').digest();
  }

  #mac(sid: string, payload: string): Buffer {
    return createHmac('sha256', this.#key).update(`${sid}:${payload}`).digest();
  }

  /** Holds `files` under a new lease of their own; returns what the form carries. */
  async keep(blobs: BlobStore, files: readonly KeptFile[]): Promise<KeptUpload> {
    const lease = `skjema:${randomUUID()}`;
    // Putting stored bytes again is cheap for the store and adds this lease to them.
    for (const f of files) await blobs.put(await blobs.stream(f.blob.sha256), { lease });
    // Only what names the file goes into the token (an upload may carry its bytes too).
    const named = files.map((f) => ({
      blob: { sha256: f.blob.sha256, size: f.blob.size },
      filename: f.filename,
      contentType: f.contentType,
    }));
    return { lease, files: named };
  }

  /** The token for `kept`, valid for session `sid` only. */
  seal(sid: string, kept: KeptUpload): string {
    const payload = Buffer.from(JSON.stringify(kept)).toString('base64url');
    return `${payload}.${this.#mac(sid, payload).toString('base64url')}`;
  }

  /** The kept upload of a token of this session whose files are all still stored; undefined otherwise. */
  async open(blobs: BlobStore, sid: string, token: string | undefined): Promise<KeptUpload | undefined> {
    const [payload, mac, extra] = (token ?? '').split('.');
    if (!payload || !mac || extra !== undefined) return undefined;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.#mac(sid, payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let kept: KeptUpload;
    try {
      kept = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as KeptUpload;
    } catch {
      return undefined;
    }
    for (const f of kept.files) if ((await blobs.size(f.blob.sha256)) !== f.blob.size) return undefined;
    return kept;
  }
}
