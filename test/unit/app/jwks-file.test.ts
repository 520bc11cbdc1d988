/**
 * A JWKS file followed as the operator edits it: a change is seen at the next look after the
 * re-check interval (never before it: no stat per request), a broken or missing file keeps
 * the last good keys and is reported once per problem, and `reload` looks at once and throws
 * what it cannot read.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { errors, exportJWK, generateKeyPair, type JWK } from 'jose';
import { JwksFile, type LocalKeySet } from '../../../src/app/fiks/jwks-file.js';

/** The public JWK of a fresh RS256 key named `kid`. */
async function jwk(kid: string): Promise<JWK> {
  const { publicKey } = await generateKeyPair('RS256');
  return { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
}

/** Whether `keys` holds a key named `kid`. */
async function has(keys: LocalKeySet, kid: string): Promise<boolean> {
  try {
    await keys({ alg: 'RS256', kid });
    return true;
  } catch (err) {
    if (err instanceof errors.JWKSNoMatchingKey) return false;
    throw err;
  }
}

describe('JwksFile', () => {
  let dir: string;
  let a: JWK;
  let b: JWK;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-jwks-file-'));
    [a, b] = await Promise.all([jwk('a'), jwk('b')]);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('a key removed from the file is gone at the next look; a broken file keeps the last good keys, reported once', async () => {
    const file = join(dir, 'jwks.json');
    await writeFile(file, JSON.stringify({ keys: [a] }));
    const reported: unknown[] = [];
    const jwks = new JwksFile(file, { recheckMs: 0, onError: (err) => reported.push(err) });
    assert.ok(await has(await jwks.keys(), 'a'));

    await writeFile(file, JSON.stringify({ keys: [b] }));
    const now = await jwks.keys();
    assert.equal(await has(now, 'a'), false, 'key A removed');
    assert.ok(await has(now, 'b'));

    await writeFile(file, '{"keys": [');
    for (let i = 0; i < 3; i++) assert.ok(await has(await jwks.keys(), 'b'), 'the last good keys kept');
    assert.equal(reported.length, 1, 'reported once, not at every look');
    assert.ok(reported[0] instanceof SyntaxError);
    await assert.rejects(jwks.reload(), SyntaxError);

    await rm(file);
    assert.ok(await has(await jwks.keys(), 'b'));
    assert.equal(reported.length, 2, 'a new problem is reported');
    assert.equal((reported[1] as NodeJS.ErrnoException).code, 'ENOENT');

    await writeFile(file, JSON.stringify({ keys: [a] }));
    assert.ok(await has(await jwks.keys(), 'a'), 'read again once it is back');
    await writeFile(file, JSON.stringify({ keys: 'ingen' }));
    assert.ok(await has(await jwks.keys(), 'a'));
    assert.equal(reported.length, 3, 'the same kind of problem after a good read is reported again');
    assert.ok(reported[2] instanceof errors.JWKSInvalid);
  });

  it('within the re-check interval the keys in hand are used without a look; reload looks at once', async () => {
    const file = join(dir, 'throttled.json');
    await writeFile(file, JSON.stringify({ keys: [a] }));
    const jwks = new JwksFile(file, { recheckMs: 60_000 });
    assert.ok(await has(await jwks.keys(), 'a'));
    await rm(file);
    assert.ok(await has(await jwks.keys(), 'a'), 'no look: the file is not even missed');
    await writeFile(file, JSON.stringify({ keys: [b] }));
    assert.ok(await has(await jwks.reload(), 'b'));
    assert.ok(await has(await jwks.keys(), 'b'));
  });

  it('a file that cannot be read at first is an error, not an empty key set', async () => {
    const jwks = new JwksFile(join(dir, 'finnes-ikke.json'));
    await assert.rejects(jwks.keys(), { code: 'ENOENT' });
  });
});
