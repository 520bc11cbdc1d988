/** The BlobStore contract against FileBlobStore, plus what only files can show. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PayloadTooLargeError } from '../../src/domain/errors.js';
import { FileBlobStore, type FileBlobStoreOptions } from '../../src/storage/files/index.js';
import { blobStoreContract, generatedChunk } from './blob-store.js';
import { blobReferencesContract } from './blob-references.js';
import { roundBytes } from './blob-child.js';
import { withFixture } from './support.js';

async function fileFixture(options: FileBlobStoreOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'budbringer-blobs-'));
  const blobs = new FileBlobStore(dir, undefined, options);
  return {
    dir,
    blobs,
    cleanup: async () => {
      await blobs.close();
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

blobStoreContract('FileBlobStore', () => fileFixture());
// In-memory bytes go to the writer threads by default; without them, through libuv's pool.
blobStoreContract('FileBlobStore without writer threads', () => fileFixture({ writerThreads: 0 }));

// Two stores on one directory and one index file: two processes sharing DATA_DIR.
blobReferencesContract('FileBlobStore', async () => {
  const fixture = await fileFixture();
  const second: FileBlobStore[] = [];
  return {
    blobs: fixture.blobs,
    async openSecond() {
      const other = new FileBlobStore(fixture.dir);
      second.push(other);
      return other;
    },
    async cleanup() {
      for (const b of [fixture.blobs, ...second]) await b.close();
      await fixture.cleanup();
    },
  };
});

void describe('FileBlobStore across processes', () => {
  void it(
    'a put + claim in another process racing the release of the last owner never loses its bytes',
    { timeout: 120_000 },
    () =>
      withFixture(fileFixture, async ({ dir, blobs }) => {
        const rounds = 60;
        for (let r = 0; r < rounds; r++) {
          const ref = await blobs.put(roundBytes(r), { lease: `old-${r}` });
          await blobs.claim(`old-${r}`, [ref.sha256]);
          await blobs.releaseLease(`old-${r}`);
        }
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', join(import.meta.dirname, 'blob-child.ts'), 'intake', dir, String(rounds)],
          {
            cwd: join(import.meta.dirname, '..', '..'),
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        // As the child starts each round, the last owner of those bytes lets go, and garbage is collected.
        for await (const line of createInterface({ input: child.stdout })) {
          const m = /^start (\d+)$/.exec(line);
          if (m === null) continue;
          await blobs.release(`old-${m[1]}`);
          await blobs.collectGarbage(60_000);
        }
        assert.equal(await exited, 0, stderr);
        for (let r = 0; r < rounds; r++) {
          const sha = createHash('sha256').update(roundBytes(r)).digest('hex');
          assert.deepEqual(
            await blobs.get(sha),
            roundBytes(r),
            `round ${r}: the other process's claimed bytes are there`,
          );
          assert.equal(await blobs.release(`new-${r}`), 1);
        }
      }),
  );
});

void describe('FileBlobStore on disk', () => {
  void it('keeps a blob at <dir>/ab/cd/<sha256> and leaves no temp file', () =>
    withFixture(fileFixture, async ({ dir, blobs }) => {
      const ref = await blobs.put(new TextEncoder().encode('Budbringer'));
      const path = join(dir, ref.sha256.slice(0, 2), ref.sha256.slice(2, 4), ref.sha256);
      assert.equal((await stat(path)).size, 10);
      await blobs.put(new TextEncoder().encode('Budbringer'));
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    }));

  void it('a put of bytes in memory (on a writer thread) that cannot place them fails with the file system error and leaves no temp file', () =>
    withFixture(fileFixture, async ({ dir, blobs }) => {
      const bytes = new TextEncoder().encode('ingen plass');
      const sha = createHash('sha256').update(bytes).digest('hex');
      await blobs.put(new Uint8Array([0]));
      // A file where the blob's directory must go: mkdir fails in the thread.
      await writeFile(join(dir, sha.slice(0, 2)), 'i veien');
      await assert.rejects(blobs.put(bytes), (e: NodeJS.ErrnoException) =>
        ['ENOTDIR', 'EEXIST'].includes(e.code ?? ''),
      );
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
      await assert.rejects(blobs.put(bytes, { maxBytes: 5 }), PayloadTooLargeError);
    }));

  void it('removes the temp file when maxBytes is exceeded', () =>
    withFixture(fileFixture, async ({ dir, blobs }) => {
      async function* big(): AsyncIterable<Uint8Array> {
        for (let i = 0; i < 10; i++) yield new Uint8Array(1000).fill(i);
      }
      await assert.rejects(blobs.put(big(), { maxBytes: 5500 }), PayloadTooLargeError);
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
      assert.deepEqual((await readdir(dir)).sort(), ['tmp'], 'no blob directory was created');
    }));

  void it('removes temp files a killed put left behind, once they are old enough', () =>
    withFixture(fileFixture, async ({ dir, blobs }) => {
      await blobs.put(new Uint8Array([1]));
      const stale = join(dir, 'tmp', 'stale.part');
      await writeFile(stale, 'halvferdig');
      assert.equal(await blobs.removeStaleTempFiles(60_000), 0, 'a fresh temp file may belong to a running put');
      assert.equal(await blobs.removeStaleTempFiles(60_000, Date.now() + 120_000), 1);
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    }));

  void it('the periodic collection removes them: a put killed mid-upload leaves no temp file for good', () =>
    withFixture(fileFixture, async ({ dir, blobs }) => {
      await blobs.put(new Uint8Array([1]), { lease: 'levende' });
      await writeFile(join(dir, 'tmp', 'drept.part'), 'halvferdig');
      await blobs.collectGarbage(60_000);
      assert.deepEqual(
        await readdir(join(dir, 'tmp')),
        ['drept.part'],
        'a fresh temp file may belong to a running put',
      );
      await blobs.collectGarbage(60_000, Date.now() + 120_000);
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    }));

  void it('once a day, deletes old blob files nothing holds (a put that outlived its lease, a kill in an older version between rename and lease) and keeps every held one', () =>
    withFixture(fileFixture, async ({ dir, blobs }) => {
      const now = Date.now();
      const held = await blobs.put(new Uint8Array([1, 2, 3]));
      await blobs.claim('forsendelse:a', [held.sha256]);
      const leased = await blobs.put(new Uint8Array([4, 5, 6]), { lease: 'levende' });
      // An orphan: a blob's file at its address, with no reference and no lease in the index.
      const bytes = Buffer.from('foreldreløs');
      const orphan = createHash('sha256').update(bytes).digest('hex');
      const orphanPath = join(dir, orphan.slice(0, 2), orphan.slice(2, 4), orphan);
      await mkdir(join(dir, orphan.slice(0, 2), orphan.slice(2, 4)), { recursive: true });
      await writeFile(orphanPath, bytes);
      await writeFile(join(dir, 'README.txt'), 'not a blob: left alone');
      const day = 24 * 3600_000;

      await blobs.collectGarbage(day, now);
      await blobs.collectGarbage(day, now + 2 * 3600_000);
      assert.ok(await blobs.size(orphan), 'a young unheld file may belong to a put still committing');

      await blobs.collectGarbage(day, now + 2 * day);
      assert.equal(await blobs.size(orphan), undefined, 'the old orphan is gone');
      assert.equal(await blobs.size(held.sha256), 3, 'a referenced blob stays, however old');
      assert.equal(
        await blobs.size(leased.sha256),
        undefined,
        'a lease a day old has expired (its put died): that blob went with it',
      );
      assert.ok((await readdir(dir)).includes('README.txt'));
    }));

  void it('writes an AsyncIterable to disk as it arrives instead of buffering it', () =>
    withFixture(fileFixture, async ({ dir, blobs }) => {
      const size = 1024 * 1024;
      let onDiskAtChunk30 = -1;
      const hash = createHash('sha256');
      async function* source(): AsyncIterable<Uint8Array> {
        for (let i = 0; i < 50; i++) {
          if (i === 30) {
            const parts = await readdir(join(dir, 'tmp'));
            assert.equal(parts.length, 1);
            onDiskAtChunk30 = (await stat(join(dir, 'tmp', parts[0]!))).size;
          }
          const chunk = generatedChunk(i, size, 3);
          hash.update(chunk);
          yield chunk;
        }
      }
      const ref = await blobs.put(source());
      assert.equal(ref.sha256, hash.digest('hex'));
      // Chunk 29 was handed over before chunk 30 was asked for; all before it must be on disk.
      assert.ok(onDiskAtChunk30 >= 29 * size, `only ${onDiskAtChunk30} bytes on disk after 29 MiB were read`);
    }));
});
