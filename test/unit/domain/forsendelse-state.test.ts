import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evolve, isFinal, isReadable } from '../../../src/domain/forsendelse-state.js';
import { fromRecord, toRecord } from '../../../src/domain/record.js';
import { AVSENDER, FIL, FNR, ID, T0, ev, existing, input, stored, upTo } from './given.js';

describe('evolve: the state a history folds to', () => {
  it('Mottatt creates the state with id, avsender, input, documents and three history lines', () => {
    const s = existing([ev.mottatt({ dokumenter: [stored('a.pdf', 1), stored('b.pdf', 2)] })]);
    assert.equal(s.id, ID);
    assert.equal(s.avsender, AVSENDER);
    assert.equal(s.status, 'MOTTATT');
    assert.equal(s.mottattAt, T0);
    assert.equal(s.sisteStatusEndring, T0);
    assert.deepEqual(s.input, input());
    assert.deepEqual(
      s.dokumenter.map((d) => d.filnavn),
      ['a.pdf', 'b.pdf'],
    );
    assert.equal(s.historikk.length, 3);
  });

  it('an event before Mottatt is a programming error', () => {
    assert.throws(() => evolve(undefined, ev.akseptert()), /before Mottatt/);
  });

  it('sisteStatusEndring moves only when the status changes', () => {
    const varslet = existing(upTo.varslet());
    const reminded = evolve(varslet, ev.paminnet(T0 + 86_400_000));
    assert.equal(reminded.status, 'VARSLET');
    assert.equal(reminded.sisteStatusEndring, varslet.sisteStatusEndring);
    const digital = existing(upTo.digital());
    assert.equal(digital.status, 'AKSEPTERT');
    assert.equal(
      digital.sisteStatusEndring,
      existing(upTo.akseptert()).sisteStatusEndring,
      'choosing digital is not a status change',
    );
  });

  it('history only grows, in event order', () => {
    const states = upTo
      .printet()
      .reduce<ReturnType<typeof existing>[]>((acc, e) => [...acc, evolve(acc.at(-1), e)], []);
    for (let i = 1; i < states.length; i++) {
      const prev = states[i - 1]?.historikk ?? [];
      assert.deepEqual(states[i]?.historikk.slice(0, prev.length), prev);
    }
    const times = states.at(-1)?.historikk.map((h) => h.at) ?? [];
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });

  it('keeps the first read time when read twice (after print); settLest makes it LEST', () => {
    const downloaded = existing([...upTo.sendtPrint(), ev.lest(T0 + 3 * 86_400_000)]);
    assert.equal(downloaded.status, 'SENDT_PRINT', 'a download after print adds history only');
    const s = existing([...upTo.sendtPrint(), ev.lest(T0 + 3 * 86_400_000), ev.lestEksternt(T0 + 4 * 86_400_000)]);
    assert.equal(s.lestAt, T0 + 3 * 86_400_000);
    assert.equal(s.status, 'LEST');
  });

  it('sets sendtAt when the letter leaves: notification, print channel, SvarInn, ingen, rejection', () => {
    assert.equal(existing(upTo.varslet()).sendtAt, ev.varslet().at);
    assert.equal(existing([...upTo.akseptert(), ev.kanalValgt('print'), ev.sendtPrint(T0 + 7)]).sendtAt, T0 + 7);
    assert.equal(existing([...upTo.akseptert(), ev.kanalValgt('svarinn', T0 + 8)]).sendtAt, T0 + 8);
    assert.equal(existing([...upTo.akseptert(), ev.kanalValgt('ingen', T0 + 9)]).sendtAt, T0 + 9);
    assert.equal(existing([ev.mottatt(), ev.avvist(T0 + 10)]).sendtAt, T0 + 10);
    assert.equal(existing(upTo.akseptert()).sendtAt, undefined);
  });

  it('names the final and readable statuses', () => {
    assert.equal(isFinal(existing(upTo.printet())), true);
    assert.equal(isFinal(existing(upTo.varslet())), false);
    assert.equal(isReadable(existing(upTo.varslet())), true);
    assert.equal(isReadable(existing(upTo.sendtPrint())), false);
  });

  it('is plain JSON: the read-model record round-trips it', () => {
    const s = existing([...upTo.printet(), ev.dokumenterSlettet()]);
    const record = toRecord(s, 9);
    assert.deepEqual(fromRecord(JSON.parse(JSON.stringify(record)) as typeof record), s);
    assert.equal(record.seq, 9);
    assert.equal(record.status, 'PRINTET');
    assert.equal(record.mottakerId, FNR);
    assert.equal(record.mottakerNavn, 'Kari Nordmann');
    assert.equal(record.kanal, 'digital');
    assert.deepEqual(s.forsendelsesfil, FIL);
  });
});
