/**
 * At start: the temp files a killed process left in the blob store's tmp folder, the outbox
 * and the print drop are removed once they are an hour old (src/storage/files/stale-temp-files.ts).
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Settings } from '../config/schema.js';
import { ATOMIC_WRITE_TEMP, BLOB_PART, removeStaleTempFiles } from '../storage/files/index.js';
import { outboxDir, printDir } from './channels.js';

/** Removes left-behind temp files; resolves with how many, never rejects (a failure is logged). */
export async function sweepStaleTempFiles(settings: Settings, log: Logger): Promise<number> {
  // The wall clock, as the files' times are: not the node's clock, which tests may set.
  const now = Date.now();
  const places: readonly (readonly [string, RegExp])[] = [
    [join(settings.DATA_DIR, 'blobs', 'tmp'), BLOB_PART],
    [outboxDir(settings), ATOMIC_WRITE_TEMP],
    [printDir(settings), ATOMIC_WRITE_TEMP],
  ];
  let removed = 0;
  for (const [dir, pattern] of places) {
    try {
      const n = await removeStaleTempFiles(dir, pattern, now);
      if (n > 0) log.info({ dir, removed: n }, 'removed temp files a stopped process left behind');
      removed += n;
    } catch (error) {
      log.warn({ err: error, dir }, 'could not remove left-behind temp files');
    }
  }
  return removed;
}
