/**
 * Contract of the InstallationKeyStore port: keys come back exactly, oldest first; a number
 * is taken once, also when two instances (two nodes starting) add it at the same moment.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstallationKey, InstallationKeyStore } from '../../src/storage/ports.js';
import { withFixture } from './support.js';

/** What an adapter's factory gives the suite: fresh, empty storage per call. */
export interface InstallationKeyStoreFixture {
  readonly keys: InstallationKeyStore;
  /** Another instance on the same storage, as another node would have. */
  openSecond(): Promise<InstallationKeyStore>;
  cleanup(): Promise<void>;
}

function key(nummer: number, tag: string): InstallationKey {
  return {
    nummer,
    certificatePem: `-----BEGIN CERTIFICATE-----\n${tag}\n-----END CERTIFICATE-----\n`,
    privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${tag}-«ø»\n-----END PRIVATE KEY-----\n`,
    createdAt: 1_764_000_000_000 + nummer,
  };
}

/** Registers the InstallationKeyStore contract tests for one adapter. */
export function installationKeyStoreContract(name: string, factory: () => Promise<InstallationKeyStoreFixture>): void {
  void describe(`InstallationKeyStore contract: ${name}`, () => {
    void it('gives back every key exactly, oldest first', () =>
      withFixture(factory, async ({ keys }) => {
        assert.deepEqual(await keys.list(), []);
        assert.equal(await keys.add(key(2, 'b')), true);
        assert.equal(await keys.add(key(1, 'a')), true);
        assert.deepEqual(await keys.list(), [key(1, 'a'), key(2, 'b')]);
      }));

    void it('a number is taken once: a second add of it is refused and changes nothing', () =>
      withFixture(factory, async ({ keys, openSecond }) => {
        assert.equal(await keys.add(key(1, 'first')), true);
        const second = await openSecond();
        try {
          assert.equal(await second.add(key(1, 'other')), false);
          assert.deepEqual(await second.list(), [key(1, 'first')]);
        } finally {
          await second.close();
        }
        assert.deepEqual(await keys.list(), [key(1, 'first')]);
      }));

    void it('two instances adding the first key at once: exactly one wins', () =>
      withFixture(factory, async ({ keys, openSecond }) => {
        const second = await openSecond();
        try {
          const results = await Promise.all([keys.add(key(1, 'x')), second.add(key(1, 'y'))]);
          assert.deepEqual(
            results.filter((r) => r),
            [true],
          );
          const stored = await keys.list();
          assert.equal(stored.length, 1);
          assert.deepEqual(await second.list(), stored);
        } finally {
          await second.close();
        }
      }));
  });
}
