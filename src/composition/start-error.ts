/**
 * A node that cannot start because of a setting or its surroundings (a port in use, a
 * DATA_DIR it cannot write, a key file pair half set): the message names the setting, in
 * Norwegian, and the process ends with exit code 2 like a setting the schema refused
 * (src/main.ts), instead of a stack trace.
 */
export class StartError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StartError';
  }
}

/** Error codes of a DATA_DIR the node cannot create or write (SQLite's and the file system's). */
const UNWRITABLE = new Set([
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'EACCES',
  'EPERM',
  'ENOTDIR',
  'EROFS',
  'ENOSPC',
  // mkdir of a DATA_DIR that is a file, or whose parent cannot be made (found in review).
  'EEXIST',
  'ENOENT',
]);

/** `error` as a StartError when it is one or says DATA_DIR cannot be used; else undefined. */
export function asStartError(error: unknown, dataDir: string): StartError | undefined {
  if (error instanceof StartError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && UNWRITABLE.has(code))
    return new StartError(`DATA_DIR: ${dataDir} kan ikke opprettes eller skrives (${code})`, error);
  return undefined;
}
