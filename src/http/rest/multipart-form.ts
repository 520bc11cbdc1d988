/**
 * Streams a multipart/form-data body (REST v1 send, API.md §9, checklist §15 point 9):
 * fields are collected as text, files go into the blob store as they arrive (small ones
 * gathered in memory first, large ones streamed: store-upload.ts), so a body of several
 * hundred MB never sits in memory. Part names are not trusted; files
 * are known by their `filename` (RFC 5987 `filename*` included) and their order.
 */
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import { BadRequestError, PayloadTooLargeError } from '../../domain/errors.js';
import type { BlobStore } from '../../storage/ports.js';
import { inMemoryBudget, storeUpload, type StoredUpload } from '../store-upload.js';

/** One uploaded file, stored (small ones with their bytes: store-upload.ts). */
export interface UploadedFile extends StoredUpload {
  readonly partName: string;
  readonly filename: string;
  readonly contentType: string;
}

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
    const inMemory = inMemoryBudget();
    /** File streams not yet ended: ended with the error when the form fails, so no put waits for more. */
    const openFiles = new Set<Readable>();
    let failed = false;
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      body.unpipe(parser);
      body.resume(); // drain so the client sees our answer instead of a reset
      for (const file of openFiles) file.destroy(error);
      // Answer once the puts under way have ended: the intake's lease is released after the
      // answer, and a put still placing bytes then would leave a file nothing holds.
      void Promise.allSettled(stored).then(() => reject(error));
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new PayloadTooLargeError(`Feltet '${name}' er for stort`));
      else if (!fields.has(name)) fields.set(name, value);
    });
    parser.on('file', (name, stream, info) => {
      if (failed) {
        // Parts the parser still had buffered when the form failed: nothing is stored.
        stream.resume();
        return;
      }
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
      const tooLarge = (): PayloadTooLargeError => new PayloadTooLargeError(`Filen '${filename}' er større enn tillatt`);
      stream.on('limit', () => fail(tooLarge()));
      openFiles.add(stream);
      stream.once('close', () => openFiles.delete(stream));
      stored.push(
        storeUpload(stream, blobs, inMemory, { whole: () => wholeFile(stream, tooLarge) }).then((upload) => ({ ...upload, partName: name, filename, contentType: info.mimeType })),
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

/** busboy ends a file cut at the size limit like a whole one, marked `truncated`: never stored. */
function wholeFile(stream: Readable, tooLarge: () => Error): void {
  if ((stream as Readable & { truncated?: boolean }).truncated === true) throw tooLarge();
}
