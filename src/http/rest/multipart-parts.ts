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

/** Counts delimiter lines (`CRLF--boundary`) across chunks, the one at the very start included. */
export class MultipartPartCount {
  readonly #needle: Buffer;
  /** The last bytes seen, shorter than the needle: a delimiter may start in them. */
  #tail: Buffer;
  #delimiters = 0;

  constructor(boundary: string) {
    this.#needle = Buffer.from(`\r\n--${boundary}`, 'latin1');
    // The first delimiter may open the body, with no line break before it.
    this.#tail = Buffer.from('\r\n', 'latin1');
  }

  /** Takes the next bytes of the body. */
  push(chunk: Uint8Array): void {
    const needle = this.#needle;
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    // Delimiters that start in the tail and end in this chunk.
    const seam = Buffer.concat([this.#tail, bytes.subarray(0, needle.length - 1)]);
    for (let i = seam.indexOf(needle); i !== -1 && i < this.#tail.length; i = seam.indexOf(needle, i + 1)) {
      this.#delimiters++;
    }
    for (let i = bytes.indexOf(needle); i !== -1; i = bytes.indexOf(needle, i + needle.length)) this.#delimiters++;
    const keep = needle.length - 1;
    this.#tail =
      bytes.length >= keep
        ? Buffer.from(bytes.subarray(bytes.length - keep))
        : Buffer.concat([this.#tail, bytes]).subarray(-keep);
  }

  /** The parts seen once the body has ended: every delimiter opens one, but the closing one. */
  get parts(): number {
    return Math.max(0, this.#delimiters - 1);
  }
}
