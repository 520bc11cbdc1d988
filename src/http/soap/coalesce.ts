/**
 * Joins small chunks into larger ones before they reach the blob store: network reads
 * arrive in 16–64 KB pieces, and one write per piece leaves the disk waiting on the
 * thread pool. Half-megabyte writes roughly add a third to MTOM intake (bench/soap-intake.ts).
 */

/** Chunk size handed on. */
export const COALESCE_BYTES = 512 * 1024;

/** The same bytes in chunks of at least `size` bytes (the last may be smaller). */
export async function* coalesce(source: AsyncIterable<Uint8Array>, size = COALESCE_BYTES): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    if (chunk.byteLength >= size && pending.length === 0) {
      yield chunk;
      continue;
    }
    pending.push(chunk);
    total += chunk.byteLength;
    if (total >= size) {
      yield Buffer.concat(pending, total);
      pending = [];
      total = 0;
    }
  }
  if (total > 0) yield pending.length === 1 ? (pending[0] as Uint8Array) : Buffer.concat(pending, total);
}
