/**
 * What a backup of an embedded DATA_DIR holds, shared by backup and restore:
 *
 *   MAPPE/budbringer.sqlite   consistent copy of the database (SQLite online backup)
 *   MAPPE/blobs/ab/cd/<sha>   the document files, laid out as in DATA_DIR/blobs
 *   MAPPE/files/<name>        the other top-level files of DATA_DIR: secret.key (the key
 *                             inbox links and sessions are signed with), any other key
 *                             file, krr.json
 *   MAPPE/manifest.json       written last: its presence marks a finished backup
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The manifest's format tag; restore refuses others. */
export const BACKUP_FORMAT = 'budbringer-backup/1';
/** The database file in DATA_DIR and in the backup. */
export const DB_FILE = 'budbringer.sqlite';
/** Blob file names are their sha256. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
const TWO_HEX = /^[0-9a-f]{2}$/;

/** manifest.json. */
export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  /** Budbringer's version (package.json) that wrote the backup. */
  readonly version: string;
  /** The database's schema version (PRAGMA user_version; migrations.ts). */
  readonly schemaVersion: number;
  /** When the database snapshot was taken (ISO-8601). */
  readonly createdAt: string;
  readonly database: { readonly file: string; readonly bytes: number; readonly sha256: string };
  readonly counts: {
    readonly forsendelser: number;
    readonly journalEvents: number;
    readonly avsendere: number;
    readonly users: number;
    /** Blobs the snapshot references (every one is in the backup). */
    readonly referencedBlobs: number;
  };
  readonly blobs: { readonly files: number; readonly bytes: number };
  /** Top-level files of DATA_DIR copied to files/ (keys, krr.json). */
  readonly files: readonly string[];
  /** Letters waiting in the print drop, copied to print/ (backup-print-drops.ts); absent in older backups. */
  readonly printDrops?: readonly PrintDropRecord[] | number;
  /** Why the print drop could not be read at backup (its letters are not in the backup). */
  readonly printDropsUnreadable?: string;
  /** At restore: waiting letters whose files were missing or changed in the backup, not put back. */
  readonly printDropsFailed?: readonly string[];
  /**
   * Document files whose content no longer matched their name (damaged on disk) and were
   * left out, each with the letters that use it; absent when there were none.
   */
  readonly damaged?: readonly DamagedDocument[];
}

/** One letter waiting in the print drop, as a backup's manifest lists it (backup-print-drops.ts). */
export interface PrintDropRecord {
  readonly id: string;
  /** SHA-256 of `<id>.pdf` and of `<id>.json`. */
  readonly pdf: string;
  readonly json: string;
}

/** A document file found damaged (its SHA-256 is not its name), and who uses it. */
export interface DamagedDocument {
  readonly sha256: string;
  /** The letters (and other owners) that use it, from the database's blob_refs. */
  readonly owners: readonly string[];
}

/** The owners of each of `shas` in the database at `dbPath` (blob_refs), read-only. */
export async function damagedWithOwners(dbPath: string, shas: readonly string[]): Promise<DamagedDocument[]> {
  if (shas.length === 0) return [];
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const owners = db.prepare<[string], string>('SELECT owner FROM blob_refs WHERE sha256 = ? ORDER BY owner').pluck();
    return [...shas].sort().map((sha256) => ({ sha256, owners: owners.all(sha256) }));
  } finally {
    db.close();
  }
}

/** The warning lines a CLI prints for damaged documents left out of a backup or a restore. */
export function damagedLines(damaged: readonly DamagedDocument[]): string[] {
  return damaged.map(
    (d) =>
      `  ${d.sha256}${d.owners.length === 0 ? '' : `: brukt av ${d.owners.slice(0, 20).join(', ')}${d.owners.length > 20 ? ` og ${d.owners.length - 20} til` : ''}`}`,
  );
}

/** A backup or restore that cannot be done; the message says why, in Norwegian. */
export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

/** The mark a restore leaves in DATA_DIR (restore-mark.ts): not a data file. */
export const RESTORE_MARK_FILE = 'restored.pending';

/**
 * Top-level files of DATA_DIR that belong in a backup: every regular file except the
 * database (and its -wal/-shm/-journal), temp files, the restore mark, and what a node writes for others
 * (outbox/ and print/ are directories and left out).
 */
export function isDataDirFile(name: string): boolean {
  return !name.startsWith(DB_FILE) && !name.endsWith('.tmp') && name !== 'index.sqlite' && name !== RESTORE_MARK_FILE;
}

/** Every blob file under `blobsDir` (`ab/cd/<sha256>`), as [sha256, path]. Skips tmp/ and strays. */
export async function* blobFiles(blobsDir: string): AsyncGenerator<readonly [string, string]> {
  for (const a of await dirNames(blobsDir)) {
    if (!TWO_HEX.test(a)) continue;
    for (const b of await dirNames(join(blobsDir, a))) {
      if (!TWO_HEX.test(b)) continue;
      for (const name of await dirNames(join(blobsDir, a, b))) {
        if (SHA256_HEX.test(name) && name.startsWith(a + b)) yield [name, join(blobsDir, a, b, name)];
      }
    }
  }
}

/** Where blob `sha256` lives under `blobsDir`. */
export function blobPath(blobsDir: string, sha256: string): string {
  return join(blobsDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** The entries of a directory; none when it does not exist. */
async function dirNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return [];
    throw error;
  }
}

/** sha256 (hex) and size of a file, streamed. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).byteLength;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** fsyncs a file or directory (directories that refuse it on some file systems are skipped). */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  } finally {
    await handle.close();
  }
}

/** True when `dir` is missing or empty. */
export async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}
