/**
 * The manual print queue over a real read model (SQLite): every letter waiting for manual
 * print, oldest first, however many letters of another print provider wait in SENDT_PRINT
 * for their receipts (a review on 7 December 2026: 2 000 newer file-drop letters hid them).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { manualPrintQueue } from '../../../src/app/admin/manual-print.js';
import type { ForsendelseEvent } from '../../../src/domain/events.js';
import { toRecord } from '../../../src/domain/record.js';
import { openSqlite, SqliteReadModel } from '../../../src/storage/sqlite/index.js';
import { DAY, ev, existing, MINUTE, T0, upTo } from '../domain/given.js';

/** Letter `n`, received n minutes after T0 and sent to print by `leverandor`. */
function sentToPrint(n: number, avsender: string, leverandor: 'filedrop' | 'manual') {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const events: ForsendelseEvent[] = [
    { ...ev.mottatt({ at: T0 + n * MINUTE }), id, avsender } as ForsendelseEvent,
    ...upTo.fristUtlopt().slice(1),
    ev.sendtPrint(T0 + 3 * DAY + n * MINUTE, leverandor),
  ];
  return toRecord(existing(events), events.length);
}

describe('manualPrintQueue', () => {
  it('lists every manual letter, oldest first, past 2 000 newer letters of another provider', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'budbringer-print-queue-'));
    const db = openSqlite(join(dir, 'db.sqlite'));
    try {
      const readModel = new SqliteReadModel(db);
      // Older and newer than every file-drop letter: neither end may be cut off.
      const manual = [5000, 1, 2].map((n) => sentToPrint(n, 'Akommune', 'manual'));
      for (const r of manual) await readModel.upsert(r);
      for (let n = 10; n < 2110; n++) await readModel.upsert(sentToPrint(n, 'Bkommune', 'filedrop'));
      const queue = await manualPrintQueue(readModel, undefined);
      assert.deepEqual(
        queue.letters.map((s) => Number(s.id.slice(-12))),
        [1, 2, 5000],
      );
      assert.equal(queue.total, 3);
      assert.deepEqual(
        (await manualPrintQueue(readModel, ['Bkommune'])).letters,
        [],
        'a file-drop letter is not in the queue',
      );
      // More waiting than one page shows: the oldest, and how many wait in all.
      const few = await manualPrintQueue(readModel, ['Akommune'], 2);
      assert.deepEqual(
        few.letters.map((s) => Number(s.id.slice(-12))),
        [1, 2],
      );
      assert.equal(few.total, 3);
    } finally {
      db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
