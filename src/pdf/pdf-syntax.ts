/**
 * A minimal parser for PDF object syntax (ISO 32000-1 §7.2–7.3), enough to read trailers,
 * cross-reference streams, object streams, the catalog and the page tree without pdf-lib.
 * The large-file inspection (inspect-pdf-stream.ts) uses it on small windows of a file
 * it never loads whole.
 */

/** A PDF name object, e.g. `/Type`. */
export interface PdfName {
  readonly kind: 'name';
  readonly name: string;
}

/** An indirect reference, `12 0 R`. */
export interface PdfRef {
  readonly kind: 'ref';
  readonly num: number;
  readonly gen: number;
}

/** A string object; its content is never needed here, so it is not kept. */
export interface PdfStringValue {
  readonly kind: 'string';
}

/** A dictionary; keys without the leading slash. */
export interface PdfDict {
  readonly kind: 'dict';
  readonly entries: ReadonlyMap<string, PdfValue>;
}

/** Any direct PDF value. */
export type PdfValue = number | boolean | null | PdfName | PdfRef | PdfStringValue | PdfDict | PdfValue[];

/** Thrown when the bytes end before the value does: read a larger window and retry. */
export class TruncatedPdfError extends Error {}

/** Thrown when the bytes are not PDF syntax. */
export class PdfSyntaxError extends Error {}

/**
 * Values nested deeper than the lexer follows (64 levels): the bytes may be fine to readers,
 * which follow deeper, so this is not "unreadable" but "beyond what is checked".
 */
export class PdfNestingError extends PdfSyntaxError {}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

/** True for PDF white-space bytes (§7.2.2 Table 1). */
export function isPdfWhitespace(byte: number): boolean {
  return WHITESPACE.has(byte);
}

/** Reads PDF values from a byte window; `pos` is the cursor. */
export class PdfLexer {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }

  /** Skips white space and comments. */
  skipSpace(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (WHITESPACE.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else return;
    }
  }

  /** Reads a regular-character token (number or keyword) without consuming delimiters. */
  private token(): string {
    const b = this.bytes;
    const start = this.pos;
    while (this.pos < b.length && !WHITESPACE.has(b[this.pos]!) && !DELIMITERS.has(b[this.pos]!)) this.pos++;
    if (this.pos === b.length) throw new TruncatedPdfError('token runs to the end of the window');
    return latin1(b, start, this.pos);
  }

  /** Reads the next keyword (e.g. `obj`, `stream`, `trailer`), or throws. */
  keyword(expected?: string): string {
    this.skipSpace();
    const t = this.token();
    if (expected !== undefined && t !== expected) throw new PdfSyntaxError(`expected ${expected}, got ${t}`);
    return t;
  }

  /** Reads a non-negative integer token. */
  integer(): number {
    this.skipSpace();
    const t = this.token();
    if (!/^\d+$/.test(t)) throw new PdfSyntaxError(`expected an integer, got ${JSON.stringify(t)}`);
    return Number(t);
  }

  /** Reads one value; `a b R` becomes a reference. */
  value(depth = 0): PdfValue {
    if (depth > 64) throw new PdfNestingError('nesting too deep');
    this.skipSpace();
    const b = this.bytes;
    if (this.pos >= b.length) throw new TruncatedPdfError('value expected');
    const c = b[this.pos]!;
    if (c === 0x3c) {
      if (this.pos + 1 >= b.length) throw new TruncatedPdfError('after <');
      return b[this.pos + 1] === 0x3c ? this.dict(depth) : this.hexString();
    }
    if (c === 0x5b) return this.array(depth);
    if (c === 0x28) return this.literalString();
    if (c === 0x2f) return this.nameValue();
    const t = this.token();
    if (t === '') throw new PdfSyntaxError(`unexpected byte 0x${c.toString(16)}`);
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (t === 'null') return null;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) {
      if (/^\d+$/.test(t)) return this.maybeRef(Number(t));
      return Number(t);
    }
    throw new PdfSyntaxError(`unexpected token ${JSON.stringify(t)}`);
  }

  /** After an integer: `gen R` makes a reference, otherwise rewind. */
  private maybeRef(num: number): PdfValue {
    const save = this.pos;
    try {
      this.skipSpace();
      const gen = this.token();
      if (/^\d+$/.test(gen)) {
        this.skipSpace();
        if (this.bytes[this.pos] === 0x52 && this.pos + 1 < this.bytes.length) {
          const after = this.bytes[this.pos + 1]!;
          if (WHITESPACE.has(after) || DELIMITERS.has(after)) {
            this.pos++;
            return { kind: 'ref', num, gen: Number(gen) };
          }
        }
      }
    } catch (e) {
      if (!(e instanceof PdfSyntaxError)) throw e;
    }
    this.pos = save;
    return num;
  }

  private nameValue(): PdfName {
    this.pos++;
    const raw = this.token();
    return {
      kind: 'name',
      name: raw.replace(/#([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
    };
  }

  private dict(depth: number): PdfDict {
    this.pos += 2;
    const entries = new Map<string, PdfValue>();
    for (;;) {
      this.skipSpace();
      if (this.pos + 1 >= this.bytes.length) throw new TruncatedPdfError('dictionary not closed');
      if (this.bytes[this.pos] === 0x3e && this.bytes[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return { kind: 'dict', entries };
      }
      const key = this.value(depth + 1);
      if (typeof key !== 'object' || key === null || Array.isArray(key) || key.kind !== 'name') {
        throw new PdfSyntaxError('dictionary key is not a name');
      }
      entries.set(key.name, this.value(depth + 1));
    }
  }

  private array(depth: number): PdfValue[] {
    this.pos++;
    const items: PdfValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.bytes.length) throw new TruncatedPdfError('array not closed');
      if (this.bytes[this.pos] === 0x5d) {
        this.pos++;
        return items;
      }
      items.push(this.value(depth + 1));
    }
  }

  private hexString(): PdfStringValue {
    const end = this.bytes.indexOf(0x3e, this.pos);
    if (end < 0) throw new TruncatedPdfError('hex string not closed');
    this.pos = end + 1;
    return { kind: 'string' };
  }

  private literalString(): PdfStringValue {
    const b = this.bytes;
    let depth = 0;
    for (; this.pos < b.length; this.pos++) {
      const c = b[this.pos]!;
      if (c === 0x5c) this.pos++;
      else if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) {
        this.pos++;
        return { kind: 'string' };
      }
    }
    throw new TruncatedPdfError('string not closed');
  }
}

/** Decodes bytes [start, end) as Latin-1. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** The dictionary entry `key`, or undefined. */
export function dictGet(dict: PdfDict, key: string): PdfValue | undefined {
  return dict.entries.get(key);
}

/** Narrows a value to a dictionary. */
export function isDict(v: PdfValue | undefined): v is PdfDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'dict';
}

/** Narrows a value to a reference. */
export function isRef(v: PdfValue | undefined): v is PdfRef {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'ref';
}

/** The name's text if `v` is a name. */
export function nameOf(v: PdfValue | undefined): string | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'name' ? v.name : undefined;
}
