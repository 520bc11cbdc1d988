/**
 * Contract of the BlobStore's reference tracking: a blob is deleted when, and only when,
 * no owner references it and no put holds a lease on it; expired leases are collected;
 * and a concurrent put + claim on another node (a second store on the same storage) never
 * loses its bytes to a collection racing it.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { claimForNewOwner, withBlobCustody } from '../../src/storage/blob-custody.js';
import type { BlobStore } from '../../src/storage/ports.js';
import { withFixture } from './support.js';

/** A blob store plus a second one on the same storage, as another process or node has. */
export interface BlobReferencesFixture {
  readonly blobs: BlobStore;
  openSecond(): Promise<BlobStore>;
  cleanup(): Promise<void>;
}

const present = async (blobs: BlobStore, sha256: string): Promise<boolean> => (await blobs.size(sha256)) !== undefined;

/** Registers the reference-tracking contract tests for one adapter. */
export function blobReferencesContract(name: string, factory: () => Promise<BlobReferencesFixture>): void {
  void describe(`BlobStore references contract: ${name}`, () => {
    void it('a released lease deletes an unclaimed blob; a claimed one stays until its owner releases it', () =>
      withFixture(factory, async ({ blobs }) => {
        const refused = await blobs.put(randomBytes(500), { lease: 'intake-1' });
        const kept = await blobs.put(randomBytes(500), { lease: 'intake-2' });
        await blobs.claim('forsendelse-2', [kept.sha256]);
        assert.equal(await blobs.releaseLease('intake-1'), 1);
        assert.equal(await blobs.releaseLease('intake-2'), 0);
        assert.equal(await present(blobs, refused.sha256), false, "nothing held the refused send's document");
        assert.equal(await present(blobs, kept.sha256), true, 'the claimed document stays');
        assert.equal(await blobs.release('forsendelse-2'), 1);
        assert.equal(await present(blobs, kept.sha256), false);
        assert.equal(await blobs.release('forsendelse-2'), 0, 'releasing twice is harmless');
        assert.equal(await blobs.releaseLease('no-such-lease'), 0);
      }));

    void it('a blob shared by several forsendelser goes only when the last one releases it', () =>
      withFixture(factory, async ({ blobs }) => {
        const leaflet = randomBytes(2000);
        const own = await blobs.put(randomBytes(100), { lease: 'a' });
        const shared = await blobs.put(leaflet, { lease: 'a' });
        await blobs.claim('brev-a', [own.sha256, shared.sha256]);
        await blobs.releaseLease('a');
        assert.deepEqual(await blobs.put(leaflet, { lease: 'b' }), shared, 'dedupe: same address');
        await blobs.claim('brev-b', [shared.sha256, shared.sha256]);
        await blobs.releaseLease('b');
        assert.equal(await blobs.release('brev-a'), 1, "only brev-a's own document goes");
        assert.equal(await present(blobs, own.sha256), false);
        assert.deepEqual(Buffer.from(await blobs.get(shared.sha256)), leaflet, 'brev-b still has the leaflet');
        assert.equal(await blobs.release('brev-b'), 1);
        assert.equal(await present(blobs, shared.sha256), false);
      }));

    void it('a put of bytes another intake is giving up keeps them (its own lease holds them)', () =>
      withFixture(factory, async ({ blobs }) => {
        const bytes = randomBytes(700);
        const a = await blobs.put(bytes, { lease: 'refused' });
        const b = await blobs.put(bytes, { lease: 'accepted' });
        assert.equal(await blobs.releaseLease('refused'), 0);
        assert.equal(await present(blobs, a.sha256), true);
        await blobs.claim('brev', [b.sha256]);
        await blobs.releaseLease('accepted');
        assert.deepEqual(Buffer.from(await blobs.get(b.sha256)), bytes);
      }));

    void it('the classic race in order: a put finds X present, the last owner of X releases it, then the put claims X', () =>
      withFixture(factory, async ({ blobs, openSecond }) => {
        const nodeB = await openSecond();
        try {
          const bytes = randomBytes(4000);
          const x = await nodeB.put(bytes, { lease: 'b-intake' });
          await nodeB.claim('old-letter', [x.sha256]);
          await nodeB.releaseLease('b-intake');
          assert.deepEqual(await blobs.put(bytes, { lease: 'a-intake' }), x, 'node A finds X present');
          assert.equal(await nodeB.release('old-letter'), 0, "node A's lease keeps X");
          await blobs.claim('new-letter', [x.sha256]);
          assert.equal(await blobs.releaseLease('a-intake'), 0);
          assert.deepEqual(Buffer.from(await blobs.get(x.sha256)), bytes, 'the acknowledged letter keeps its document');
          assert.deepEqual(Buffer.from(await nodeB.get(x.sha256)), bytes);
        } finally {
          await nodeB.close();
        }
      }));

    void it(
      'concurrently, across two stores: a put + claim racing the release of the last owner never loses its bytes',
      { timeout: 120_000 },
      () =>
        withFixture(factory, async ({ blobs, openSecond }) => {
          const nodeB = await openSecond();
          try {
            for (let round = 0; round < 40; round++) {
              const bytes = randomBytes(1000 + round);
              const x = await nodeB.put(bytes, { lease: `b-${round}` });
              await nodeB.claim(`old-${round}`, [x.sha256]);
              await nodeB.releaseLease(`b-${round}`);
              const lease = `a-${round}`;
              // Node A: put (streamed on odd rounds, so the put's own steps interleave too), claim, end the intake.
              const intake = (async () => {
                const ref =
                  round % 2 === 0 ? await blobs.put(bytes, { lease }) : await blobs.put(pieces(bytes), { lease });
                await blobs.claim(`new-${round}`, [ref.sha256]);
                await blobs.releaseLease(lease);
              })();
              // Node B at the same time: the old letter is purged, and garbage is collected (with
              // a grace period longer than an intake, as in production: a shorter one would
              // expire node A's live lease, which the next test shows the claim refusing).
              const purge = (async () => {
                await nodeB.release(`old-${round}`);
                await nodeB.collectGarbage(60_000);
              })();
              await Promise.all([intake, purge]);
              assert.deepEqual(
                Buffer.from(await blobs.get(x.sha256)),
                bytes,
                `round ${round}: the new letter lost its document`,
              );
              assert.equal(
                await blobs.release(`new-${round}`),
                1,
                `round ${round}: released by its last owner, it goes`,
              );
              assert.equal(await present(nodeB, x.sha256), false);
            }
          } finally {
            await nodeB.close();
          }
        }),
    );

    void it('a claim of bytes collected after their lease expired fails and records nothing', () =>
      withFixture(factory, async ({ blobs }) => {
        const slow = await blobs.put(randomBytes(400), { lease: 'slow-intake' });
        assert.equal(
          await blobs.collectGarbage(60_000, Date.now() + 120_000),
          1,
          'the intake outlived the grace period',
        );
        await assert.rejects(blobs.claim('brev', [slow.sha256]), /slettet før forsendelsen var lagret/);
        assert.equal(await present(blobs, slow.sha256), false);
        const again = await blobs.put(randomBytes(400), { lease: 'next' });
        await blobs.claim('brev', [again.sha256]);
        await blobs.releaseLease('next');
        assert.equal(await blobs.release('brev'), 1, 'only the blob claimed afterwards was recorded');
      }));

    void it('collectGarbage expires leases past the grace period: unclaimed bytes go, claimed ones stay', () =>
      withFixture(factory, async ({ blobs }) => {
        const orphan = await blobs.put(randomBytes(300)); // a put whose intake died: anonymous lease
        const claimed = await blobs.put(randomBytes(300), { lease: `dead-${randomUUID()}` });
        await blobs.claim('brev', [claimed.sha256]);
        assert.equal(await blobs.collectGarbage(60_000), 0, 'leases younger than the grace period hold');
        assert.equal(await present(blobs, orphan.sha256), true);
        const later = Date.now() + 120_000;
        assert.equal(await blobs.collectGarbage(60_000, later), 1, 'the orphan, past the grace period then');
        assert.equal(await present(blobs, orphan.sha256), false);
        assert.equal(await present(blobs, claimed.sha256), true, 'a reference holds beyond any lease');
        assert.equal(await blobs.collectGarbage(60_000, later), 0, 'nothing left to collect');
      }));

    void it('withBlobCustody: what the scope claimed stays, what it only stored goes when the scope ends', () =>
      withFixture(factory, async ({ blobs }) => {
        const kept = randomBytes(400);
        const dropped = randomBytes(400);
        const refs = await withBlobCustody(
          blobs,
          async (custody) => {
            const k = await custody.blobs.put(kept);
            const d = await custody.blobs.put(pieces(dropped));
            await custody.claim('brev-custody', [k.sha256]);
            assert.equal(await present(blobs, d.sha256), true, 'the lease holds what the scope stored while it runs');
            assert.equal(await blobs.collectGarbage(60_000), 0, "a running scope's lease is young");
            return { k, d };
          },
          { name: 'intake' },
        );
        assert.equal(await present(blobs, refs.d.sha256), false, 'stored, never claimed: gone with the scope');
        assert.deepEqual(Buffer.from(await blobs.get(refs.k.sha256)), kept, 'claimed: kept for its owner');
        assert.equal(await blobs.collectGarbage(0, Date.now() + 120_000), 0, 'the scope left no lease behind');
        assert.equal(await blobs.release('brev-custody'), 1);
        assert.equal(await present(blobs, refs.k.sha256), false);
      }));

    void it('withBlobCustody: a scope that fails releases its lease too, and its own error is the one thrown', () =>
      withFixture(factory, async ({ blobs }) => {
        let stored: string | undefined;
        await assert.rejects(
          withBlobCustody(blobs, async (custody) => {
            stored = (await custody.blobs.put(randomBytes(300))).sha256;
            throw new Error('ugyldig dokument');
          }),
          /ugyldig dokument/,
        );
        assert.ok(stored !== undefined);
        assert.equal(await present(blobs, stored), false, 'a refused scope keeps nothing');
        assert.equal(await blobs.collectGarbage(0, Date.now() + 120_000), 0, 'and leaves no lease');
      }));

    void it('withBlobCustody: a release that fails is reported when asked for, else surfaces after a scope that succeeded', () =>
      withFixture(factory, async ({ blobs }) => {
        const failing: BlobStore = {
          ...blobs,
          put: (s, o) => blobs.put(s, o),
          claim: (o, s) => blobs.claim(o, s),
          releaseLease: async () => Promise.reject(new Error('lagret ikke')),
        };
        const reported: unknown[] = [];
        const value = await withBlobCustody(failing, async (c) => (await c.blobs.put(randomBytes(200))).sha256, {
          onReleaseError: (e) => reported.push(e),
        });
        assert.equal(reported.length, 1, 'the failed release was reported');
        assert.equal(await present(blobs, value), true, 'its lease is left to expiry, so the bytes stay until then');
        await assert.rejects(
          withBlobCustody(failing, async () => 'ferdig'),
          /lagret ikke/,
          "unreported, it is the scope's error",
        );
        assert.equal(
          await blobs.collectGarbage(60_000, Date.now() + 120_000),
          1,
          'expiry ends the lease that was left',
        );
        assert.equal(await present(blobs, value), false);
      }));

    void it('claimForNewOwner: a record that fails for an owner never made releases the claim; for an owner that exists it keeps it', () =>
      withFixture(factory, async ({ blobs }) => {
        await withBlobCustody(blobs, async (custody) => {
          const lost = await custody.blobs.put(randomBytes(300));
          const won = await custody.blobs.put(randomBytes(300));
          await assert.rejects(
            claimForNewOwner(
              blobs,
              'brev-aldri',
              [lost.sha256],
              async () => Promise.reject(new Error('journalen svarte ikke')),
              async () => false,
            ),
            /journalen svarte ikke/,
          );
          await assert.rejects(
            claimForNewOwner(
              blobs,
              'brev-finnes',
              [won.sha256],
              async () => Promise.reject(new Error('id finnes')),
              async () => true,
            ),
            /id finnes/,
          );
          assert.equal(
            await claimForNewOwner(
              blobs,
              'brev-ny',
              [won.sha256],
              async () => 'lagret',
              async () => false,
            ),
            'lagret',
          );
          return { lost, won };
        }).then(async ({ lost, won }) => {
          assert.equal(await present(blobs, lost.sha256), false, 'claim dropped, lease ended: nothing holds it');
          assert.equal(await blobs.release('brev-aldri'), 0, 'no claim was left behind');
          assert.equal(await blobs.release('brev-ny'), 0, 'brev-ny lets go, the existing owner still holds it');
          assert.equal(await present(blobs, won.sha256), true);
          assert.equal(await blobs.release('brev-finnes'), 1, 'the existing owner kept its claim through the failure');
        });
      }));
  });
}

async function* pieces(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += 97) yield bytes.subarray(i, i + 97);
}
