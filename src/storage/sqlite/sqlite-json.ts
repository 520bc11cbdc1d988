/** JSON columns: stored as text, parsed back to the ports' Json type. */
import type { Json } from '../ports.js';

/** Serialises a Json value for a TEXT column. */
export function toJsonText(value: Json): string {
  return JSON.stringify(value);
}

/** Parses a TEXT column written by toJsonText. */
export function fromJsonText(text: string): Json {
  return JSON.parse(text) as Json;
}

/**
 * Parses a stored view; text that is no JSON (a damaged row) reads as null, which the view
 * check (src/domain/record-view.ts) takes for a corrupt view and rebuilds from the journal.
 * JSON.parse threw here before, so such a letter answered 500 on every door, and a
 * receiving system's whole poll with it (found in review).
 */
export function viewFromJsonText(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return null;
  }
}

/** Runs `fn` over `items` in chunks that stay well below SQLite's bound-parameter limit. */
export function inChunks<T, R>(items: readonly T[], fn: (chunk: readonly T[]) => R[], size = 500): R[] {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...fn(items.slice(i, i + size)));
  return out;
}

/** `?, ?, ?` for n parameters. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
