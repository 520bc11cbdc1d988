/**
 * A stored file damaged on disk after it was stored (truncated, a flipped byte) is read as a
 * storage fault, never handed on: before, a truncated document reached the PDF work, which
 * failed it as a fault of the sender's document and closed the acknowledged letter AVVIST.
 * On a real FileBlobStore in a temporary directory.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
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
