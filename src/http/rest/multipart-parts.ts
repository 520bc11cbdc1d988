/**
 * Counts the parts of a multipart body by its delimiters as the bytes pass (RFC 2046 §5.1.1),
 * so a part the form parser skips without a word (busboy passes over a part without
 * `Content-Disposition: form-data`, or one whose disposition it cannot read) is refused
 * instead of dropped: a file sent that way would have been left out of the letter while the
 * sender got 200 (found in review).
 */

/** The `boundary` parameter of a multipart Content-Type, if any. */
export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

/**
 * Counts delimiter lines (`CRLF--boundary`) across chunks, the one at the very start included,
 * up to the closing one (`--boundary--`): what follows it is the epilogue, which readers
 * ignore (RFC 2046 §5.1.1), as busboy does, whatever it holds.
 */
export class MultipartPartCount {
  /** The delimiter and the two bytes after it, which tell the closing one. */
  readonly #needle: Buffer;
  /** The last bytes seen, shorter than a delimiter and its two bytes: one may start in them. */
  #tail: Buffer;
  #delimiters = 0;
  #closed = false;

  constructor(boundary: string) {
    this.#needle = Buffer.from(`\r\n--${boundary}`, 'latin1');
    // The first delimiter may open the body, with no line break before it.
    this.#tail = Buffer.from('\r\n', 'latin1');
  }

  /** Takes the next bytes of the body. */
  push(chunk: Uint8Array): void {
    if (this.#closed) return;
    const span = this.#needle.length + 2;
    // The tail and this chunk together, searched from the start: a delimiter found before is
    // not in the tail, which holds fewer bytes than a delimiter and its two bytes.
    const bytes = Buffer.concat([this.#tail, chunk]);
    let from = 0;
    for (let i = bytes.indexOf(this.#needle); i !== -1; i = bytes.indexOf(this.#needle, from)) {
      if (i + span > bytes.length) break; // its two bytes are still to come: kept in the tail
      this.#delimiters++;
      if (bytes[i + span - 2] === 0x2d && bytes[i + span - 1] === 0x2d) {
        this.#closed = true;
        return;
      }
      from = i + this.#needle.length;
    }
    this.#tail = Buffer.from(bytes.subarray(Math.max(from, bytes.length - (span - 1))));
  }

  /** The parts seen once the body has ended: every delimiter opens one, but the closing one. */
  get parts(): number {
    return Math.max(0, this.#delimiters - 1);
  }
}
