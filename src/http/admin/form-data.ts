/**
 * Url-encoded forms of the admin web: read once, with a size limit, by the CSRF check
 * (which needs the token before anything else happens), then handed to the route.
 */
import type { Readable } from 'node:stream';
import { BadRequestError, PayloadTooLargeError } from '../../domain/errors.js';

/** A parsed form. */
export interface FormFields {
  /** The first value of `name`; undefined when absent. */
  get(name: string): string | undefined;
  /** Every value of `name`, in order. */
  all(name: string): string[];
}

/** Form bodies other than uploads are small; this bounds what is read before login. */
export const MAX_FORM_BYTES = 256 * 1024;

/** Wraps url-encoded text. */
export function formFromUrlEncoded(text: string): FormFields {
  const params = new URLSearchParams(text);
  return { get: (name) => params.get(name) ?? undefined, all: (name) => params.getAll(name) };
}

/** Reads a url-encoded body of at most `max` bytes. */
export async function readUrlEncoded(body: Readable | ReadableStream<Uint8Array> | null, max = MAX_FORM_BYTES): Promise<FormFields> {
  if (body === null) return formFromUrlEncoded('');
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > max) throw new PayloadTooLargeError(`Skjemaet er for stort (høyst ${max} byte)`);
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw error;
    throw new BadRequestError(`Skjemaet kunne ikke leses: ${(error as Error).message}`);
  }
  return formFromUrlEncoded(Buffer.concat(chunks).toString('utf8'));
}

/** A checkbox's state. */
export function checked(form: FormFields, name: string): boolean {
  return form.get(name) !== undefined;
}
