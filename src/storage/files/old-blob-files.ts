/**
 * The blob files under a FileBlobStore's directory (`<dir>/ab/cd/<sha256>`) last written
 * more than a grace period ago, for the orphan sweep: a file that nothing in the index
 * holds can be left by a process killed between a put's rename and its lease commit, or
 * have been stored before references were tracked. Only names that are a blob's own
 * address are listed; anything else in the tree is left alone.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const HEX2 = /^[0-9a-f]{2}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The sha256 of each blob file under `dir` whose mtime is more than `olderThanMs` before `now`. */
export async function* oldBlobFiles(dir: string, olderThanMs: number, now: number): AsyncGenerator<string> {
  for (const a of await namesIn(dir)) {
    if (!HEX2.test(a)) continue;
    for (const b of await namesIn(join(dir, a))) {
      if (!HEX2.test(b)) continue;
      for (const name of await namesIn(join(dir, a, b))) {
        if (!SHA256_HEX.test(name) || !name.startsWith(a + b)) continue;
        const info = await stat(join(dir, a, b, name)).catch(() => undefined);
        if (info !== undefined && info.isFile() && now - info.mtimeMs > olderThanMs) yield name;
      }
    }
  }
}

/** The entries of a directory; none when it is gone (a sweep races a delete). */
async function namesIn(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT' || (err as { code?: unknown }).code === 'ENOTDIR') return [];
    throw err;
  }
}
