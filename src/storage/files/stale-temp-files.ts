/**
 * Temp files a killed process left behind: a blob upload's `<uuid>.part` in the blob store's
 * tmp folder, and the `.<name>.<uuid>.tmp` of an atomic write (outbox, print drop). A write
 * that ends normally renames or removes its temp file; one cut off by `kill -9` leaves it
 * for good (a 30 MB upload left 14 MB in the kill -9 audit). They are removed at start once
 * they are older than an hour: a write in progress, by this process or another on the same
 * DATA_DIR (worker processes, cluster nodes), touches its file at least that often (an
 * upload's time limit is 16 minutes).
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A blob upload's temp file (FileBlobStore). */
export const BLOB_PART = new RegExp(`^${UUID}\\.part$`);
/** An atomic write's temp file (writeFileAtomic, DurableFileWriter): `.<name>.<uuid>.tmp`. */
export const ATOMIC_WRITE_TEMP = new RegExp(`^\\..+\\.${UUID}\\.tmp$`);

/** How old a temp file must be before it counts as left behind. */
export const STALE_AFTER_MS = 3_600_000;

/**
 * Removes the files in `dir` whose names match `pattern` and that were last written more
 * than `olderThanMs` before `now`; returns how many. A missing folder holds none.
 */
export async function removeStaleTempFiles(
  dir: string,
  pattern: RegExp,
  now: number,
  olderThanMs = STALE_AFTER_MS,
): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names.filter((n) => pattern.test(n))) {
    const path = join(dir, name);
    const stat = await lstat(path).catch(() => undefined);
    if (stat === undefined || !stat.isFile() || stat.mtimeMs > now - olderThanMs) continue;
    await rm(path, { force: true });
    removed++;
  }
  return removed;
}
