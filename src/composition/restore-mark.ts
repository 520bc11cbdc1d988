/**
 * The mark `budbringer restore` leaves in DATA_DIR: the database there is a restored one, so
 * a job queue kept apart from it (Redis) holds the work of another time. A worker node that
 * finds it fills the queue again from the stored letters (requeue.ts), then removes it.
 * Not a data file: a backup does not carry it (backup-layout.ts).
 */
import { rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncPath, RESTORE_MARK_FILE } from './backup-layout.js';

/** Leaves the mark, durably, saying which backup was restored. */
export async function writeRestoreMark(dataDir: string, backupCreatedAt: string, now: Date): Promise<void> {
  const path = join(dataDir, RESTORE_MARK_FILE);
  await writeFile(path, JSON.stringify({ backupCreatedAt, restoredAt: now.toISOString() }) + '\n');
  await fsyncPath(path);
  await fsyncPath(dataDir);
}

/** Whether DATA_DIR holds the mark. */
export async function hasRestoreMark(dataDir: string): Promise<boolean> {
  try {
    await stat(join(dataDir, RESTORE_MARK_FILE));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Removes the mark (nothing when absent). */
export async function removeRestoreMark(dataDir: string): Promise<void> {
  await rm(join(dataDir, RESTORE_MARK_FILE), { force: true });
}
