/**
 * Streams a multipart/form-data body (REST v1 send, docs/interfaces.md §9, checklist §15 point 9):
 * fields are collected as text, files go into the blob store as they arrive (small ones
 * gathered in memory first, large ones streamed: store-upload.ts), so a body of several
 * hundred MB never sits in memory. Part names are not trusted; files
 * are known by their `filename` (RFC 5987 `filename*` included) and their order.
 * Every byte is counted as it arrives (body-limit.ts): the whole body, the files together
 * and the text parts together each have a limit, refused with 413 the moment it is passed.
 */
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import { BadRequestError, PayloadTooLargeError } from '../../domain/errors.js';
import type { BlobStore } from '../../storage/ports.js';
import { BodyLimit, MIB, SharedBudget } from '../body-limit.js';
import { storeUpload, type InMemoryBudget, type StoredUpload } from '../store-upload.js';
import { decodeUtf8Strict } from '../utf8.js';
import { boundaryOf, MultipartPartCount } from './multipart-parts.js';

/** One uploaded file, stored (small ones with their bytes: store-upload.ts). */
export interface UploadedFile extends StoredUpload {
  readonly partName: string;
  readonly filename: string;
  readonly contentType: string;
}

/** The parsed form. */
export interface ParsedForm {
  /** Text parts by name (a name sent twice is refused). */
  readonly fields: ReadonlyMap<string, string>;
  readonly files: readonly UploadedFile[];
}

/** Limits on a form. */
export interface FormLimits {
  /** The files together (so also each one). */
  readonly maxFileBytes: number;
  /** The text parts together: fields and parts without a filename, such as `forsendelse`. */
  readonly maxFieldBytes: number;
  readonly maxParts: number;
}

/** Part headers and boundaries of a form: a real one has a few KB of them. */
const STRUCTURE_BYTES = MIB;

/** The limit of the whole body: files, text parts and their structure. Routes check a declared Content-Length with it. */
export function formBodyLimit(limits: FormLimits): BodyLimit {
  return new BodyLimit(limits.maxFileBytes + limits.maxFieldBytes + STRUCTURE_BYTES, 'Forespørselen er for stor');
}

/** Parses `body` with `contentType`, storing files in `blobs`; small ones also kept in memory within `inMemory`. */
export function parseMultipartForm(
  body: Readable,
  contentType: string,
  blobs: BlobStore,
  limits: FormLimits,
  inMemory: InMemoryBudget,
): Promise<ParsedForm> {
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
      reject(new BadRequestError(`Ugyldig multipart-forespørsel: ${busboyReason(error as Error)}`));
      return;
    }
    const fields = new Map<string, string>();
    const stored: Promise<UploadedFile>[] = [];
    // Parts in the body against parts the parser told of: the difference was skipped by it.
    const partCount = new MultipartPartCount(boundaryOf(contentType) ?? '');
    let partsTold = 0;
    const fileBytes = new SharedBudget(limits.maxFileBytes, 'Filene er til sammen for store');
    const textBytes = new SharedBudget(limits.maxFieldBytes, 'Tekstdelene er til sammen for store');
    const bodyLimit = formBodyLimit(limits);
    let bodyBytes = 0;
    /** Bytes busboy has handed to part streams: the rest of the body is structure and plain fields. */
    let streamedBytes = 0;
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
    /**
     * A text part of a name already sent (two `forsendelse` parts) is refused: which one the
     * caller meant cannot be told, and taking either would deliver a letter it did not send.
     */
    const keepField = (name: string, value: string): void => {
      if (!fields.has(name)) fields.set(name, value);
      else fail(new BadRequestError(`Ugyldig multipart-forespørsel: delen «${name}» er sendt mer enn én gang`));
    };
    // A refused text part other than the metadata is most often a file sent without its
    // filename: the refusal says so, not only that it is too large or not UTF-8 (review).
    const failText = (name: string, error: Error): void => fail(name === 'forsendelse' ? error : asFileHint(error));
    parser.on('field', (name, value, info) => {
      partsTold++;
      if (failed) return;
      if (!isIdentityEncoding(info.encoding)) {
        fail(transferEncodingRefused(name, info.encoding));
        return;
      }
      if (info.valueTruncated) {
        failText(name, new BodyLimit(limits.maxFieldBytes, `Feltet «${name}» er for stort`).tooLarge());
        return;
      }
      // A charset busboy cannot decode (`charset=bogus`, `utf-7`) leaves no text at all: it was
      // a TypeError and 500 further down (found in review).
      if (typeof value !== 'string') {
        failText(name, new BadRequestError(`Delen «${name}» har et tegnsett som ikke kan leses; send den som UTF-8`));
        return;
      }
      try {
        textBytes.take(Buffer.byteLength(value), `Feltet «${name}» er for stort`);
      } catch (error) {
        failText(name, error as Error);
        return;
      }
      // busboy decodes a plain field itself, putting U+FFFD for a malformed byte; the bytes
      // are gone by then, so the replacement character is what tells (a text that really
      // holds U+FFFD was already damaged before it reached us).
      if (value.includes('\uFFFD')) {
        failText(
          name,
          new BadRequestError(`Delen «${name}» er ikke gyldig UTF-8 (byte som ikke kan leses ble til U+FFFD)`),
        );
        return;
      }
      keepField(name, value);
    });
    parser.on('file', (name, stream, info) => {
      partsTold++;
      // A body that ends inside a part destroys the part's stream with an error: without a
      // listener of its own that error ended the process (found in review).
      stream.on('error', (error: Error) =>
        fail(new BadRequestError(`Ugyldig multipart-forespørsel: ${busboyReason(error)}`)),
      );
      countPushes(stream, (bytes) => (streamedBytes += bytes));
      if (failed) {
        // Parts the parser still had buffered when the form failed: nothing is stored.
        stream.resume();
        return;
      }
      if (!isIdentityEncoding(info.encoding)) {
        stream.resume();
        fail(transferEncodingRefused(name, info.encoding));
        return;
      }
      if (!info.filename || name === 'forsendelse') {
        // The metadata part, known by its name whatever its Content-Type and filename: some
        // clients send it as a file (browsers' FormData with a Blob; `curl -F
        // forsendelse=@forsendelse.json` as application/octet-stream) — it is still the JSON. It is
        // counted as it arrives: gathered without a limit, 540 MB of it once ended the
        // process (ERR_STRING_TOO_LONG thrown in this listener).
        collectTextPart(
          name,
          stream,
          textBytes,
          (error) => failText(name, error),
          (text) => keepField(name, text),
        );
        return;
      }
      const filename = info.filename;
      // busboy decodes the filename parameter itself (UTF-8), putting U+FFFD for a byte it
      // cannot read: "vedt�k.pdf" would be stored (found in review).
      if (filename.includes('\uFFFD')) {
        stream.resume();
        fail(
          new BadRequestError(
            `Filnavnet i delen «${name}» er ikke gyldig UTF-8 (byte som ikke kan leses ble til U+FFFD): send det som UTF-8, eller med filename*=UTF-8''…`,
          ),
        );
        return;
      }
      const tooLarge = (): Error => new BodyLimit(limits.maxFileBytes, `Filen «${filename}» er for stor`).tooLarge();
      stream.on('limit', () => fail(tooLarge()));
      openFiles.add(stream);
      stream.once('close', () => openFiles.delete(stream));
      const counted = fileBytes.counted(stream);
      stored.push(
        storeUpload(counted, blobs, inMemory, { whole: () => wholeFile(stream, tooLarge) }).then((upload) => ({
          ...upload,
          partName: name,
          filename,
          contentType: info.mimeType,
        })),
      );
      stored.at(-1)?.catch((error: unknown) => fail(error as Error));
    });
    parser.on('partsLimit', () =>
      fail(new PayloadTooLargeError(`For mange deler i forespørselen: høyst ${limits.maxParts}`)),
    );
    parser.on('error', (error: Error) =>
      fail(new BadRequestError(`Ugyldig multipart-forespørsel: ${busboyReason(error)}`)),
    );
    parser.on('close', () => {
      if (failed) return;
      const skipped = partCount.parts - partsTold;
      if (skipped > 0) {
        fail(
          new BadRequestError(
            `Ugyldig multipart-forespørsel: ${skipped === 1 ? 'én del' : `${skipped} deler`} uten lesbar «Content-Disposition: form-data; name=…» (RFC 7578 §4.2) ble ikke lest; send hver del med det, og et gyldig filename eller filename*, og en grense (boundary) som ikke står i noen fil`,
          ),
        );
        return;
      }
      Promise.all(stored).then(
        (files) => resolve({ fields, files }),
        (error: unknown) => fail(error as Error),
      );
    });
    body.on('error', (error) => fail(new BadRequestError(`Forespørselen ble avbrutt: ${error.message}`)));
    body.pipe(parser);
    // Counted after the parser has taken each chunk (it parses as it is written): part
    // headers and boundaries count too. busboy gathers a part without a filename (unless it
    // is application/octet-stream) as a field and tells of it only at its end, cut to
    // maxFieldBytes; what is neither such a field nor in a part stream is refused here as
    // it arrives instead of after the whole field was read.
    body.on('data', (chunk: Uint8Array) => {
      bodyBytes += chunk.byteLength;
      partCount.push(chunk);
      if (partCount.ambiguity !== undefined)
        fail(new BadRequestError(`Ugyldig multipart-forespørsel: ${partCount.ambiguity}`));
      else if (bodyBytes > bodyLimit.maxBytes) fail(bodyLimit.tooLarge());
      else if (bodyBytes - streamedBytes > limits.maxFieldBytes + STRUCTURE_BYTES)
        fail(TEXT_FIELDS_TOO_LARGE(limits.maxFieldBytes));
    });
  });
}

/**
 * Gathers a part that is text, within `budget`: over it, the form fails at once and the
 * rest of the part is let through unread. Nothing thrown here can escape the listeners.
 */
function collectTextPart(
  name: string,
  stream: Readable,
  budget: SharedBudget,
  fail: (error: Error) => void,
  done: (text: string) => void,
): void {
  const chunks: Buffer[] = [];
  let over = false;
  stream.on('data', (chunk: Buffer) => {
    if (over) return;
    try {
      budget.take(chunk.byteLength, `Delen «${name}» er for stor`);
      chunks.push(chunk);
    } catch (error) {
      over = true;
      chunks.length = 0;
      fail(error as Error);
    }
  });
  stream.on('end', () => {
    if (over) return;
    try {
      done(decodeUtf8Strict(Buffer.concat(chunks), `Delen «${name}»`));
    } catch (error) {
      fail(error as Error);
    }
  });
}

/** `error` with the likely cause added: a part without `filename` is read as text, not as a file. */
function asFileHint(error: Error): Error {
  const hint = '; delen har ingen filename, så den ble lest som tekst: en fil må ha filename i Content-Disposition';
  if (error instanceof PayloadTooLargeError) return new PayloadTooLargeError(error.message + hint);
  if (error instanceof BadRequestError) return new BadRequestError(error.message + hint, error.code);
  return error;
}

const TEXT_FIELDS_TOO_LARGE = (max: number): Error =>
  new BodyLimit(max, 'Tekstfeltene er til sammen for store').tooLarge();

/** Tells `count` the bytes busboy pushes into a part stream, as it pushes them (before anyone reads them). */
function countPushes(stream: Readable, count: (bytes: number) => void): void {
  const push = stream.push.bind(stream);
  stream.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (chunk instanceof Uint8Array) count(chunk.byteLength);
    return push(chunk, encoding);
  };
}

/** busboy ends a file cut at the size limit like a whole one, marked `truncated`: never stored. */
function wholeFile(stream: Readable, tooLarge: () => Error): void {
  if ((stream as Readable & { truncated?: boolean }).truncated === true) throw tooLarge();
}

/** busboy's few error messages, said in Norwegian (another, unforeseen one is named as a generic fault). */
const BUSBOY_REASONS: readonly [RegExp, string][] = [
  [/boundary not found/i, 'Content-Type mangler boundary-parameteret'],
  [/unexpected end of (form|multipart data)/i, 'forespørselen sluttet før siste del var ferdig'],
  [/malformed part header/i, 'en del har en ugyldig eller for lang header'],
  [/malformed (urlencoded )?form/i, 'skjemaet er ugyldig'],
  [/unsupported content type/i, 'Content-Type må være multipart/form-data'],
];

function busboyReason(error: Error): string {
  return BUSBOY_REASONS.find(([pattern]) => pattern.test(error.message))?.[1] ?? 'delene kunne ikke leses';
}

/**
 * A part's Content-Transfer-Encoding (RFC 2045 §6; RFC 7578 §4.7: deprecated in form data):
 * busboy passes the bytes on as they came, so a base64 part was stored still encoded and its
 * sha256 was the encoded text's (found in a review). HTTP carries 8-bit bytes; only the
 * identity encodings are taken.
 */
function isIdentityEncoding(encoding: string): boolean {
  return ['7bit', '8bit', 'binary'].includes(encoding.trim().toLowerCase());
}

function transferEncodingRefused(name: string, encoding: string): BadRequestError {
  return new BadRequestError(
    `Ugyldig multipart-forespørsel: delen «${name}» har Content-Transfer-Encoding «${encoding}»; send innholdet som det er (binary)`,
  );
}
