/**
 * The signing secret kept in DATA_DIR/secret.key when SECRET is unset: nodes starting at
 * once on one DATA_DIR (the cluster test runs three) must all end up with the same key,
 * and a key file that is not a whole key stops the start instead of signing with it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { loadSecret } from '../../../src/composition/channels.js';
import { StartError } from '../../../src/composition/start-error.js';
import { loadSettings } from '../../../src/config/load-settings.js';

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, 'load-secret-child.ts');

void describe('loadSecret', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-secret-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  void it(
    'gives processes starting together on one DATA_DIR one and the same whole key',
    { timeout: 60_000 },
    async () => {
      const dataDir = join(dir, 'race');
      await mkdir(dataDir);
      // tsx takes a second or more to start a child on a loaded machine; all wait for this moment.
      const startAt = Date.now() + 4000;
      const outputs = await Promise.all(
        Array.from({ length: 6 }, () =>
          run(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(startAt)]).then((r) => r.stdout),
        ),
      );
      assert.equal(Buffer.from(outputs[0] ?? '', 'base64').length, 32);
      assert.deepEqual(new Set(outputs).size, 1, 'every process uses the same key');
      assert.deepEqual(await readdir(dataDir), ['secret.key'], 'no staged key files left behind');
      assert.equal((await stat(join(dataDir, 'secret.key'))).mode & 0o777, 0o600);
      const again = loadSecret(loadSettings([], { DATA_DIR: dataDir }));
      assert.equal(Buffer.from(again).toString('base64'), outputs[0], 'a later start reads the stored key');
    },
  );

  void it('refuses a secret.key that is not a whole key (an empty file signs nothing safely)', async () => {
    const dataDir = join(dir, 'short');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'secret.key'), '');
    assert.throws(
      () => loadSecret(loadSettings([], { DATA_DIR: dataDir })),
      /secret\.key inneholder 0 byte.*minst 32 byte/,
    );
    await writeFile(join(dataDir, 'secret.key'), Buffer.alloc(16, 7).toString('base64'));
    assert.throws(() => loadSecret(loadSettings([], { DATA_DIR: dataDir })), /inneholder 16 byte/);
  });

  void it('says so when it makes a new key for a DATA_DIR that already holds documents (links sent before stop working)', async () => {
    const fresh = join(dir, 'fresh');
    await mkdir(join(fresh, 'blobs', 'tmp'), { recursive: true });
    const told: string[] = [];
    loadSecret(loadSettings([], { DATA_DIR: fresh }), (path) => told.push(path));
    assert.equal(told.length, 0, 'a new installation gets its key without a word');

    const restored = join(dir, 'restored');
    await mkdir(join(restored, 'blobs', 'ab', 'cd'), { recursive: true });
    loadSecret(loadSettings([], { DATA_DIR: restored }), (path) => told.push(path));
    assert.deepEqual(told, [join(restored, 'secret.key')]);
    loadSecret(loadSettings([], { DATA_DIR: restored }), (path) => told.push(path));
    assert.equal(told.length, 1, 'once: the key is there now');
  });

  void it('uses SECRET when set and writes no file', () => {
    const dataDir = join(dir, 'env');
    const secret = loadSecret(loadSettings([], { DATA_DIR: dataDir, SECRET: 'x'.repeat(40) }));
    assert.equal(Buffer.from(secret).toString('utf8'), 'x'.repeat(40));
  });

  void it('refuses cluster mode (MONGODB_URI) without SECRET: each node would make a key of its own (found in review)', async () => {
    const dataDir = join(dir, 'klynge');
    const cluster = {
      DATA_DIR: dataDir,
      MONGODB_URI: 'mongodb://db.example.no:27017',
      REDIS_URL: 'redis://redis:6379',
    };
    assert.throws(
      () => loadSecret(loadSettings([], cluster)),
      (error: unknown) =>
        error instanceof StartError && /^SECRET: klyngemodus \(MONGODB_URI\) trenger SECRET/.test(error.message),
    );
    await assert.rejects(stat(join(dataDir, 'secret.key')), 'no key file made');
    // A node that had a key file of its own (upgraded past this rule): told how to keep its links.
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'secret.key'), Buffer.alloc(32, 1).toString('base64'));
    assert.throws(
      () => loadSecret(loadSettings([], cluster)),
      (error: unknown) =>
        error instanceof StartError &&
        error.message.includes(`signert med ${join(dataDir, 'secret.key')}: sett også SECRET_PREVIOUS=base64:`),
    );
    const secret = loadSecret(loadSettings([], { ...cluster, SECRET: 'k'.repeat(40) }));
    assert.equal(Buffer.from(secret).toString('utf8'), 'k'.repeat(40));
  });
});
