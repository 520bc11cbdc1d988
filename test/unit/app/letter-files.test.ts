/**
 * A stored file damaged on disk after it was stored (truncated, a flipped byte) is read as a
 * storage fault, never handed on: before, a truncated document reached the PDF work, which
 * failed it as a fault of the sender's document and closed the acknowledged letter AVVIST.
 * On a real FileBlobStore in a temporary directory.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InstallationKeys } from '../../../src/app/installation-keys.js';
import { DamagedBlobError, LetterFiles } from '../../../src/app/letter-files.js';
import { generateSelfSignedKey } from '../../../src/crypto/self-signed-key.js';
import { FileBlobStore } from '../../../src/storage/files/index.js';
import { openSqlite, SqliteInstallationKeyStore, type SqliteDatabase } from '../../../src/storage/sqlite/index.js';

describe('LetterFiles: a stored file damaged on disk', () => {
  let dir: string;
  let db: SqliteDatabase;
  let blobs: FileBlobStore;
  let files: LetterFiles;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-letter-files-'));
    db = openSqlite(join(dir, 'budbringer.sqlite'));
    blobs = new FileBlobStore(join(dir, 'blobs'), db);
    const keys = new InstallationKeys({
      store: new SqliteInstallationKeyStore(db),
      generate: generateSelfSignedKey,
      commonName: 'Budbringer test',
      now: () => Date.now(),
    });
    files = new LetterFiles(blobs, keys);
  });
  after(async () => {
    await blobs.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const pathOf = (sha256: string): string => join(dir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);

  it('reads an intact file as stored', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 intakt\n'.repeat(1000));
    const ref = await blobs.put(bytes);
    assert.ok(Buffer.from(await files.read(ref)).equals(bytes));
  });

  it('refuses a truncated file and one with a changed byte, whatever their length', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 skadet\n'.repeat(1000));
    const ref = await blobs.put(bytes);
    const path = pathOf(ref.sha256);
    const original = await readFile(path);
    await truncate(path, 3000);
    await assert.rejects(files.read(ref), DamagedBlobError);
    const flipped = Buffer.from(original);
    flipped[100] = (flipped[100] ?? 0) ^ 1;
    await writeFile(path, flipped);
    await assert.rejects(files.read(ref), DamagedBlobError);
    await writeFile(path, original);
    assert.ok(Buffer.from(await files.read(ref)).equals(bytes), 'restored from a backup, it reads again');
  });

  it('breaks off a whole file streamed (a download) that is damaged, before its last byte, instead of ending it as complete (a SvarInn receiver got a cut PDF; found in review)', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 strøm\n'.repeat(20_000));
    const ref = await blobs.put(bytes);
    const read = async (): Promise<Buffer> => {
      const parts: Buffer[] = [];
      for await (const part of await files.open(ref)) parts.push(part as Buffer);
      return Buffer.concat(parts);
    };
    assert.ok((await read()).equals(bytes), 'an intact file streams whole');
    const path = pathOf(ref.sha256);
    const original = await readFile(path);
    await truncate(path, 100_000);
    await assert.rejects(read(), DamagedBlobError);
    const flipped = Buffer.from(original);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    await writeFile(path, flipped);
    let delivered = 0;
    await assert.rejects(async () => {
      for await (const part of await files.open(ref)) delivered += (part as Buffer).length;
    }, DamagedBlobError);
    assert.ok(delivered < bytes.length, `the last chunk was held back: ${delivered} of ${bytes.length} bytes`);
    let whole = 0;
    await assert.rejects(
      async () => {
        for await (const part of await files.open(ref, { start: 0, end: bytes.length - 1 }))
          whole += (part as Buffer).length;
      },
      DamagedBlobError,
      'a range over the whole file (bytes=0-) is checked as the whole file (it was served as complete; found in review)',
    );
    assert.ok(whole < bytes.length);
    const range = await files.open(ref, { start: 0, end: 9 });
    const head: Buffer[] = [];
    for await (const part of range) head.push(part as Buffer);
    assert.equal(Buffer.concat(head).toString(), '%PDF-1.7 s', 'a range is read as stored');
    await writeFile(path, original);
  });

  it('a new put of the same bytes replaces a damaged copy instead of keeping it (kept, every later letter with those bytes got the damage; found in review)', async () => {
    for (const [label, bytes] of [
      ['in memory (writer thread)', new TextEncoder().encode('%PDF-1.7 på nytt\n'.repeat(1000))],
      ['streamed', new TextEncoder().encode('%PDF-1.7 strømmet på nytt\n'.repeat(1000))],
    ] as const) {
      const ref = await blobs.put(bytes);
      const path = pathOf(ref.sha256);
      await truncate(path, 600);
      const again = await blobs.put(
        label === 'streamed'
          ? (async function* () {
              yield bytes;
            })()
          : bytes,
      );
      assert.equal(again.sha256, ref.sha256);
      assert.equal((await stat(path)).size, bytes.length, `${label}: the stored copy is whole again`);
      assert.ok(Buffer.from(await files.read(ref)).equals(bytes), `${label}: it reads`);
    }
  });

  it('refuses an encrypted file with a changed byte before decrypting it (AES-CBC would decrypt it to garbage)', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 kryptert\n'.repeat(4000));
    const ref = await files.putEncrypted(blobs, bytes);
    assert.ok(Buffer.from(await files.read(ref)).equals(bytes));
    const path = pathOf(ref.sha256);
    const original = await readFile(path);
    const flipped = Buffer.from(original);
    const at = Math.floor(flipped.length / 2);
    flipped[at] = (flipped[at] ?? 0) ^ 1;
    await writeFile(path, flipped);
    await assert.rejects(files.read(ref), DamagedBlobError);
    await writeFile(path, original);
  });
});
