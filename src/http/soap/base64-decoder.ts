/**
 * Incremental base64 decoding of `<data>` text that arrives in arbitrary slices: line
 * breaks and blanks anywhere (docs/interfaces.md §15 point 2: MIME-style 76-column lines, WCF's
 * `&#xD;`), quanta split across network chunks, padding optional at the very end.
 */
import { BadRequestError, PayloadTooLargeError } from '../../domain/errors.js';

const WHITESPACE = /[\t\n\r ]+/g;
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;

/** Decodes one base64 text slice by slice; throws a Norwegian error naming `label`. */
export class Base64Decoder {
  private carry = '';
  private padded = false;
  private decoded = 0;

  constructor(
    private readonly label: string,
    private readonly maxBytes: number,
  ) {}

  /** Bytes decoded so far. */
  get size(): number {
    return this.decoded;
  }

  /** Decodes the next slice of text; returns the bytes of every complete 4-character quantum. */
  write(text: string): Uint8Array {
    const clean = text.replace(WHITESPACE, '');
    if (clean.length === 0) return EMPTY;
    const bad = NOT_BASE64.exec(clean);
    if (bad) {
      throw new BadRequestError(`Ugyldig base64 i ${this.label}: tegnet «${bad[0]}» hører ikke til base64`);
    }
    if (this.padded && !/^=+$/.test(clean)) throw this.afterPadding();
    const s = this.carry + clean;
    const pad = s.indexOf('=');
    if (pad !== -1) {
      // Padding ends the data: only one or two '=' may follow (possibly split across slices).
      if (!/^={1,2}$/.test(s.slice(pad))) throw this.afterPadding();
      this.padded = true;
    }
    const usable = s.length - (s.length % 4);
    this.carry = s.slice(usable);
    return this.count(usable === 0 ? EMPTY : Buffer.from(s.slice(0, usable), 'base64'));
  }

  /** Decodes what is left (unpadded final quantum) and checks the text ended on a whole byte. */
  end(): Uint8Array {
    // A final quantum without (or with only part of) its padding is accepted: lenient readers do.
    const rest = this.carry.replace(/=+$/, '');
    this.carry = '';
    if (rest.length === 0) return EMPTY;
    if (rest.length === 1) {
      throw new BadRequestError(`Ugyldig base64 i ${this.label}: teksten slutter midt i et tegn`);
    }
    return this.count(Buffer.from(rest, 'base64'));
  }

  private count(bytes: Uint8Array): Uint8Array {
    this.decoded += bytes.length;
    if (this.decoded > this.maxBytes) {
      throw new PayloadTooLargeError(`${this.label} er større enn ${formatBytes(this.maxBytes)} som innebygd base64`);
    }
    return bytes;
  }

  private afterPadding(): BadRequestError {
    return new BadRequestError(`Ugyldig base64 i ${this.label}: tegn etter avsluttende '='`);
  }
}

const EMPTY = new Uint8Array(0);

/** A byte count for messages: "350 MB", "16 KB". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} byte`;
}
