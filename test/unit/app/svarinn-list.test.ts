/**
 * hentNyeForsendelser over a real read model (SQLite): at most 200, oldest first, only the
 * asking system's letters still waiting, never another system's or an acknowledged one.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SvarInnService } from '../../../src/app/svarinn-service.js';
import type { ForsendelseEvent } from '../../../src/domain/events.js';
import { evolve, type ForsendelseState } from '../../../src/domain/forsendelse-state.js';
import { toRecord } from '../../../src/domain/record.js';
import type { Mottakersystem } from '../../../src/storage/ports.js';
import { openSqlite, SqliteConfigStore, SqliteReadModel } from '../../../src/storage/sqlite/index.js';
import { input, stored, T0 } from '../domain/given.js';

const ORG = '923456783';
const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

/** The state of a letter received at `at` and routed to `system` (acknowledged when `kvittert`). */
function letter(n: number, system: string, kvittert = false): ForsendelseState {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const at = T0 + n * 1000;
  const events: ForsendelseEvent[] = [
    {
      type: 'Mottatt',
      at,
      id,
      avsender: 'Testkommune',
      input: input({ mottaker: { digitalAdresse: { type: 'organisasjon', orgnr: ORG } } }),
      dokumenter: [stored()],
    },
    { type: 'Akseptert', at, forsendelsesfil: { sha256: 'f'.repeat(64), size: 1, sider: 1 } },
    { type: 'KanalValgt', at, kanal: 'svarinn', grunn: 'SvarInn', mottakersystem: system },
    ...(kvittert ? [{ type: 'MottakKvittert', at, mottakersystem: system } as const] : []),
  ];
  return events.reduce<ForsendelseState | undefined>(evolve, undefined) as ForsendelseState;
}

describe('SvarInnService.nyeForsendelser', () => {
  it('lists at most 200 of the system’s waiting letters, oldest first', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'budbringer-svarinn-list-'));
    const db = openSqlite(join(dir, 'db.sqlite'));
    try {
      const readModel = new SqliteReadModel(db);
      // Stored newest first, so the order of the answer is the service’s own; more than one page (500) of the search.
      for (let n = 600; n >= 1; n--) {
        const state = letter(n, n % 5 === 0 ? B : A, n % 7 === 0);
        await readModel.upsert(toRecord(state, 4));
      }
      const service = new SvarInnService({
        actors: {
          execute: () => {
            throw new Error('listing changes nothing');
          },
        },
        readModel,
        blobs: { stream: () => Promise.reject(new Error('listing reads no document')) },
        config: new SqliteConfigStore(db),
        encrypt: () => {
          throw new Error('listing encrypts nothing');
        },
        now: () => T0,
      });
      const system = { id: A, orgnr: ORG } as Mottakersystem;
      const list = await service.nyeForsendelser(system);
      const waitingForA = Array.from({ length: 600 }, (_, i) => i + 1).filter((n) => n % 5 !== 0 && n % 7 !== 0);
      assert.equal(list.length, 200);
      assert.deepEqual(
        list.map((f) => Number(f.id.slice(-12))),
        waitingForA.slice(0, 200),
      );
      assert.ok(list.every((f) => f.status === 'KLAR_FOR_MOTTAK' && f.niva === 3));
    } finally {
      db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads only the asking system’s letters: another system’s backlog for the same orgnr is not read on its poll (found in review)', async () => {
    const db = openSqlite(':memory:');
    try {
      const readModel = new SqliteReadModel(db);
      // B waits with 3 000 older letters for the same organisation; A has three.
      db.transaction(() => {
        for (let n = 1; n <= 3_000; n++) readModel.upsertNow(toRecord(letter(n, B), 4));
      })();
      for (const n of [3_001, 3_002, 3_003]) await readModel.upsert(toRecord(letter(n, A), 4));
      let read = 0;
      const counting = {
        get: readModel.get.bind(readModel),
        search: async (...args: Parameters<SqliteReadModel['search']>) => {
          const page = await readModel.search(...args);
          read += page.items.length;
          return page;
        },
      };
      const service = new SvarInnService({
        actors: { execute: () => Promise.reject(new Error('listing changes nothing')) },
        readModel: counting,
        blobs: { stream: () => Promise.reject(new Error('listing reads no document')) },
        config: new SqliteConfigStore(db),
        encrypt: () => {
          throw new Error('listing encrypts nothing');
        },
        now: () => T0,
      });
      const list = await service.nyeForsendelser({ id: A, orgnr: ORG } as Mottakersystem);
      assert.deepEqual(
        list.map((f) => Number(f.id.slice(-12))),
        [3_001, 3_002, 3_003],
      );
      assert.equal(read, 3, 'the views read are A’s three, not B’s 3 000');
    } finally {
      db.close();
    }
  });
});
