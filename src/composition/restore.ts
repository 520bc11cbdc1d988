/**
 * `budbringer restore MAPPE`: puts a backup (backup.ts) into DATA_DIR, for a node to start
 * on. Every byte is checked on the way: the database against the manifest's sha256, each
 * document against its name (its sha256). The database is placed last, so a restore that
 * stops half-way leaves no database that points at missing documents (run it again with
 * --force). A DATA_DIR that holds anything is refused unless --force; then its database,
 * documents and the files the backup carries are replaced. A DATA_DIR that a live node on
 * this host has marked as its own (running-nodes.ts) is refused even with --force.
 */
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
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
  isEmptyOrMissing,
  SHA256_HEX,
  type PrintDropRecord,
} from './backup-layout.js';
import { SAFE_ID as DROP_ID } from '../channels/print/filedrop-print-provider.js';
import { restorePrintDrops } from './backup-print-drops.js';
import { liveNodes } from './running-nodes.js';
import { writeRestoreMark } from './restore-mark.js';

/** What a restore needs. */
export interface RestoreOptions {
  /** The backup directory. */
  readonly source: string;
  readonly dataDir: string;
  /** Replace what a non-empty DATA_DIR holds. */
  readonly force: boolean;
  /** The print drop (PRINT_DIR, else DATA_DIR/print): the backup's waiting letters go back there. */
  readonly printDir: string;
}

/** Restores `source` into `dataDir`; returns the backup's manifest. */
export async function restoreDataDir(options: RestoreOptions): Promise<BackupManifest> {
  const { source, dataDir } = options;
  const manifest = await readManifest(source);
  const { SCHEMA_VERSION, openSqlite } = await import('../storage/sqlite/index.js');
  if (manifest.schemaVersion > SCHEMA_VERSION) {
    throw new BackupError(
      `Sikkerhetskopien har skjemaversjon ${manifest.schemaVersion} (Budbringer ${manifest.version}); denne versjonen kjenner bare til ${SCHEMA_VERSION}: gjenopprett med en like ny versjon`,
    );
  }
  const database = await hashFile(join(source, DB_FILE));
  if (database.sha256 !== manifest.database.sha256) {
    throw new BackupError(
      `${join(source, DB_FILE)} har sha256 ${database.sha256}, manifestet sier ${manifest.database.sha256}: kopien er skadet`,
    );
  }
  const running = await liveNodes(dataDir);
  if (running.length > 0) {
    const pids = running.map((n) => (n.host === hostname() ? `${n.pid}` : `${n.pid} på ${n.host}`)).join(', ');
    throw new BackupError(
      `Budbringer kjører på ${dataDir} (prosess ${pids}): stopp noden før gjenoppretting (er prosessen ikke Budbringer, eller stoppet den for under et halvt minutt siden, fjern ${running.map((n) => n.file).join(', ')} eller vent)`,
    );
  }
  if (!(await isEmptyOrMissing(dataDir))) {
    if (!options.force)
      throw new BackupError(
        `${dataDir} er ikke tom: gjenopprett til en tom DATA_DIR, eller bruk --force for å erstatte innholdet (stopp noden først)`,
      );
    await clearForRestore(dataDir, manifest.files);
  }
  // Owner only, as a node makes DATA_DIR (the letters are personal data; found in review).
  await mkdir(join(dataDir, 'blobs'), { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  let blobs = 0;
  // A document damaged in the backup is left out and named, with its letters, and the rest is
  // restored: one bad file refused the whole backup (found in review). Its letters wait for
  // the file (their jobs retry a missing document) until it is put back from elsewhere.
  const damaged: string[] = [];
  // Files the backup left out as damaged may have been put into it since, from another copy:
  // restored, and not counted against the manifest's number (found in review: refused).
  const named = new Set(
    (Array.isArray(manifest.damaged) ? manifest.damaged : [])
      .map((d) => String((d as { sha256?: unknown } | null)?.sha256))
      .filter((sha) => SHA256_HEX.test(sha)),
  );
  const repaired = new Set<string>();
  for await (const [sha, path] of blobFiles(join(source, 'blobs'))) {
    const dest = blobPath(join(dataDir, 'blobs'), sha);
    await mkdir(dirname(dest), { recursive: true });
    await copyFile(path, dest);
    if ((await hashFile(dest)).sha256 !== sha) {
      await rm(dest, { force: true });
      damaged.push(sha);
      continue;
    }
    await fsyncPath(dest);
    if (named.has(sha)) repaired.add(sha);
    else blobs += 1;
  }
  const counted = blobs + damaged.filter((sha) => !named.has(sha)).length;
  if (counted !== manifest.blobs.files)
    throw new BackupError(
      `Sikkerhetskopien har ${counted} dokumentfiler, manifestet sier ${manifest.blobs.files}: kopien er ufullstendig`,
    );
  for (const name of manifest.files) {
    await copyFile(join(source, 'files', name), join(dataDir, name));
    await chmod(join(dataDir, name), 0o600);
    await fsyncPath(join(dataDir, name));
  }
  const printDropsFailed = await restorePrintDrops(manifest.printDrops, join(source, 'print'), options.printDir);
  // For a job queue kept apart (Redis): the restored letters' work is queued afresh at start.
  // Before the database is placed: a restore cut short after it still leaves the mark.
  await writeRestoreMark(dataDir, manifest.createdAt, new Date());
  const staged = join(dataDir, `${DB_FILE}.restore.tmp`);
  await copyFile(join(source, DB_FILE), staged);
  await fsyncPath(staged);
  await rename(staged, join(dataDir, DB_FILE));
  await fsyncPath(dataDir);
  // Brings the schema up to this version (the upgrade path) and drops the leases of
  // intakes that were under way at the snapshot: nothing is under way in a fresh DATA_DIR.
  const db = openSqlite(join(dataDir, DB_FILE));
  try {
    db.prepare('DELETE FROM blob_leases').run();
  } finally {
    db.close();
  }
  const stillDamaged = [...new Set([...[...named].filter((sha) => !repaired.has(sha)), ...damaged])];
  // The answer says what is damaged now: the backup's list less what was put back into it.
  const { damaged: _atBackup, ...rest } = manifest;
  const restored = printDropsFailed.length === 0 ? rest : { ...rest, printDropsFailed };
  if (stillDamaged.length === 0) return restored;
  return { ...restored, damaged: await damagedWithOwners(join(dataDir, DB_FILE), stillDamaged) };
}

/** Reads and checks manifest.json. */
async function readManifest(source: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(source, 'manifest.json'), 'utf8');
  } catch (error) {
    throw new BackupError(`Fant ikke ${join(source, 'manifest.json')}: mappen er ikke en ferdig sikkerhetskopi`, {
      cause: error,
    });
  }
  let manifest: Partial<BackupManifest>;
  try {
    manifest = JSON.parse(text) as Partial<BackupManifest>;
  } catch (error) {
    throw new BackupError(`${join(source, 'manifest.json')} er ikke gyldig JSON`, { cause: error });
  }
  if (manifest.format !== BACKUP_FORMAT)
    throw new BackupError(`Ukjent format på sikkerhetskopien: ${String(manifest.format)} (ventet ${BACKUP_FORMAT})`);
  // Names only: a file list that climbs out of DATA_DIR ("../x") is not ours.
  if (
    !Array.isArray(manifest.files) ||
    !manifest.files.every((f) => typeof f === 'string' && /^[^/\\]+$/.test(f) && f !== '.' && f !== '..')
  ) {
    throw new BackupError('manifest.json: files må være en liste med filnavn uten mappe');
  }
  // The print drop's list (backup-print-drops.ts), or the count an earlier build wrote.
  const drops = manifest.printDrops as unknown;
  if (drops !== undefined && typeof drops !== 'number' && !(Array.isArray(drops) && drops.every(isPrintDropRecord))) {
    throw new BackupError(
      'manifest.json: printDrops må være en liste med { id, pdf, json } (brevets id og SHA-256 av de to filene)',
    );
  }
  return manifest as BackupManifest;
}

function isPrintDropRecord(value: unknown): boolean {
  const r = value as Partial<PrintDropRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    DROP_ID.test(r.id) &&
    typeof r.pdf === 'string' &&
    SHA256_HEX.test(r.pdf) &&
    typeof r.json === 'string' &&
    SHA256_HEX.test(r.json)
  );
}

/** Removes the database (with its WAL: an old WAL over a new database would corrupt it), documents and the backup's files. */
async function clearForRestore(dataDir: string, files: readonly string[]): Promise<void> {
  for (const name of await readdir(dataDir)) {
    if (name.startsWith(DB_FILE)) await rm(join(dataDir, name), { force: true });
  }
  await rm(join(dataDir, 'blobs'), { recursive: true, force: true });
  for (const name of files) await rm(join(dataDir, name), { force: true });
}
