/**
 * BullMQ job ids from our deterministic JobSpec ids (`notify:<uuid>`, …).
 *
 * BullMQ 6 refuses a custom id that contains ':' (unless it splits into exactly three
 * parts, a legacy repeatable-job form) and one that reads as an integer ("Custom Id
 * cannot be integers"), and it refuses '0'. Our ids use ':' as a separator, so they are
 * percent-encoded: '%' → '%25', ':' → '%3A', and an id that would still read as an
 * integer has its first character encoded too. The mapping is injective and reversible,
 * so equal JobSpec ids always give the same BullMQ id (deduplication holds) and distinct
 * ones never collide.
 */

/** Encodes one character as `%XX` (UTF-16 code units below 0x100 only are ever passed). */
function percent(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

/** True when BullMQ would take `id` for an integer id (its own check, job.js). */
function readsAsInteger(id: string): boolean {
  return `${Number.parseInt(id, 10)}` === id;
}

/** Turns a JobSpec id into an id BullMQ accepts; reversible with decodeJobId. */
export function encodeJobId(id: string): string {
  if (id.length === 0) throw new Error('Jobb-id kan ikke være tom');
  const escaped = id.replace(/[%:]/g, percent);
  // A first character that is a digit or '-' is what lets an id read as an integer;
  // encoding it makes the id start with '%', which parseInt never accepts.
  return readsAsInteger(escaped) ? percent(escaped.charAt(0)) + escaped.slice(1) : escaped;
}

/** Inverse of encodeJobId. */
export function decodeJobId(encoded: string): string {
  return encoded.replace(/%([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
