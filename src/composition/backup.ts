/**
 * `budbringer backup MAPPE`: a consistent copy of an embedded node's DATA_DIR while the
 * node runs (layout in backup-layout.ts).
 *
 * Order matters. First the database, through SQLite's online backup API in one step: one
 * read transaction, so the copy is the database as of one commit, while the node goes on
 * writing (WAL). Then the documents: every blob the copy references must be in the backup,
 * and a blob can only disappear when nothing holds it (a retention purge or slettFiler
 * released the letter). So the backup takes its own lease on every blob the copy
 * references, in the live database, before it copies any; one deleted between the
 * snapshot and the lease (its letter purged in that moment) means a new snapshot. Blobs
 * stored after the snapshot are copied too when present: extra blobs are harmless (the
 * restored node's orphan sweep removes them), missing ones would not be.
 */
import { randomUUID } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { pathExists } from '../storage/files/path-exists.js';
import { backUpPrintDrops } from './backup-print-drops.js';
import {
  BACKUP_FORMAT,
  BackupError,
  type BackupManifest,
  blobFiles,
  blobPath,
  damagedWithOwners,
  DB_FILE,
  fsyncPath,
  hashFile,
  isDataDirFile,
  isEmptyOrMissing,
} from './backup-layout.js';

/** Pages per backup step: all of them, so the copy is taken in one read transaction. */
const ALL_PAGES = 0x7fffffff;
/** Snapshots tried when letters are purged while the backup runs. */
const SNAPSHOT_TRIES = 3;
/** Blob files copied at once. */
const COPY_CONCURRENCY = 4;

/** What a backup needs. */
export interface BackupOptions {
  readonly dataDir: string;
  /** The backup directory: created, or an empty one. */
  readonly target: string;
  /** Budbringer's version, recorded in the manifest. */
  readonly version: string;
  /** The print drop (PRINT_DIR, else DATA_DIR/print): its waiting letters come along. */
  readonly printDir: string;
}

/** Backs up `dataDir` into `target`; returns the manifest written last. */
export async function backupDataDir(options: BackupOptions): Promise<BackupManifest> {
  const { dataDir, target } = options;
  const livePath = join(dataDir, DB_FILE);
  // Only a database that is not there is "none": one this user may not read says so (EACCES).
  if (!(await pathExists(livePath)))
    throw new BackupError(`Fant ingen database i ${dataDir} (${DB_FILE}): peker DATA_DIR på riktig mappe?`);
  if (!(await isEmptyOrMissing(target)))
    throw new BackupError(`${target} er ikke tom: ta sikkerhetskopien til en ny eller tom mappe`);
  // Letters carry personal data: the backup is for its owner's eyes only (as secret.key is).
  await mkdir(target, { recursive: true, mode: 0o700 });
  await mkdir(join(target, 'blobs'), { recursive: true });
  const live = new Database(livePath, { fileMustExist: true });
  live.pragma('busy_timeout = 5000');
  const lease = `backup:${randomUUID()}`;
  try {
    const snapshot = await snapshotWithLeasedBlobs(live, target, join(dataDir, 'blobs'), lease);
    const { damaged, ...blobs } = await copyBlobs(join(dataDir, 'blobs'), join(target, 'blobs'), snapshot.referenced);
    const files = await copyTopLevelFiles(dataDir, join(target, 'files'));
    // After the snapshot: a letter it records as dropped has its drop here, or the provider has it.
    const print = await backUpPrintDrops(options.printDir, join(target, 'print'));
    await chmod(join(target, DB_FILE), 0o600);
    const database = await hashFile(join(target, DB_FILE));
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: options.version,
      schemaVersion: snapshot.schemaVersion,
      createdAt: new Date(snapshot.at).toISOString(),
      database: { file: DB_FILE, ...database },
      counts: { ...snapshot.counts, referencedBlobs: snapshot.referenced.size },
      blobs,
      files,
      printDrops: print.drops,
      ...(print.unreadable === undefined ? {} : { printDropsUnreadable: print.unreadable }),
      ...(damaged.length === 0 ? {} : { damaged: await damagedWithOwners(join(target, DB_FILE), damaged) }),
    };
    await fsyncPath(target);
    const staged = join(target, `manifest.json.${randomUUID()}.tmp`);
    await writeFile(staged, `${JSON.stringify(manifest, null, 2)}\n`);
    await fsyncPath(staged);
    await rename(staged, join(target, 'manifest.json'));
    await fsyncPath(target);
    return manifest;
  } finally {
    try {
      live.prepare('DELETE FROM blob_leases WHERE lease = ?').run(lease);
    } finally {
      live.close();
    }
  }
}

/** The snapshot's facts. */
interface Snapshot {
  readonly at: number;
  readonly schemaVersion: number;
  readonly referenced: ReadonlySet<string>;
  readonly counts: { forsendelser: number; journalEvents: number; avsendere: number; users: number };
}

/** Copies the database to target/budbringer.sqlite and leases the blobs it references; retries when one was deleted meanwhile. */
async function snapshotWithLeasedBlobs(
  live: Database.Database,
  target: string,
  liveBlobs: string,
  lease: string,
): Promise<Snapshot> {
  const copyPath = join(target, DB_FILE);
  for (let attempt = 1; ; attempt++) {
    await rm(copyPath, { force: true });
    const at = Date.now();
    await live.backup(copyPath, { progress: () => ALL_PAGES });
    const copy = new Database(copyPath, { fileMustExist: true });
    let facts: Omit<Snapshot, 'at'>;
    try {
      // One self-contained file (no -wal beside it); a restored node turns WAL on again.
      copy.pragma('journal_mode = DELETE');
      facts = snapshotFacts(copy);
    } finally {
      copy.close();
    }
    const shas = [...facts.referenced];
    const insert = live.prepare<[string, string, number]>(
      'INSERT OR IGNORE INTO blob_leases (lease, sha256, at) VALUES (?, ?, ?)',
    );
    live
      .transaction(() => {
        for (const sha of shas) insert.run(lease, sha, Date.now());
      })
      .immediate();
    const gone = shas.filter((sha) => !existsSync(blobPath(liveBlobs, sha)));
    if (gone.length === 0) return { at, ...facts };
    live.prepare('DELETE FROM blob_leases WHERE lease = ?').run(lease);
    if (attempt >= SNAPSHOT_TRIES) {
      throw new BackupError(
        `${gone.length} dokumenter ble slettet mens sikkerhetskopien ble tatt (${SNAPSHOT_TRIES} forsøk); prøv igjen`,
      );
    }
  }
}

/** Schema version, referenced blobs and counts, read from the copy. */
function snapshotFacts(copy: Database.Database): Omit<Snapshot, 'at'> {
  const count = (table: string): number => copy.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get() ?? 0;
  const schemaVersion = copy.pragma('user_version', { simple: true }) as number;
  const hasRefs =
    copy
      .prepare<[], number>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'blob_refs'")
      .pluck()
      .get() === 1;
  const referenced = new Set(
    hasRefs ? copy.prepare<[], string>('SELECT DISTINCT sha256 FROM blob_refs').pluck().all() : [],
  );
  return {
    schemaVersion,
    referenced,
    counts: {
      forsendelser: count('forsendelser'),
      journalEvents: count('journal_events'),
      avsendere: count('avsendere'),
      users: count('admin_users'),
    },
  };
}

/**
 * Copies every blob file present (the leased ones cannot vanish), each checked against its
 * name as copied: a damaged one is left out and named, so the backup holds what can be
 * restored and says what cannot (found in review: it was copied as it was, and the restore
 * then refused the whole backup); fails if a referenced one is missing.
 */
async function copyBlobs(
  from: string,
  to: string,
  referenced: ReadonlySet<string>,
): Promise<{ files: number; bytes: number; damaged: string[] }> {
  let files = 0;
  const damaged: string[] = [];
  let bytes = 0;
  const copied = new Set<string>();
  const pending = new Set<Promise<void>>();
  const copyOne = async (sha: string, path: string): Promise<void> => {
    const dest = blobPath(to, sha);
    await mkdir(dirname(dest), { recursive: true });
    try {
      await copyFile(path, dest);
    } catch (error) {
      // An unreferenced blob collected while we walked: nothing needs it.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !referenced.has(sha)) return;
      throw error;
    }
    // Read before adding: `bytes += await …` read the total before the await, and copies in
    // parallel overwrote each other's sums (the manifest gave the last file's size).
    const copy = await hashFile(dest);
    if (copy.sha256 !== sha) {
      await rm(dest, { force: true });
      damaged.push(sha);
      return;
    }
    await fsyncPath(dest);
    files += 1;
    bytes += copy.bytes;
    copied.add(sha);
  };
  let failure: unknown;
  for await (const [sha, path] of blobFiles(from)) {
    if (failure !== undefined) break;
    const p: Promise<void> = copyOne(sha, path)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => pending.delete(p));
    pending.add(p);
    if (pending.size >= COPY_CONCURRENCY) await Promise.race(pending);
  }
  await Promise.all(pending);
  if (failure !== undefined) throw failure;
  const missing = [...referenced].filter((sha) => !copied.has(sha) && !damaged.includes(sha));
  if (missing.length > 0)
    throw new BackupError(`${missing.length} dokumenter som databasen viser til, mangler i ${from}`);
  return { files, bytes, damaged };
}

/** Copies the top-level files of DATA_DIR (secret.key, other keys, krr.json), keeping their modes. */
async function copyTopLevelFiles(dataDir: string, to: string): Promise<string[]> {
  await mkdir(to, { recursive: true });
  const names: string[] = [];
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    if (!entry.isFile() || !isDataDirFile(entry.name)) continue;
    await copyFile(join(dataDir, entry.name), join(to, entry.name));
    await fsyncPath(join(to, entry.name));
    names.push(entry.name);
  }
  return names.sort();
}
