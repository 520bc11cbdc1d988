/**
 * A node that cannot start because of a setting or its surroundings (a port in use, a
 * DATA_DIR it cannot write, a key file pair half set): the message names the setting, in
 * Norwegian, and the process ends with exit code 2 like a setting the schema refused
 * (src/main.ts), instead of a stack trace.
 */
import { SchemaTooNewError } from '../storage/sqlite/migrations.js';

/** A node that cannot start: its message names the setting (see above). */
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

/** `error` as a StartError when it is one or names a setting or its surroundings; else undefined. */
export function asStartError(error: unknown, dataDir: string): StartError | undefined {
  if (error instanceof StartError) return error;
  const said = describeSurroundings(error, dataDir) ?? fullDisk(error, dataDir);
  return said === undefined ? undefined : new StartError(said, error);
}

/**
 * A full disk at the node's start: SQLite reports it at open as an I/O error of its WAL's
 * shared-memory file, or as SQLITE_FULL once it writes (a raw stack trace until a review of
 * 7 December 2026). Only here, where the database opened is DATA_DIR's: a CLI command may
 * write elsewhere (`budbringer backup` to a full target disk), and must not blame DATA_DIR.
 */
function fullDisk(error: unknown, dataDir: string): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || (code !== 'SQLITE_FULL' && !code.startsWith('SQLITE_IOERR'))) return undefined;
  return `DATA_DIR: ${dataDir} kan ikke skrives (${code}); er disken full? Frigjør plass (df -h ${dataDir}) og start igjen`;
}

/**
 * One Norwegian line for an error of the node's surroundings that the node and the CLI meet
 * alike (review of 7 December 2026: each of these was a stack trace): a DATA_DIR that cannot
 * be used, a database that is none or is from a newer version, MongoDB not answering.
 * Undefined for anything else (a fault of ours, which keeps its trace).
 */
export function describeSurroundings(error: unknown, dataDir: string): string | undefined {
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (error instanceof SchemaTooNewError)
    return `DATA_DIR: ${message}. Start den nyere versjonen igjen, eller gjenopprett sikkerhetskopien fra før oppgraderingen (docs/operations.md, «Upgrade and rollback»)`;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return `DATA_DIR: ${dataDir}/budbringer.sqlite er ikke en brukbar SQLite-database (${code}); gjenopprett den fra en sikkerhetskopi`;
  if (code !== undefined && UNWRITABLE.has(code))
    return `DATA_DIR: ${dataDir} kan ikke opprettes eller skrives (${code})`;
  if (e?.name === 'MongoServerSelectionError' || e?.name === 'MongoNetworkError')
    return `MONGODB_URI: MongoDB svarer ikke (${message}); sjekk adressen og at replikasettet kjører`;
  return undefined;
}
