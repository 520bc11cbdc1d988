/**
 * Url-encoded form bodies (application/x-www-form-urlencoded), decoded strictly: the admin
 * web's forms and the inbox's code form (docs/interfaces.md §9a).
 */
import { BadRequestError } from '../domain/errors.js';

/** A parsed form. */
export interface FormFields {
  /** The first value of `name`; undefined when absent. */
  get(name: string): string | undefined;
  /** Every value of `name`, in order. */
  all(name: string): string[];
}

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
