/**
 * The installation's keys on a real SQLite key store shared by two instances (two nodes):
 * the first key is made once however many ask at once, a rotation elsewhere shows after the
 * list's lifetime (or at once when asked fresh), and every key stays for decryption.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer as collect } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { InstallationKeys } from '../../../src/app/installation-keys.js';
import { decryptEnvelope, encryptToCertificate } from '../../../src/crypto/cms-envelope.js';
import { generateSelfSignedKey } from '../../../src/crypto/self-signed-key.js';
import { openSqlite, SqliteInstallationKeyStore, type SqliteDatabase } from '../../../src/storage/sqlite/index.js';

describe('InstallationKeys', () => {
  let dir: string;
  let connections: SqliteDatabase[];
  let clock: number;
  let generated: number;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-keys-'));
    connections = [];
    clock = 1_764_000_000_000;
    generated = 0;
  });
  after(async () => {
    for (const db of connections) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A key service on its own connection to the shared file, as a node has. */
  const node = (): InstallationKeys => {
    const db = openSqlite(join(dir, 'budbringer.sqlite'));
    connections.push(db);
    return new InstallationKeys({
      store: new SqliteInstallationKeyStore(db),
      generate: async (name, now) => {
        generated += 1;
        return generateSelfSignedKey(name, now);
      },
      commonName: 'Budbringer test',
      now: () => clock,
    });
  };

  it('two nodes asking at once get the same first key', async () => {
    const [a, b] = [node(), node()];
    const [ka, kb] = await Promise.all([a.current(), b.current()]);
    assert.equal(ka.nummer, 1);
    assert.equal(ka.certificatePem, kb.certificatePem);
    assert.ok(generated >= 1 && generated <= 2, 'a node that lost the race may have generated one in vain');
    assert.equal((await a.list(true)).length, 1);
  });

  it('a rotation on one node: the others publish it after the list lifetime (at once when asked fresh), and old keys decrypt', async () => {
    const [a, b] = [node(), node()];
    const old = await b.current();
    const envelopeToOld = await collect(
      encryptToCertificate(old.certificatePem, Readable.from([Buffer.from('gammel')])),
    );
    const rotated = await a.rotate();
    assert.equal(rotated.nummer, old.nummer + 1);
    assert.equal((await b.current()).nummer, old.nummer, 'within the lifetime the node keeps its copy');
    clock += 11_000;
    assert.equal((await b.current()).nummer, rotated.nummer, 'after it, the rotated key');
    const c = node();
    await c.current();
    const third = await a.rotate();
    assert.equal((await c.decryptionKeys(true))[0]?.certificatePem, third.certificatePem, 'at once when asked fresh');
    const keys = await b.decryptionKeys(true);
    assert.equal(keys.length, 3);
    assert.equal((await collect(decryptEnvelope(keys, Readable.from([envelopeToOld])))).toString(), 'gammel');
  });
});
