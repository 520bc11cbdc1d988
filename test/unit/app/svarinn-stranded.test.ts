/**
 * A letter left in KLAR_FOR_MOTTAK by a deletion made before such a letter ended IKKE_LEVERT
 * (files deleted, never fetched: nothing a receiver can take) is not left there: the SvarInn
 * check wakes it, its actor queues the purge, and the purge's deletion ends it
 * (docs/interfaces.md §11). Its jobs come from pendingJobs, as a woken actor queues them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pendingJobs } from '../../../src/actors/forsendelse-actor.js';
import { warnUnfetchedSvarInn } from '../../../src/app/svarinn-warnings.js';
import type { ForsendelseCommand } from '../../../src/domain/commands.js';
import { decide } from '../../../src/domain/decide.js';
import type { ForsendelseEvent } from '../../../src/domain/events.js';
import { evolve, type ForsendelseState } from '../../../src/domain/forsendelse-state.js';
import { toRecord } from '../../../src/domain/record.js';
import { purgeJob } from '../../../src/jobs/purge-job.js';
import type { ForsendelseRecord } from '../../../src/storage/ports.js';
import { input, stored, T0 } from '../domain/given.js';

const SYSTEM = 'aaaaaaaa-0000-4000-8000-000000000001';
const DAY = 86_400_000;
const policy = { purgeAt: (t: number) => t + 90 * DAY };

/** A letter routed to SYSTEM, with `more` events after. */
function letter(n: number, more: ForsendelseEvent[] = []): ForsendelseState {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const events: ForsendelseEvent[] = [
    {
      type: 'Mottatt',
      at: T0,
      id,
      avsender: 'Testkommune',
      input: input({ mottaker: { digitalAdresse: { type: 'organisasjon', orgnr: '923456783' } } }),
      dokumenter: [stored()],
    },
    { type: 'Akseptert', at: T0 },
    { type: 'KanalValgt', at: T0, kanal: 'svarinn', grunn: 'SvarInn', mottakersystem: SYSTEM },
    ...more,
  ];
  return events.reduce<ForsendelseState | undefined>(evolve, undefined) as ForsendelseState;
}

describe('a SvarInn letter stranded by an older deletion', () => {
  it('is woken by the SvarInn check, and the purge its actor queues ends it IKKE_LEVERT', async () => {
    const stranded = letter(1, [{ type: 'DokumenterSlettet', at: T0 + 1, grunn: 'avsender' }]);
    const waiting = letter(2);
    const states = new Map([stranded, waiting].map((s) => [s.id, s]));
    const woken: string[] = [];
    const sent = await warnUnfetchedSvarInn({
      readModel: {
        idsByStatus: async () => [...states.keys()],
        getMany: async (ids: readonly string[]): Promise<ForsendelseRecord[]> =>
          ids.map((id) => toRecord(states.get(id) as ForsendelseState, 4)),
        search: async () => ({ items: [toRecord(waiting, 4)], total: 1 }),
      },
      register: {
        list: async () => [],
        claimWarning: async () => false,
      },
      email: { send: async () => assert.fail('no warning: the waiting letter is new') },
      afterMs: DAY,
      now: () => T0 + 2,
      wake: async (id) => woken.push(id),
    });
    assert.equal(sent, 0);
    assert.deepEqual(woken, [stranded.id], 'only the stranded letter is woken');

    // What the woken actor queues: the purge, due now.
    assert.deepEqual(
      pendingJobs(stranded, policy).map((j) => [j.id, j.runAt]),
      [[`purge:${stranded.id}`, stranded.mottattAt]],
    );
    let state = stranded;
    const commands: ForsendelseCommand[] = [];
    const released: string[] = [];
    await purgeJob({
      actors: {
        state: async () => state,
        execute: async (_id: string, command: ForsendelseCommand) => {
          commands.push(command);
          const events = decide(state, command);
          state = events.reduce(evolve, state);
          return { state, events };
        },
      } as never,
      blobs: { release: async (id: string) => void released.push(id) } as never,
      now: () => T0 + 3,
    })({ id: `purge:${stranded.id}`, type: 'purge', payload: { forsendelseId: stranded.id }, attempt: 1 });
    assert.deepEqual(
      commands.map((c) => c.type),
      ['SlettDokumenter'],
    );
    assert.equal(state.status, 'IKKE_LEVERT');
    assert.equal(
      state.historikk.at(-1)?.hendelse,
      'Ikke levert: dokumentene ble slettet før mottakersystemet (SvarInn) hentet forsendelsen',
    );
    assert.deepEqual(pendingJobs(state, policy), [], 'nothing more to do');
    assert.deepEqual(released, [stranded.id]);
  });
});
