/**
 * Contract of the AuditLog port: entries come back exactly, newest first, with unique
 * increasing ids; filters are exact and combine with AND; paging leaves the total alone;
 * and a second instance (another node) records into and reads the same log.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEntry, AuditLog } from '../../src/storage/ports.js';
import { withFixture } from './support.js';

/** What an audit log adapter's factory gives the suite: fresh, empty storage per call. */
export interface AuditLogFixture {
  readonly audit: AuditLog;
  /** Another instance on the same storage, as another node would have. */
  openSecond(): Promise<AuditLog>;
  cleanup(): Promise<void>;
}

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return { at: 1_764_000_000_000 + n, bruker: 'kari', handling: 'innlogging', ...overrides };
}

/** Registers the AuditLog contract tests for one adapter. */
export function auditLogContract(name: string, factory: () => Promise<AuditLogFixture>): void {
  void describe(`AuditLog contract: ${name}`, () => {
    void it('gives back every field exactly, absent optional fields as undefined, newest first', () =>
      withFixture(factory, async ({ audit }) => {
        assert.deepEqual(await audit.list({ limit: 10, offset: 0 }), { items: [], total: 0 });
        const full = entry(1, {
          objekt: '0b3c1a2e-1111-4222-8333-444455556666',
          detaljer: 'Grunn: levert på servicetorget – «Ø»',
          adresse: '::ffff:10.0.0.7',
        });
        await audit.record(full);
        await audit.record(entry(2, { bruker: 'ola', handling: 'utlogging' }));
        const { items, total } = await audit.list({ limit: 10, offset: 0 });
        assert.equal(total, 2);
        assert.equal(items.length, 2);
        const [newest, oldest] = items as [(typeof items)[0], (typeof items)[0]];
        assert.ok(newest.id > oldest.id, 'ids increase in recording order');
        assert.deepEqual({ ...oldest, id: 0 }, { id: 0, ...full });
        assert.deepEqual(
          { ...newest, id: 0 },
          {
            id: 0,
            at: full.at + 1,
            bruker: 'ola',
            handling: 'utlogging',
            objekt: undefined,
            detaljer: undefined,
            adresse: undefined,
          },
        );
      }));

    void it('keeps detaljer up to 2000 characters', () =>
      withFixture(factory, async ({ audit }) => {
        await audit.record(entry(1, { detaljer: 'x'.repeat(2000) + 'y'.repeat(500) }));
        const [only] = (await audit.list({ limit: 1, offset: 0 })).items;
        assert.equal(only?.detaljer, 'x'.repeat(2000));
      }));

    void it('filters exactly by bruker, handling and objekt, combined with AND; empty means no filter', () =>
      withFixture(factory, async ({ audit }) => {
        await audit.record(entry(1, { bruker: 'kari', handling: 'innlogging' }));
        await audit.record(entry(2, { bruker: 'kari', handling: 'forsendelse.manuelt-handtert', objekt: 'id-1' }));
        await audit.record(entry(3, { bruker: 'ola', handling: 'forsendelse.manuelt-handtert', objekt: 'id-1' }));
        await audit.record(entry(4, { bruker: 'kari2', handling: 'innlogging' }));
        const ats = async (q: { bruker?: string; handling?: string; objekt?: string }) => {
          const r = await audit.list({ ...q, limit: 50, offset: 0 });
          return { total: r.total, ats: r.items.map((i) => i.at - 1_764_000_000_000) };
        };
        assert.deepEqual(await ats({ bruker: 'kari' }), { total: 2, ats: [2, 1] }, 'exact, not a prefix');
        assert.deepEqual(await ats({ handling: 'forsendelse.manuelt-handtert' }), { total: 2, ats: [3, 2] });
        assert.deepEqual(await ats({ objekt: 'id-1', bruker: 'ola' }), { total: 1, ats: [3] });
        assert.deepEqual(await ats({ objekt: 'id-2' }), { total: 0, ats: [] });
        assert.deepEqual(await ats({ bruker: '', handling: '', objekt: '' }), { total: 4, ats: [4, 3, 2, 1] });
      }));

    void it('pages with limit and offset, the total counting every match', () =>
      withFixture(factory, async ({ audit }) => {
        for (let n = 1; n <= 7; n++) await audit.record(entry(n));
        const page = async (limit: number, offset: number) => {
          const r = await audit.list({ limit, offset });
          return { total: r.total, ats: r.items.map((i) => i.at - 1_764_000_000_000) };
        };
        assert.deepEqual(await page(3, 0), { total: 7, ats: [7, 6, 5] });
        assert.deepEqual(await page(3, 3), { total: 7, ats: [4, 3, 2] });
        assert.deepEqual(await page(3, 6), { total: 7, ats: [1] });
        assert.deepEqual(await page(3, 9), { total: 7, ats: [] });
        assert.deepEqual(await page(0, 0), { total: 7, ats: [] }, 'limit 0 gives no entries');
      }));

    void it('shares one log between instances: unique ids under concurrent recording, all entries seen by both', () =>
      withFixture(factory, async ({ audit, openSecond }) => {
        const second = await openSecond();
        try {
          await Promise.all(
            Array.from({ length: 20 }, (_, n) =>
              (n % 2 === 0 ? audit : second).record(entry(n, { bruker: n % 2 === 0 ? 'node-a' : 'node-b' })),
            ),
          );
          const fromFirst = await audit.list({ limit: 50, offset: 0 });
          const fromSecond = await second.list({ limit: 50, offset: 0 });
          assert.equal(fromFirst.total, 20);
          assert.deepEqual(fromSecond, fromFirst);
          const ids = fromFirst.items.map((i) => i.id);
          assert.equal(new Set(ids).size, 20, 'unique ids');
          assert.deepEqual(
            [...ids].sort((a, b) => b - a),
            ids,
            'newest (highest id) first',
          );
          assert.deepEqual(
            new Set(fromFirst.items.map((i) => i.at - 1_764_000_000_000)),
            new Set(Array.from({ length: 20 }, (_, n) => n)),
          );
        } finally {
          await second.close();
        }
      }));
  });
}
