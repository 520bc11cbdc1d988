/**
 * A small multipart/form-data form read into memory (the admin web's certificate upload):
 * text fields and file contents as text (a file's bytes turned into text by the caller's
 * `fileText`, UTF-8 unless given), every byte counted against one limit, refused with 413 the
 * moment it is passed.
 */
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import { BadRequestError, PayloadTooLargeError } from '../../domain/errors.js';

/** Fields and files (by part name) of a small form, all as text. */
export async function readSmallMultipart(
  body: Readable,
  contentType: string,
  maxBytes: number,
  fileText: (bytes: Buffer) => string = (bytes) => bytes.toString('utf8'),
): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const values = new Map<string, string>();
    let total = 0;
    let failed = false;
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      body.unpipe();
      body.resume();
      reject(error);
    };
    const count = (n: number): boolean => {
      total += n;
      if (total > maxBytes) fail(new PayloadTooLargeError(`Skjemaet er for stort (høyst ${maxBytes} byte)`));
      return !failed;
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8', limits: { parts: 20 } });
    } catch (error) {
      reject(new BadRequestError(`Ugyldig skjema: ${(error as Error).message}`));
      return;
    }
    parser.on('field', (name, value) => {
      if (count(Buffer.byteLength(name) + Buffer.byteLength(value)) && !values.has(name)) values.set(name, value);
    });
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (count(chunk.length)) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (!values.has(name)) values.set(name, fileText(Buffer.concat(chunks)));
      });
    });
    parser.on('error', (error: Error) => fail(new BadRequestError(`Ugyldig skjema: ${error.message}`)));
    parser.on('close', () => {
      if (!failed) resolve(values);
    });
    body.pipe(parser);
  });
}
