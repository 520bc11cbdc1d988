/**
 * Url-encoded forms of the admin web: read once, with a size limit, by the CSRF check
 * (which needs the token before anything else happens), then handed to the route.
 */
import type { Readable } from 'node:stream';
import { BodyLimit } from '../body-limit.js';
import { formFromUrlEncoded, type FormFields } from '../url-encoded-form.js';

export { formFromUrlEncoded, type FormFields };

/** Form bodies other than uploads are small; this bounds what is read before login. */
export const MAX_FORM_BYTES = 256 * 1024;

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
