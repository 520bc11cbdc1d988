/**
 * Temp files a killed process left behind are removed once an hour old; a write in progress
 * (a recent temp file), another name, and a folder are left alone. Real files in a temporary
 * directory; the node's start runs the same sweep over its folders (test/e2e/restart-temp-files.test.ts).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ATOMIC_WRITE_TEMP,
  BLOB_PART,
  removeStaleTempFiles,
  STALE_AFTER_MS,
} from '../../../src/storage/files/index.js';

describe('removeStaleTempFiles', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-stale-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const now = Date.now();
  /** A file written `ageMs` ago. */
  const file = async (folder: string, name: string, ageMs: number): Promise<void> => {
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, name), 'x');
    const at = new Date(now - ageMs);
    await utimes(join(folder, name), at, at);
  };

  it('removes old upload parts only: a recent one, another name and a folder stay', async () => {
    const tmp = join(dir, 'blobs-tmp');
    const [old, recent] = [`${randomUUID()}.part`, `${randomUUID()}.part`];
    await file(tmp, old, STALE_AFTER_MS + 60_000);
    await file(tmp, recent, 60_000);
    await file(tmp, 'notes.part', STALE_AFTER_MS * 2);
    await mkdir(join(tmp, `${randomUUID()}.part`));
    assert.equal(await removeStaleTempFiles(tmp, BLOB_PART, now), 1);
    const left = await readdir(tmp);
    assert.ok(!left.includes(old));
    assert.ok(left.includes(recent) && left.includes('notes.part'));
    assert.equal(left.length, 3, 'the folder stays too');
  });

  it("removes an atomic write's old temp file, never the file it was writing nor a provider's", async () => {
    const drop = join(dir, 'print');
    const temp = `.abc.pdf.${randomUUID()}.tmp`;
    await file(drop, temp, STALE_AFTER_MS + 1);
    await file(drop, 'abc.pdf', STALE_AFTER_MS * 3);
    await file(drop, '.provider.tmp', STALE_AFTER_MS * 3);
    assert.equal(await removeStaleTempFiles(drop, ATOMIC_WRITE_TEMP, now), 1);
    assert.deepEqual((await readdir(drop)).sort(), ['.provider.tmp', 'abc.pdf']);
  });

  it('finds nothing in a folder that does not exist', async () => {
    assert.equal(await removeStaleTempFiles(join(dir, 'finnes-ikke'), BLOB_PART, now), 0);
  });
});
