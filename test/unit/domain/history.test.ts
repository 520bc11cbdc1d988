import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ForsendelseEvent } from '../../../src/domain/events.js';
import { historyLinesOf } from '../../../src/domain/history.js';
import { AVSENDER, FNR, T0, ev, existing, kvittering, stored, upTo } from './given.js';

/** The texts `event` adds after `before`. */
function texts(event: ForsendelseEvent, before = upTo.varslet()): string[] {
  return historyLinesOf(event, existing(before)).map((h) => h.hendelse);
}

describe("history: the real service's wording (docs/interfaces.md §4)", () => {
  it('Mottatt writes three lines, "Orginaldokumenter" sic, with 1 dokument / n dokumenter', () => {
    const one = historyLinesOf(ev.mottatt(), undefined).map((h) => h.hendelse);
    assert.deepEqual(one, [
      'Mottatt, og tildelt forsendelse-id',
      'Metadata er validert OK',
      'Orginaldokumenter er lagret (1 dokument)',
    ]);
    const two = historyLinesOf(ev.mottatt({ dokumenter: [stored('a.pdf', 1), stored('b.pdf', 2)] }), undefined);
    assert.equal(two[2]?.hendelse, 'Orginaldokumenter er lagret (2 dokumenter)');
    const many = historyLinesOf(
      ev.mottatt({ dokumenter: [1, 2, 3, 4, 5].map((n) => stored(`d${n}.pdf`, n)) }),
      undefined,
    );
    assert.equal(many[2]?.hendelse, 'Orginaldokumenter er lagret (5 dokumenter)');
  });

  it('every line carries the event time', () => {
    for (const e of [ev.mottatt({ at: T0 + 5 }), ev.akseptert(T0 + 6), ev.lesefristUtlopt(T0 + 7)]) {
      for (const line of historyLinesOf(e, e.type === 'Mottatt' ? undefined : existing(upTo.varslet())))
        assert.equal(line.at, e.at);
    }
  });

  it('Akseptert writes "Forsendelsesfil generert" then "Akseptert for ekspedering"', () => {
    assert.deepEqual(texts(ev.akseptert(), upTo.mottatt()), ['Forsendelsesfil generert', 'Akseptert for ekspedering']);
  });

  it('Avvist names the reason; KanalValgt writes its reason as is', () => {
    assert.deepEqual(texts(ev.avvist(), upTo.mottatt()), ['Avvist: Forsendelsesfil kunne ikke dannes']);
    assert.deepEqual(texts(ev.kanalValgt('print'), upTo.akseptert()), ['Kanal valgt: print']);
  });

  it('Varslet names the channels and the deadline in Oslo time', () => {
    // 13 Jan 2027 09:00 UTC = 10:00 Oslo (winter).
    const frist = Date.UTC(2027, 0, 13, 9, 0, 0);
    assert.deepEqual(texts(ev.varslet({ fristAt: frist }), upTo.varslingStartet()), [
      'Varsling sendt til mottaker på e-post. Lesefristen utløper 13.01.2027 10:00:00',
    ]);
    assert.deepEqual(texts(ev.varslet({ fristAt: frist, kanaler: ['epost', 'sms'] }), upTo.varslingStartet()), [
      'Varsling sendt til mottaker på e-post og SMS. Lesefristen utløper 13.01.2027 10:00:00',
    ]);
    assert.deepEqual(texts(ev.varslet({ fristAt: undefined, kanaler: ['sms'] }), upTo.varslingStartet()), [
      'Varsling sendt til mottaker på SMS',
    ]);
  });

  it('notified on no channel: "no address" only where there was none, else that it did not reach them (review)', () => {
    const none = ev.varslet({ fristAt: undefined, kanaler: [] });
    assert.deepEqual(texts(none, upTo.varslingStartet()), [
      'Varslingen nådde ikke mottakeren; forsendelsen venter i digital innboks',
    ]);
    const withoutAddress: ForsendelseEvent[] = [
      ev.mottatt(),
      ev.akseptert(),
      { type: 'KanalValgt', at: T0, kanal: 'digital', grunn: 'Ingen adresse' },
      ev.varslingStartet(),
    ];
    assert.deepEqual(texts(none, withoutAddress), ['Ingen varslingsadresse; forsendelsen venter i digital innboks']);
  });

  it('an uncertain notification says so and that it is not repeated', () => {
    const e: ForsendelseEvent = { type: 'Varslet', at: T0, kanaler: [], usikker: true };
    assert.deepEqual(texts(e, upTo.varslingStartet()), [
      'Varsling ble avbrutt underveis mens e-posten ble overført og er trolig sendt; den sendes ikke på nytt for å unngå dobbel varsling',
    ]);
  });

  it('an uncertain reminder says so and that it is not repeated; its e-mail markers write nothing', () => {
    assert.deepEqual(texts({ type: 'Paminnet', at: T0, usikker: true }), [
      'Påminnelse ble avbrutt underveis mens e-posten ble overført og er trolig sendt; den sendes ikke på nytt for å unngå dobbel påminnelse',
    ]);
    assert.deepEqual(texts({ type: 'PaminnelseEpostOverfores', at: T0 }), []);
    assert.deepEqual(texts({ type: 'PaminnelseEpostAvvist', at: T0 }), []);
  });

  it('VarslingStartet writes nothing; reminder, deadline, print have fixed texts', () => {
    assert.deepEqual(texts(ev.varslingStartet(), upTo.digital()), []);
    assert.deepEqual(texts(ev.paminnet()), ['Påminnelse sendt til mottaker']);
    assert.deepEqual(texts({ type: 'VarselSendtPaNytt', at: T0, av: 'kari', kanaler: ['epost'] }), [
      'Varsel sendt på nytt til mottaker på e-post av kari',
    ]);
    assert.deepEqual(texts(ev.lesefristUtlopt()), ['Lesefrist utløpt.']);
    assert.deepEqual(texts(ev.sendtPrint(undefined, 'manual'), upTo.fristUtlopt()), ['Sendt til manuell print']);
    assert.deepEqual(texts(ev.sendtPrint(undefined, 'filedrop'), upTo.fristUtlopt()), ['Sendt til print']);
  });

  it('Lest and LestEksternt write the time in dd.MM.yyyy HH:mm:ss (summer time too)', () => {
    const summer = Date.UTC(2017, 9, 18, 11, 43, 31, 999); // 13:43:31 Oslo, CEST
    assert.deepEqual(texts({ type: 'Lest', at: summer }), [
      'Lest av mottaker 18.10.2017 13:43:31 (hele forsendelsen lastet ned)',
    ]);
    assert.deepEqual(texts({ type: 'LestEksternt', at: T0, datoLest: summer, fnr: FNR, systemnavn: 'Arkiv X' }), [
      `Lest eksternt 18.10.2017 13:43:31 av ${FNR} hos avsender ${AVSENDER} i systemet 'Arkiv X'`,
    ]);
  });

  it('Printet counts pages and envelopes, and names who confirmed a manual print', () => {
    const one: ForsendelseEvent = { type: 'Printet', at: T0, kvittering: kvittering({ sider: 3, konvolutter: 1 }) };
    assert.deepEqual(texts(one, upTo.sendtPrint()), ['Printet: 3 sider, 1 konvolutt']);
    const two: ForsendelseEvent = {
      type: 'Printet',
      at: T0,
      kvittering: kvittering({ sider: 12, konvolutter: 2 }),
      av: 'kari',
    };
    assert.deepEqual(texts(two, upTo.sendtPrint()), ['Printet: 12 sider, 2 konvolutter (bekreftet av kari)']);
  });

  it('manual handling and deletion name who and why', () => {
    assert.deepEqual(texts(ev.manueltHandtert()), ['Manuelt håndtert av ola: Levert for hånd']);
    assert.deepEqual(texts(ev.dokumenterSlettet()), ['Dokumenter slettet etter utløpt oppbevaringstid']);
    assert.deepEqual(texts({ type: 'DokumenterSlettet', at: T0, grunn: 'avsender' }), [
      'Dokumenter slettet på forespørsel fra avsender',
    ]);
  });
});
