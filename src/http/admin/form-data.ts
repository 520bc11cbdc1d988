/**
 * Url-encoded forms of the admin web: read once, with a size limit, by the CSRF check
 * (which needs the token before anything else happens), then handed to the route.
 */
import type { Readable } from 'node:stream';
import { BadRequestError } from '../../domain/errors.js';
import { BodyLimit } from '../body-limit.js';

/** A parsed form. */
export interface FormFields {
  /** The first value of `name`; undefined when absent. */
  get(name: string): string | undefined;
  /** Every value of `name`, in order. */
  all(name: string): string[];
}

/** Form bodies other than uploads are small; this bounds what is read before login. */
export const MAX_FORM_BYTES = 256 * 1024;

/**
 * Wraps url-encoded text, decoded strictly: a percent-encoded byte sequence that is no UTF-8
 * (`%FF`, a lone surrogate's `%ED%A0%80`) or a `%` without two hex digits is refused, where
 * URLSearchParams put U+FFFD or kept the `%` (found in review: such a user name reached the
 * audit log). Browsers send neither.
 */
export function formFromUrlEncoded(text: string): FormFields {
  const pairs: [string, string][] = [];
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    pairs.push(eq < 0 ? [decodePart(piece), ''] : [decodePart(piece.slice(0, eq)), decodePart(piece.slice(eq + 1))]);
  }
  return {
    get: (name) => pairs.find(([n]) => n === name)?.[1],
    all: (name) => pairs.filter(([n]) => n === name).map(([, v]) => v),
  };
}

function decodePart(encoded: string): string {
  const text = encoded.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(text);
  } catch {
    throw new BadRequestError(
      'Skjemaet er ikke gyldig: et felt har prosentkoding som ikke er gyldig UTF-8 (eller en % uten to heksadesimale sifre)',
    );
  }
}

/**
 * Reads a url-encoded body of at most `max` bytes: a declared Content-Length over it is
 * refused before reading, a longer body as soon as it passes the limit.
 */
export async function readUrlEncoded(
  body: Readable | ReadableStream<Uint8Array> | null,
  max = MAX_FORM_BYTES,
  contentLength?: string,
): Promise<FormFields> {
  if (body === null) return formFromUrlEncoded('');
  const limit = new BodyLimit(max, 'Skjemaet er for stort');
  limit.checkDeclared(contentLength);
  return formFromUrlEncoded(await limit.readText(body as AsyncIterable<Uint8Array>));
}

/** A checkbox's state. */
export function checked(form: FormFields, name: string): boolean {
  return form.get(name) !== undefined;
}
