/**
 * Durable file writes for the outbox and the print drop: write a temp file in the same
 * directory, fsync it, rename it into place, fsync the directory. A reader polling the
 * directory sees either no file or the whole file, never half of one, even after a crash.
 */
import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `data` to `path` atomically and durably (temp + fsync + rename + directory fsync). */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  // A leading dot and a .tmp suffix keep pollers that match `*.json` / `*.pdf` away from it.
  const tmp = join(dir, `.${basename(path)}.${randomUUID()}.tmp`);
  const handle = await open(tmp, 'wx', 0o640);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDirectory(dir);
}

/** Makes a rename in `dir` durable; platforms that cannot fsync a directory are skipped. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (err) {
    // Windows and some network file systems refuse fsync on a directory.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    await handle.close();
  }
}
