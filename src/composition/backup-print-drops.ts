/**
 * The print drop's waiting letters in a backup (`MAPPE/print/`): the pairs `<id>.pdf` +
 * `<id>.json` still in PRINT_DIR when the backup is taken, that is, handed to the print
 * provider but not yet taken by it, each listed in the manifest with the SHA-256 of both
 * files. Copied after the database snapshot, so every letter the snapshot records as sent to
 * print either has its drop in the backup or was taken by the provider already. Restore puts
 * them back, each file checked against the manifest and written as the provider expects (a
 * temp file renamed into place, the PDF before its manifest): the default PRINT_DIR lies in
 * DATA_DIR, and a restored node does not drop a letter its database says is dropped, so a
 * disk lost with its waiting drops lost those letters for good (found in review). A drop the
 * provider took after the backup comes again under the same id, which providers
 * de-duplicate on (docs/operations.md, "Print provider: file drop and receipts").
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../channels/atomic-write.js';
import { SAFE_ID as DROP_ID } from '../channels/print/filedrop-print-provider.js';
import { pathExists } from '../storage/files/path-exists.js';
import { fsyncPath, hashFile, type PrintDropRecord } from './backup-layout.js';

const EXTENSIONS = ['pdf', 'json'] as const;

/** What the backup took of the print drop; `unreadable` says why it took nothing. */
export interface PrintDropsBackedUp {
  readonly drops: PrintDropRecord[];
  readonly unreadable?: string;
}

/** Copies the complete drops of `printDir` (PDF, then manifest) to `to`, hashing each copy. */
export async function backUpPrintDrops(printDir: string, to: string): Promise<PrintDropsBackedUp> {
  let ids: string[];
  try {
    ids = await completeDrops(printDir);
  } catch (error) {
    // A drop folder the node may write into but not list (a provider's share): the backup
    // goes on without it and says so.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    return { drops: [], unreadable: `${printDir} kan ikke leses (${code})` };
  }
  if (ids.length > 0) await mkdir(to, { recursive: true, mode: 0o700 });
  const drops: PrintDropRecord[] = [];
  for (const id of ids) {
    try {
      const sha: Record<string, string> = {};
      for (const ext of EXTENSIONS) {
        await copyFile(join(printDir, `${id}.${ext}`), join(to, `${id}.${ext}`));
        await fsyncPath(join(to, `${id}.${ext}`));
        sha[ext] = (await hashFile(join(to, `${id}.${ext}`))).sha256;
      }
      drops.push({ id, pdf: sha.pdf as string, json: sha.json as string });
    } catch (error) {
      // Taken by the provider while we copied: it has the letter.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await Promise.all(EXTENSIONS.map((ext) => rm(join(to, `${id}.${ext}`), { force: true })));
    }
  }
  if (drops.length > 0) await fsyncPath(to);
  return { drops };
}

/**
 * Puts the listed drops from `from` into `printDir`, each file checked against its SHA-256
 * and written whole or not at all, the PDF before its manifest; a drop whose manifest is
 * there already is left as it is. Returns the ids it could not put back (a file missing from
 * the backup or changed in it).
 */
export async function restorePrintDrops(
  records: readonly PrintDropRecord[] | number | undefined,
  from: string,
  printDir: string,
): Promise<string[]> {
  // A backup of an earlier build counted its drops only: its complete pairs, unchecked.
  const listed = typeof records === 'number' ? (await completeDrops(from)).map((id) => ({ id })) : (records ?? []);
  const failed: string[] = [];
  for (const record of listed) {
    if (await pathExists(join(printDir, `${record.id}.json`))) continue;
    const files: Uint8Array[] = [];
    for (const ext of EXTENSIONS) {
      const bytes = await readFile(join(from, `${record.id}.${ext}`)).catch(() => undefined);
      const expected = 'pdf' in record ? record[ext] : undefined;
      if (bytes !== undefined && (expected === undefined || sha256Of(bytes) === expected)) files.push(bytes);
    }
    if (files.length !== EXTENSIONS.length) {
      failed.push(record.id);
      continue;
    }
    await mkdir(printDir, { recursive: true });
    for (const [i, ext] of EXTENSIONS.entries())
      await writeFileAtomic(join(printDir, `${record.id}.${ext}`), files[i] as Uint8Array);
  }
  return failed;
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The ids in `dir` with both `<id>.pdf` and `<id>.json`; none when `dir` is missing. */
async function completeDrops(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const present = new Set(names);
  return names
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -'.json'.length))
    .filter((id) => DROP_ID.test(id) && present.has(`${id}.pdf`))
    .sort();
}
