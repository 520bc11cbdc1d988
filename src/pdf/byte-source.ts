import type { Readable } from 'node:stream';
import type { ByteRange } from '../storage/ports.js';

/** Random access to a file's bytes without holding it whole: what the large-file inspection reads through. */
export interface ByteSource {
  readonly size: number;
  /** Bytes [offset, offset + length), clipped to the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Streams [start, end) in order, in chunks of the source's choosing (at most `chunkSize` for bytes in memory). */
  chunks(start: number, end: number, chunkSize: number): AsyncIterable<Uint8Array>;
}

/** Opens a stream of the whole content or an inclusive byte range, as `BlobStore.stream` does. */
export type RangeOpener = (range?: ByteRange) => Promise<Readable>;

/** A ByteSource over bytes already in memory. */
export function byteSourceFromBytes(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) =>
      Promise.resolve(bytes.subarray(clip(offset, bytes.length), clip(offset + length, bytes.length))),
    async *chunks(start, end, chunkSize) {
      for (let at = start; at < end; at += chunkSize) yield bytes.subarray(at, Math.min(end, at + chunkSize));
    },
  };
}

/** A ByteSource that opens one ranged stream per read (BlobStore.stream with a ByteRange). */
export function byteSourceFromRangeOpener(open: RangeOpener, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const start = clip(offset, size);
      const end = clip(offset + length, size);
      if (end <= start) return new Uint8Array(0);
      const parts: Buffer[] = [];
      let got = 0;
      const stream = await open({ start, end: end - 1 });
      try {
        for await (const chunk of stream) {
          const buf = chunk as Buffer;
          // Never keep more than was asked for, even if the stream runs on past the range's end.
          const take = Math.min(buf.length, end - start - got);
          if (take > 0) parts.push(buf.subarray(0, take));
          got += take;
          if (got >= end - start) break;
        }
      } finally {
        stream.destroy();
      }
      return parts.length === 1 ? parts[0]! : Buffer.concat(parts, got);
    },
    async *chunks(start, end) {
      // One stream for the whole range, passed through as it comes: re-cutting into larger
      // chunks would allocate a copy per chunk, and a scan of 300 MB makes that 300 MB of garbage.
      if (end <= start) return;
      const stream = await open({ start, end: end - 1 });
      let sent = start;
      try {
        for await (const chunk of stream) {
          const buf = chunk as Buffer;
          const take = Math.min(buf.length, end - sent);
          if (take > 0) yield take === buf.length ? buf : buf.subarray(0, take);
          sent += take;
          if (sent >= end) break;
        }
      } finally {
        stream.destroy();
      }
    },
  };
}

function clip(n: number, size: number): number {
  return Math.max(0, Math.min(size, n));
}
