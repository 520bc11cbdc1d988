/**
 * Who may confirm print (issue 13, item 7): the channel the letter was sent to, and only a
 * letter sent to print; the decider refuses a receipt from the other channel even when a
 * caller skipped the application layer's check. Also the statistics facts of a letter.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide } from '../../../src/domain/decide.js';
import type { ForsendelseEvent } from '../../../src/domain/events.js';
import { ConflictError } from '../../../src/domain/errors.js';
import { printReceiptRefusal } from '../../../src/domain/print-receipt.js';
import { statistikkFakta } from '../../../src/domain/statistics-facts.js';
import { DAY, T0, VARSLET_AT, ev, existing, kvittering, upTo } from './given.js';

const manualSent = () => [...upTo.fristUtlopt(), ev.sendtPrint(undefined, 'manual')];
const receipt = (leverandor: 'filedrop' | 'manual') =>
  ({ type: 'RegistrerPrintkvittering', at: T0 + 6 * DAY, kvittering: kvittering(), leverandor }) as const;

describe('print receipts: who may confirm', () => {
  it('lets the channel the letter was sent to confirm it, and repeat that', () => {
    assert.equal(printReceiptRefusal(existing(upTo.sendtPrint()), 'filedrop'), undefined);
    assert.equal(printReceiptRefusal(existing(upTo.printet()), 'filedrop'), undefined, 'a repeat is no refusal');
    assert.equal(printReceiptRefusal(existing(manualSent()), 'manual'), undefined);
  });

  it('refuses the provider for a letter in the manual queue, and the manual queue for a provider letter', () => {
    assert.match(printReceiptRefusal(existing(manualSent()), 'filedrop') ?? '', /venter på manuell print/);
    assert.match(printReceiptRefusal(existing(upTo.sendtPrint()), 'manual') ?? '', /annen printkanal/);
    assert.match(printReceiptRefusal(existing(upTo.printet()), 'manual') ?? '', /annen printkanal/);
  });

  it('refuses letters not sent to print, and unknown ones', () => {
    assert.match(
      printReceiptRefusal(existing(upTo.varslet()), 'filedrop') ?? '',
      /har status VARSLET og er ikke sendt til print/,
    );
    assert.equal(printReceiptRefusal(undefined, 'filedrop'), 'forsendelsen finnes ikke');
  });

  it('the decider refuses a receipt from the other channel with a ConflictError', () => {
    assert.throws(
      () => decide(existing(manualSent()), receipt('filedrop')),
      (e: unknown) => e instanceof ConflictError && /manuell print/.test(e.message),
    );
    assert.throws(() => decide(existing(upTo.printet()), receipt('manual')), ConflictError);
    assert.equal(decide(existing(manualSent()), receipt('manual'))[0]?.type, 'Printet');
  });
});

describe('statistics facts of a letter', () => {
  it('counts a read digital letter with its read time, a printed one with its receipt', () => {
    assert.deepEqual(statistikkFakta(existing([...upTo.varslet(), ev.lest(VARSLET_AT + 2 * 3600_000)])), {
      levering: 'digitalt',
      varslet: true,
      lest: true,
      lesetidMs: 2 * 3600_000,
      manuellPrint: false,
    });
    assert.deepEqual(statistikkFakta(existing(upTo.printet())), {
      levering: 'papir',
      varslet: true,
      lest: false,
      manuellPrint: false,
      kvittering: { sider: 3, ark: 2, konvolutter: 1, portoOre: 2400, produksjonOre: 350 },
    });
    assert.equal(statistikkFakta(existing(manualSent())).manuellPrint, true);
  });

  it('counts a SvarInn letter that ended undelivered (files deleted before its system fetched it) as not delivered', () => {
    const svarinn = [ev.mottatt(), ev.akseptert(), ev.kanalValgt('svarinn')];
    assert.equal(statistikkFakta(existing(svarinn)).levering, 'digitalt');
    const avbrutt: ForsendelseEvent[] = [
      ...svarinn,
      ev.dokumenterSlettet(),
      { type: 'MottakAvbrutt', at: T0 + 100 * DAY, mottakersystem: 'system-1' },
    ];
    assert.equal(statistikkFakta(existing(avbrutt)).levering, 'annet');
  });
});
