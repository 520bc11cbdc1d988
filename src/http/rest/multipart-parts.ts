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

/** busboy reads at most 16 KiB of one part's headers (and refuses the body past it), and the delimiter line comes first. */
const HEADER_LIMIT = 16 * 1024 + 256;
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
/** The part headers busboy reads, each by its first value only. */
const READ_HEADERS = ['content-disposition', 'content-type', 'content-transfer-encoding'];

/**
 * Counts delimiter lines (`CRLF--boundary`) across chunks, the one at the very start included,
 * up to the closing one (`--boundary--`): what follows it is the epilogue, which readers
 * ignore (RFC 2046 §5.1.1), as busboy does, whatever it holds.
 *
 * It also reads each part's header block for what busboy resolves silently, first one wins:
 * a header it reads sent twice, or a `Content-Disposition` parameter sent twice (two
 * `filename`s). Another reader (a proxy, an archive's scanner) may take the last, so which
 * file or name the caller meant cannot be told: the part is refused (found in review).
 */
export class MultipartPartCount {
  /** The delimiter and the two bytes after it, which tell the closing one. */
  readonly #needle: Buffer;
  /** The last bytes seen, shorter than a delimiter and its two bytes: one may start in them. */
  #tail: Buffer;
  #delimiters = 0;
  #closed = false;
  /** The header block of the part begun last, while its end is still to come. */
  #header: Buffer | undefined;
  /** Why a part's headers are ambiguous, once one is. */
  #ambiguity: string | undefined;

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
    // Where the header block still open ends in `bytes` (all of them while it stays open).
    let headerUntil = 0;
    if (this.#header) headerUntil = this.#headerEnd(this.#readHeader(chunk), bytes.length - chunk.length, bytes);
    let from = 0;
    for (let i = bytes.indexOf(this.#needle); i !== -1; i = bytes.indexOf(this.#needle, from)) {
      if (i + span > bytes.length) break; // its two bytes are still to come: kept in the tail
      if (i < headerUntil) {
        // busboy reads these bytes as a header's value, this counter would read a delimiter:
        // a fake closing one there hid the headers after it from the checks (found in review).
        this.#ambiguity ??= 'en del har grensen (boundary) blant hodelinjene sine, så den kan leses på to måter';
        this.#closed = true;
        return;
      }
      this.#delimiters++;
      if (bytes[i + span - 2] === 0x2d && bytes[i + span - 1] === 0x2d) {
        this.#closed = true;
        return;
      }
      from = i + this.#needle.length;
      this.#header = undefined;
      headerUntil = this.#headerEnd(this.#readHeader(bytes.subarray(from)), from, bytes);
    }
    this.#tail = Buffer.from(bytes.subarray(Math.max(from, bytes.length - (span - 1))));
  }

  /** Why a part's headers could be read two ways, in Norwegian; undefined while none could. */
  get ambiguity(): string | undefined {
    return this.#ambiguity;
  }

  /** Where in `bytes` a header block read from `at` ends, given what #readHeader used of them. */
  #headerEnd(used: number | undefined, at: number, bytes: Uint8Array): number {
    return used === undefined ? bytes.length : at + used;
  }

  /**
   * Adds bytes to the header block being gathered, and reads it once it has ended: how many of
   * `bytes` it took to the block's end, or undefined while it goes on (or is past busboy's limit).
   */
  #readHeader(bytes: Uint8Array): number | undefined {
    const before = this.#header?.length ?? 0;
    // Never more than busboy reads, so a part's content is not copied here.
    const more = bytes.subarray(0, Math.max(0, HEADER_LIMIT - before));
    const block = this.#header
      ? Buffer.concat([this.#header, more])
      : Buffer.from(more.buffer, more.byteOffset, more.byteLength);
    const end = block.indexOf(HEADER_END, Math.max(0, before - 3));
    if (end !== -1) {
      this.#header = undefined;
      this.#ambiguity ??= headerAmbiguity(block.toString('latin1', 0, end));
      return end + HEADER_END.length - before;
    }
    // Past busboy's limit it refuses the body: nothing to add.
    this.#header = block.length < HEADER_LIMIT ? Buffer.from(block) : undefined;
    return undefined;
  }

  /** The parts seen once the body has ended: every delimiter opens one, but the closing one. */
  get parts(): number {
    return Math.max(0, this.#delimiters - 1);
  }
}

/**
 * What makes a part's header block (the rest of its delimiter line, then its header lines)
 * readable two ways, or undefined. Folded lines are unfolded as busboy does.
 */
export function headerAmbiguity(block: string): string | undefined {
  const lines = block
    .replace(/\r\n(?=[ \t])/g, '')
    .split('\r\n')
    .slice(1);
  const seen = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!READ_HEADERS.includes(name)) continue;
    if (seen.has(name))
      return `en del har «${line.slice(0, colon).trim()}» mer enn én gang, så den kan leses på to måter; send hver én gang`;
    seen.set(name, line.slice(colon + 1));
  }
  const disposition = seen.get('content-disposition');
  if (disposition === undefined) return undefined;
  const names = new Set<string>();
  // Parameters after the type: name=token or name="quoted \"string\"" (RFC 7578 §4.2, RFC 6266).
  for (const m of disposition.matchAll(/;\s*([^\s=;"]+)\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const param = (m[1] ?? '').toLowerCase();
    if (names.has(param))
      return `«Content-Disposition» i en del har parameteren «${m[1] ?? ''}» mer enn én gang, så den kan leses på to måter; send hver én gang`;
    names.add(param);
  }
  return undefined;
}
