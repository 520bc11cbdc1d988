/**
 * Size limits of request bodies and of their parts, enforced while streaming (issue #13):
 * a declared Content-Length over the limit is refused before a byte is read, and a body
 * sent without one (chunked) is refused as soon as it passes the limit — nothing is
 * gathered first, so what one request costs is bounded by its door's limit, not by what
 * the sender chose to send. Every door uses this one piece; docs/limits.md lists the limits.
 */
import { Readable } from 'node:stream';
import { BadRequestError, PayloadTooLargeError } from '../domain/errors.js';
import { decodeUtf8Strict } from './utf8.js';

/** Bytes in a KiB and a MiB. */
export const KIB = 1024;
export const MIB = 1024 * KIB;

/** The JSON bodies of REST v1 (`/statuser`, `/slettFiler`, `/settLest`) and print receipts: 1 MiB is ~25 000 ids. */
export const MAX_JSON_BYTES = MIB;
/** A REST v1 `forsendelse` part (and all text parts of one form together): a forsendelse's metadata is a few KB. */
export const MAX_METADATA_BYTES = MIB;
/**
 * What a multipart body may carry besides its files: the metadata, part headers and
 * boundaries. The whole body may be this much larger than the files' limit.
 */
export const MULTIPART_OVERHEAD_BYTES = 2 * MIB;

/** "1 MiB", "64 KiB", "350 MiB", "1000 byte": the limit as a refusal names it. */
export function formatLimit(bytes: number): string {
  if (bytes >= MIB) return `${String(Math.round((bytes / MIB) * 10) / 10).replace('.', ',')} MiB`;
  if (bytes >= KIB && bytes % KIB === 0) return `${bytes / KIB} KiB`;
  return `${bytes} byte`;
}

/** A byte limit on one body or part, and the sentence its refusal starts with. */
export class BodyLimit {
  /**
   * `tooLargeText` names the thing and says it is too large, in Norwegian, e.g.
   * "JSON-innholdet er for stort" or "Delen «forsendelse» er for stor".
   */
  constructor(
    readonly maxBytes: number,
    private readonly tooLargeText: string,
  ) {}

  /** The refusal: 413 with the text and the limit. */
  tooLarge(): PayloadTooLargeError {
    return new PayloadTooLargeError(`${this.tooLargeText}: grensen er ${formatLimit(this.maxBytes)}`);
  }

  /**
   * Refuses a declared Content-Length over the limit at once, so not a byte of the body
   * is read (the HTTP server then drains a little and closes the connection).
   */
  checkDeclared(contentLength: string | null | undefined): void {
    if (contentLength === undefined || contentLength === null || contentLength === '') return;
    if (!/^\d+$/.test(contentLength.trim()))
      throw new BadRequestError(`Ugyldig Content-Length: «${contentLength.slice(0, 40)}»`);
    if (Number(contentLength) > this.maxBytes) throw this.tooLarge();
  }

  /** `source`'s chunks, refused with tooLarge() as soon as more than the limit has passed. */
  async *limit(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    let seen = 0;
    for await (const chunk of source) {
      seen += chunk.byteLength;
      if (seen > this.maxBytes) throw this.tooLarge();
      yield chunk;
    }
  }

  /**
   * All of `source`, within the limit. A stream error is a 400 naming it. A Node stream
   * is read by its events, and over the limit it is paused, not destroyed: destroying a
   * request closes its socket, and the sender would get a reset instead of our refusal
   * (the HTTP server drains a little of the rest and closes the connection itself).
   */
  async read(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
    if (source instanceof Readable) return this.readNode(source);
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of this.limit(source)) {
        chunks.push(chunk);
        size += chunk.byteLength;
      }
    } catch (error) {
      throw error instanceof PayloadTooLargeError ? error : unreadable(error);
    }
    return Buffer.concat(chunks, size);
  }

  private readNode(source: Readable): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void => {
        source.off('data', onData);
        source.off('end', onEnd);
        source.off('error', onError);
        source.off('close', onClose);
      };
      const onData = (chunk: Buffer): void => {
        size += chunk.byteLength;
        if (size > this.maxBytes) {
          done();
          source.pause();
          chunks.length = 0;
          reject(this.tooLarge());
        } else chunks.push(chunk);
      };
      const onEnd = (): void => {
        done();
        resolve(Buffer.concat(chunks, size));
      };
      const onError = (error: Error): void => {
        done();
        reject(unreadable(error));
      };
      const onClose = (): void => {
        done();
        reject(unreadable(new Error('forbindelsen ble lukket')));
      };
      if (source.readableEnded) {
        resolve(Buffer.alloc(0));
        return;
      }
      source.on('data', onData);
      source.on('end', onEnd);
      source.on('error', onError);
      source.on('close', onClose);
    });
  }

  /** All of `source` as UTF-8 text, within the limit; malformed UTF-8 is refused (utf8.ts). */
  async readText(source: AsyncIterable<Uint8Array>): Promise<string> {
    return decodeUtf8Strict(await this.read(source), 'Forespørselen');
  }
}

/** A body that could not be read to its end (the sender broke off). */
function unreadable(error: unknown): BadRequestError {
  return new BadRequestError(`Forespørselen kunne ikke leses: ${(error as Error).message}`);
}

/** Bytes still allowed for several parts of one request together (all files, all text parts). */
export class SharedBudget {
  private left: number;

  /** `tooLargeText` as for BodyLimit: the refusal when the parts together pass `maxBytes`. */
  constructor(
    readonly maxBytes: number,
    private readonly tooLargeText: string,
  ) {
    this.left = maxBytes;
  }

  /** Takes `bytes`; throws a refusal (`tooLargeText` unless another is given) when the budget runs out. */
  take(bytes: number, tooLargeText = this.tooLargeText): void {
    this.left -= bytes;
    if (this.left < 0) throw new BodyLimit(this.maxBytes, tooLargeText).tooLarge();
  }

  /** `source`'s chunks, each taken from the budget as it passes. */
  async *counted(source: AsyncIterable<Uint8Array>, tooLargeText?: string): AsyncIterable<Uint8Array> {
    for await (const chunk of source) {
      this.take(chunk.byteLength, tooLargeText);
      yield chunk;
    }
  }
}
