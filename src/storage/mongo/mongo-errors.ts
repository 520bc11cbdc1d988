/** Recognising MongoDB's errors without depending on the driver's class identities. */

/** E11000: a write broke a unique index (also inside a bulk write's writeErrors). */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, writeErrors } = error as { code?: unknown; writeErrors?: unknown };
  if (code === 11000 || code === 11001) return true;
  const list: unknown[] = Array.isArray(writeErrors) ? writeErrors : writeErrors === undefined ? [] : [writeErrors];
  return list.some((e) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000);
}
