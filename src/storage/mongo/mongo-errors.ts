/** Recognising MongoDB's errors without depending on the driver's class identities. */

/** E11000: a write broke a unique index (also inside a bulk write's writeErrors). */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, writeErrors } = error as { code?: unknown; writeErrors?: unknown };
  if (code === 11000 || code === 11001) return true;
  const list: unknown[] = Array.isArray(writeErrors) ? writeErrors : writeErrors === undefined ? [] : [writeErrors];
  return list.some((e) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000);
}

/**
 * True only for a bulk write whose every write error is E11000 and whose write concern was
 * met: then the rest of the batch was applied and durable, and the duplicates exist. A
 * command that failed as a whole (even with code 11000), any other write error, or a write
 * concern error means a write may be missing or not durable, and must not look done.
 */
export function isOnlyDuplicateKeyWriteErrors(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { writeErrors, result, writeConcernError } = error as {
    writeErrors?: unknown;
    result?: { getWriteConcernError?: () => unknown };
    writeConcernError?: unknown;
  };
  const list: unknown[] = Array.isArray(writeErrors) ? writeErrors : writeErrors === undefined ? [] : [writeErrors];
  if (list.length === 0) return false;
  if (!list.every((e) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000)) return false;
  if (writeConcernError !== undefined && writeConcernError !== null) return false;
  const concern = typeof result?.getWriteConcernError === 'function' ? result.getWriteConcernError() : undefined;
  return concern === undefined || concern === null;
}
