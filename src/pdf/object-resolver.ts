import type { ByteSource } from './byte-source.js';
import { PdfLexer, PdfSyntaxError, dictGet, isDict, isRef, nameOf, type PdfValue } from './pdf-syntax.js';
import { readObjectAt, readStructureStream } from './window-parse.js';
import type { XrefEntry } from './xref-table.js';

/** Looks up where an object lives: the cross-reference chain or a reconstructed table. */
export type EntryLookup = (num: number) => Promise<XrefEntry | undefined>;

interface DecodedObjectStream {
  readonly data: Uint8Array;
  /** [objectNumber, offsetFromFirst] pairs in the order of the stream's header. */
  readonly members: ReadonlyArray<readonly [number, number]>;
  readonly first: number;
}

/** Keeps at most this many decoded object streams: each may be a few MB. */
const OBJECT_STREAM_CACHE = 4;

/** Resolves indirect objects of a file read through a ByteSource, without loading it whole. */
export class ObjectResolver {
  private readonly streams = new Map<number, DecodedObjectStream>();

  constructor(
    private readonly source: ByteSource,
    private readonly lookup: EntryLookup,
  ) {}

  /** Follows references until a direct value; undefined for a missing or free object (§7.3.10: null). */
  async resolve(value: PdfValue | undefined, depth = 0): Promise<PdfValue | undefined> {
    if (!isRef(value)) return value;
    if (depth > 32) throw new PdfSyntaxError('reference chain too long');
    return this.resolve(await this.object(value.num), depth + 1);
  }

  /** The value of object `num`, or undefined if the table does not have it. */
  async object(num: number): Promise<PdfValue | undefined> {
    const entry = await this.lookup(num);
    if (entry === undefined || entry.type === 'free') return undefined;
    if (entry.type === 'offset') {
      const raw = await readObjectAt(this.source, entry.offset);
      if (raw.num !== num) throw new PdfSyntaxError(`object ${num} expected at ${entry.offset}, found ${raw.num}`);
      return raw.value;
    }
    const stream = await this.objectStream(entry.stream);
    const member = stream.members[entry.index];
    const at = member !== undefined && member[0] === num ? member : stream.members.find((m) => m[0] === num);
    if (at === undefined) throw new PdfSyntaxError(`object ${num} not in object stream ${entry.stream}`);
    return new PdfLexer(stream.data, stream.first + at[1]).value();
  }

  /** Which objects an object stream holds (for the recovery scan). */
  async objectStreamMembers(num: number): Promise<ReadonlyArray<readonly [number, number]>> {
    return (await this.objectStream(num)).members;
  }

  private async objectStream(num: number): Promise<DecodedObjectStream> {
    const cached = this.streams.get(num);
    if (cached !== undefined) return cached;
    const entry = await this.lookup(num);
    if (entry?.type !== 'offset') throw new PdfSyntaxError(`object stream ${num} not found`);
    const raw = await readObjectAt(this.source, entry.offset);
    const dict = raw.value;
    if (
      raw.num !== num ||
      !isDict(dict) ||
      nameOf(dictGet(dict, 'Type')) !== 'ObjStm' ||
      raw.streamStart === undefined
    ) {
      throw new PdfSyntaxError(`object ${num} is not an object stream`);
    }
    const length = await this.resolve(dictGet(dict, 'Length'));
    const n = dictGet(dict, 'N');
    const first = dictGet(dict, 'First');
    if (typeof length !== 'number' || typeof n !== 'number' || typeof first !== 'number')
      throw new PdfSyntaxError('bad object stream');
    const data = await readStructureStream(this.source, dict, raw.streamStart, length);
    const header = new PdfLexer(data.subarray(0, first + 1));
    const members: Array<readonly [number, number]> = [];
    for (let i = 0; i < n; i++) members.push([header.integer(), header.integer()]);
    const decoded = { data, members, first };
    if (this.streams.size >= OBJECT_STREAM_CACHE) {
      const oldest = this.streams.keys().next().value;
      if (oldest !== undefined) this.streams.delete(oldest);
    }
    this.streams.set(num, decoded);
    return decoded;
  }
}
