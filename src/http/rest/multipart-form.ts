/**
 * Streams a multipart/form-data body (REST v1 send, API.md §9, checklist §15 point 9):
 * fields are collected as text, files are piped into the blob store as they arrive, so
 * a body of several hundred MB never sits in memory. Part names are not trusted; files
 * are known by their `filename` (RFC 5987 `filename*` included) and their order.
 */
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import { BadRequestError, PayloadTooLargeError } from '../../domain/errors.js';
import type { BlobRef } from '../../domain/model.js';
import type { BlobStore } from '../../storage/ports.js';

/** One uploaded file, stored. */
export interface UploadedFile {
  readonly partName: string;
  readonly filename: string;
  readonly contentType: string;
  readonly blob: BlobRef;
  /** The bytes, kept for a file up to IN_MEMORY_FILE_BYTES (the PDF check reads them here). */
  readonly bytes?: Uint8Array;
}

/**
 * A file part up to this size is gathered in memory and stored in one piece (one round trip
 * to the blob store's writer thread, and the PDF check needs no read back); a larger one
 * streams into the store as it arrives.
 */
const IN_MEMORY_FILE_BYTES = 1024 * 1024;
/** At most this much of one form's files is held in memory (the rest streams): many small parts cannot fill the heap. */
const IN_MEMORY_FORM_BYTES = 8 * 1024 * 1024;

/** The parsed form. */
export interface ParsedForm {
  /** Text parts by name (the first of each name). */
  readonly fields: ReadonlyMap<string, string>;
  readonly files: readonly UploadedFile[];
}

/** Limits on a form. */
export interface FormLimits {
  readonly maxFileBytes: number;
  readonly maxFieldBytes: number;
  readonly maxParts: number;
}

/** Parses `body` with `contentType`, storing files in `blobs`. */
export function parseMultipartForm(body: Readable, contentType: string, blobs: BlobStore, limits: FormLimits): Promise<ParsedForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        defParamCharset: 'utf8',
        // Keep "a/b.pdf" as sent, so the filnavn rule (no folders) can name it.
        preservePath: true,
        limits: { fieldSize: limits.maxFieldBytes, parts: limits.maxParts, fileSize: limits.maxFileBytes },
      });
    } catch (error) {
      reject(new BadRequestError(`Ugyldig multipart-forespørsel: ${(error as Error).message}`));
      return;
    }
    const fields = new Map<string, string>();
    const stored: Promise<UploadedFile>[] = [];
    const inMemory = { left: IN_MEMORY_FORM_BYTES };
    let failed = false;
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      body.unpipe(parser);
      body.resume(); // drain so the client sees our answer instead of a reset
      reject(error);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new PayloadTooLargeError(`Feltet '${name}' er for stort`));
      else if (!fields.has(name)) fields.set(name, value);
    });
    parser.on('file', (name, stream, info) => {
      const isMetadata = name === 'forsendelse' && /json|text\/plain/i.test(info.mimeType);
      if (!info.filename || isMetadata) {
        // The metadata part: some clients send it with a file-like Content-Type, some
        // (browsers' FormData with a Blob) with a filename — it is still the JSON.
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (!fields.has(name)) fields.set(name, Buffer.concat(chunks).toString('utf8'));
        });
        return;
      }
      const filename = info.filename;
      stream.on('limit', () => fail(new PayloadTooLargeError(`Filen '${filename}' er større enn tillatt`)));
      stored.push(
        storeFilePart(stream, blobs, inMemory).then(({ blob, bytes }) => ({ partName: name, filename, contentType: info.mimeType, blob, bytes })),
      );
      stored.at(-1)?.catch((error: unknown) => fail(error as Error));
    });
    parser.on('partsLimit', () => fail(new PayloadTooLargeError('For mange deler i forespørselen')));
    parser.on('error', (error: Error) => fail(new BadRequestError(`Ugyldig multipart-forespørsel: ${error.message}`)));
    parser.on('close', () => {
      if (failed) return;
      Promise.all(stored).then(
        (files) => resolve({ fields, files }),
        (error: unknown) => fail(error as Error),
      );
    });
    body.on('error', (error) => fail(new BadRequestError(`Forespørselen ble avbrutt: ${error.message}`)));
    body.pipe(parser);
  });
}

/**
 * Stores one file part: gathered in memory while it stays within IN_MEMORY_FILE_BYTES and
 * the form's remaining `inMemory` budget (then put whole, the bytes returned too), else
 * streamed into the store from there on.
 */
async function storeFilePart(stream: Readable, blobs: BlobStore, inMemory: { left: number }): Promise<{ blob: BlobRef; bytes?: Uint8Array }> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) {
      const bytes = Buffer.concat(head, size);
      inMemory.left -= size;
      return { blob: await blobs.put(bytes), bytes };
    }
    head.push(next.value);
    size += next.value.length;
    if (size > Math.min(IN_MEMORY_FILE_BYTES, inMemory.left)) break;
  }
  async function* headThenRest(): AsyncIterable<Uint8Array> {
    yield* head.splice(0);
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
  }
  return { blob: await blobs.put(headThenRest()) };
}
