/**
 * Strict UTF-8 for request text. Node's Buffer#toString and a default TextDecoder replace a
 * malformed byte with U+FFFD, so a title sent in Latin-1 was stored as "Vedtak �� …" behind a
 * 200. KS's services read JSON with Jackson and XML with a parser that both refuse
 * malformed UTF-8 (RFC 8259 §8.1, XML 1.0 §4.3.3); so do the doors, saying where.
 */
import { BadRequestError } from '../domain/errors.js';

/** `bytes` as text, or BadRequestError "`what` er ikke gyldig UTF-8 (byte N)". */
export function decodeUtf8Strict(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new BadRequestError(`${what} er ikke gyldig UTF-8${whereInvalid(firstInvalidUtf8(bytes))}`);
  }
}

/** " (byte N)", counted from 1, or nothing when the place is not known. */
export function whereInvalid(offset: number): string {
  return offset < 0 ? '' : ` (byte ${offset + 1})`;
}

/**
 * Offset of the first byte that does not start or continue a well-formed UTF-8 sequence
 * (Unicode §3.9, table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF);
 * a sequence cut off by the end counts as malformed there; -1 when all is well-formed.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return -1;
}
