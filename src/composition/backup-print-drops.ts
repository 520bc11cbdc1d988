/**
 * The print drop's waiting letters in a backup (`MAPPE/print/`): the pairs `<id>.pdf` +
 * `<id>.json` still in PRINT_DIR when the backup is taken, that is, handed to the print
 * provider but not yet taken by it. Copied after the database snapshot, so every letter the
 * snapshot records as sent to print either has its drop in the backup or was taken by the
 * provider already. Restore puts them back: the default PRINT_DIR lies in DATA_DIR, and a
 * restored node does not drop a letter its database says is dropped, so a disk lost with its
 * waiting drops lost those letters for good (found in review). A drop the provider took after
 * the backup comes again under the same id, which providers de-duplicate on
 * (docs/operations.md, "Print provider: file drop and receipts").
 */
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathExists } from '../storage/files/path-exists.js';
import { fsyncPath } from './backup-layout.js';

/** A drop's name: a forsendelse id (filedrop-print-provider.ts refuses anything else). */
const DROP_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Copies the complete drops of `printDir` (PDF, then manifest) to `to`; returns how many. */
export async function backUpPrintDrops(printDir: string, to: string): Promise<number> {
  const ids = await completeDrops(printDir);
  if (ids.length > 0) await mkdir(to, { recursive: true, mode: 0o700 });
  let copied = 0;
  for (const id of ids) {
    try {
      for (const ext of ['pdf', 'json']) {
        await copyFile(join(printDir, `${id}.${ext}`), join(to, `${id}.${ext}`));
        await fsyncPath(join(to, `${id}.${ext}`));
      }
      copied += 1;
    } catch (error) {
      // Taken by the provider while we copied: it has the letter.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await Promise.all(['pdf', 'json'].map((ext) => rm(join(to, `${id}.${ext}`), { force: true })));
    }
  }
  if (copied > 0) await fsyncPath(to);
  return copied;
}

/**
 * Puts the backup's drops (`from`) into `printDir`, each PDF before its manifest, as the
 * provider expects; a drop whose manifest is there already is left as it is. Returns how many.
 */
export async function restorePrintDrops(from: string, printDir: string): Promise<number> {
  if (!(await pathExists(from))) return 0;
  const ids = await completeDrops(from);
  if (ids.length === 0) return 0;
  await mkdir(printDir, { recursive: true });
  let placed = 0;
  for (const id of ids) {
    if (await pathExists(join(printDir, `${id}.json`))) continue;
    for (const ext of ['pdf', 'json']) {
      await copyFile(join(from, `${id}.${ext}`), join(printDir, `${id}.${ext}`));
      await fsyncPath(join(printDir, `${id}.${ext}`));
    }
    placed += 1;
  }
  await fsyncPath(printDir);
  return placed;
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
