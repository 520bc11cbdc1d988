/**
 * The verified-credential cache: a verified password is remembered for its ttl, and
 * requests that miss at the same time share one verification (a herd of sends after an
 * expiry costs one scrypt, not one each: bench/README.md, the c = 64 tail).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, verifyPassword, VerifiedCredentialCache } from '../../../src/app/passwords.js';

describe('VerifiedCredentialCache.verifyOnce', () => {
  it('64 concurrent misses of one password run one verification; the next within ttl none', async () => {
    const cache = new VerifiedCredentialCache(60_000);
    const hash = await hashPassword('riktig-passord');
    let runs = 0;
    const verify = (): Promise<boolean> => {
      runs += 1;
      return verifyPassword('riktig-passord', hash);
    };
    const results = await Promise.all(
      Array.from({ length: 64 }, () => cache.verifyOnce('kommune', 'riktig-passord', hash, 1_000, verify)),
    );
    assert.ok(results.every((ok) => ok));
    assert.equal(runs, 1);
    assert.equal(await cache.verifyOnce('kommune', 'riktig-passord', hash, 30_000, verify), true);
    assert.equal(runs, 1, 'remembered within the ttl');
    assert.equal(await cache.verifyOnce('kommune', 'riktig-passord', hash, 61_001, verify), true);
    assert.equal(runs, 2, 'verified again after the ttl');
  });

  it('in the last fifth of its ttl a triple in use is verified again in the background', async () => {
    const cache = new VerifiedCredentialCache(60_000);
    const hash = await hashPassword('riktig-passord');
    let runs = 0;
    let release: (ok: boolean) => void = () => undefined;
    const verify = (): Promise<boolean> => {
      runs += 1;
      return runs === 1 ? verifyPassword('riktig-passord', hash) : new Promise((r) => (release = r));
    };
    assert.equal(await cache.verifyOnce('kommune', 'riktig-passord', hash, 0, verify), true);
    assert.equal(await cache.verifyOnce('kommune', 'riktig-passord', hash, 50_000, verify), true, 'answered at once');
    assert.equal(runs, 2, 'a verification started in the background');
    assert.equal(await cache.verifyOnce('kommune', 'riktig-passord', hash, 55_000, verify), true);
    assert.equal(runs, 2, 'one at a time');
    release(true);
    await new Promise((r) => setImmediate(r));
    assert.equal(await cache.verifyOnce('kommune', 'riktig-passord', hash, 95_000, verify), true, 'renewed from 50 s');
    assert.equal(runs, 2);
  });

  it('a wrong password is refused and not remembered; another password is verified on its own', async () => {
    const cache = new VerifiedCredentialCache(60_000);
    const hash = await hashPassword('riktig-passord');
    let runs = 0;
    const verifier = (password: string) => (): Promise<boolean> => {
      runs += 1;
      return verifyPassword(password, hash);
    };
    const [wrong, right] = await Promise.all([
      cache.verifyOnce('kommune', 'feil-passord', hash, 1_000, verifier('feil-passord')),
      cache.verifyOnce('kommune', 'riktig-passord', hash, 1_000, verifier('riktig-passord')),
    ]);
    assert.equal(wrong, false);
    assert.equal(right, true);
    assert.equal(runs, 2);
    assert.equal(await cache.verifyOnce('kommune', 'feil-passord', hash, 2_000, verifier('feil-passord')), false);
    assert.equal(runs, 3, 'a refusal is verified again, never answered from memory');
  });
});
