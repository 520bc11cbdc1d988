/**
 * The pieces of a file served in parts (HTTP ranges): merging a part into them, and the
 * bounds every ServedParts adapter keeps (src/app/download-coverage.ts in memory,
 * src/storage/redis/redis-served-parts.ts, whose Lua script restates `merged`).
 */

/** An inclusive byte range. */
export interface Piece {
  readonly start: number;
  readonly end: number;
}

/** A file whose parts stay apart in more pieces than this is forgotten. */
export const MAX_PIECES = 512;
/** How long a file's parts are kept after its last one. */
export const FORGET_AFTER_MS = 24 * 3600_000;

/** `pieces` (sorted, disjoint) with `range` added, merged with every piece it overlaps or touches. */
export function merged(pieces: readonly Piece[], range: Piece): Piece[] {
  const out: Piece[] = [];
  let current: Piece = { start: range.start, end: range.end };
  let placed = false;
  for (const piece of pieces) {
    if (piece.end + 1 < current.start) out.push(piece);
    else if (piece.start > current.end + 1) {
      if (!placed) out.push(current);
      placed = true;
      out.push(piece);
    } else current = { start: Math.min(current.start, piece.start), end: Math.max(current.end, piece.end) };
  }
  if (!placed) out.push(current);
  return out;
}
