/**
 * The warning of unfetched SvarInn letters reads each receiving system's own waiting letters:
 * until 7 December 2026 it read the 10 000 oldest of the whole installation, and one system's
 * backlog kept every other system from being warned (found in review). Against a real SQLite
 * read model and register.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { warnUnfetchedSvarInn } from '../../../src/app/svarinn-warnings.js';
import type { ForsendelseEvent } from '../../../src/domain/events.js';
import { evolve, type ForsendelseState } from '../../../src/domain/forsendelse-state.js';
import { toRecord } from '../../../src/domain/record.js';
import type { EmailMessage } from '../../../src/channels/notify/email-sender.js';
import { openSqlite, SqliteMottakersystemRegister, SqliteReadModel } from '../../../src/storage/sqlite/index.js';
import { input, stored, T0 } from '../domain/given.js';

const BACKLOG = 'aaaaaaaa-0000-4000-8000-000000000001';
const OTHER = 'bbbbbbbb-0000-4000-8000-000000000002';
const HOUR = 3_600_000;

/** Letter `n`, received at T0 + n ms, waiting for `system`. */
function waiting(n: number, system: string): ForsendelseState {
  const events: ForsendelseEvent[] = [
    {
      type: 'Mottatt',
      at: T0 + n,
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      avsender: 'Testkommune',
      input: input({ mottaker: { digitalAdresse: { type: 'organisasjon', orgnr: '923456783' } } }),
      dokumenter: [stored()],
    },
    { type: 'Akseptert', at: T0 + n },
    { type: 'KanalValgt', at: T0 + n, kanal: 'svarinn', grunn: 'SvarInn', mottakersystem: system },
  ];
  return events.reduce<ForsendelseState | undefined>(evolve, undefined) as ForsendelseState;
}

describe('warnUnfetchedSvarInn', () => {
  it('warns a system whose one letter waits behind another system’s backlog of more than 10 000', async () => {
    const db = openSqlite(':memory:');
    const readModel = new SqliteReadModel(db);
    const register = new SqliteMottakersystemRegister(db);
    for (const [id, epost] of [
      [BACKLOG, 'a@example.no'],
      [OTHER, 'b@example.no'],
    ] as const) {
      await register.create({
        id,
        navn: id.slice(0, 8),
        orgnr: '923456783',
        passordHash: 'x',
        sertifikat: 'x',
        epost,
        createdAt: T0,
      });
    }
    db.transaction(() => {
      for (let n = 1; n <= 10_050; n++) readModel.upsertNow(toRecord(waiting(n, BACKLOG), 3));
    })();
    await readModel.upsert(toRecord(waiting(20_000, OTHER), 3));
    const mails: EmailMessage[] = [];
    const sent = await warnUnfetchedSvarInn({
      readModel,
      register,
      email: {
        send: async (m) => {
          mails.push(m);
          return true;
        },
      },
      afterMs: 2 * HOUR,
      now: () => T0 + 3 * HOUR,
    });
    assert.equal(sent, 2);
    const to = (who: string) => mails.find((m) => m.to === who);
    assert.match(to('b@example.no')?.subject ?? '', /^Budbringer: 1 forsendelse venter på bbbbbbbb$/);
    assert.match(to('a@example.no')?.subject ?? '', /^Budbringer: 10050 forsendelser venter på aaaaaaaa$/);
    db.close();
  });
});
