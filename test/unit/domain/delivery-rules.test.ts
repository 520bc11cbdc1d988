import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  mayResendNotification,
  needsNotification,
  needsPrint,
  whyNoResend,
} from '../../../src/domain/delivery-rules.js';
import { ev, existing, input, upTo } from './given.js';

describe('needsNotification', () => {
  it('given a letter routed digitally and not notified, then it needs its notification', () => {
    assert.equal(needsNotification(existing(upTo.digital())), true);
  });

  it('given a notification started but not finished (a run cut off), then it still needs it', () => {
    assert.equal(needsNotification(existing(upTo.varslingStartet())), true);
  });

  it('given a notified letter, then it needs none', () => {
    assert.equal(needsNotification(existing(upTo.varslet())), false);
  });

  it('given a letter routed to print, then it needs none', () => {
    assert.equal(needsNotification(existing([ev.mottatt(), ev.akseptert(), ev.kanalValgt('print')])), false);
  });

  it('given a letter not yet routed, then it needs none', () => {
    assert.equal(needsNotification(existing(upTo.akseptert())), false);
  });

  it('given a digital letter read or closed by hand before it was notified, then it needs none', () => {
    assert.equal(needsNotification(existing([...upTo.digital(), ev.lest()])), false);
    assert.equal(needsNotification(existing([...upTo.varslingStartet(), ev.manueltHandtert()])), false);
  });
});

describe('needsPrint', () => {
  it('given a letter routed to print (reserved recipient), then it needs print', () => {
    assert.equal(needsPrint(existing([ev.mottatt(), ev.akseptert(), ev.kanalValgt('print')])), true);
  });

  it('given a notified letter whose deadline passed unread, then it needs print', () => {
    assert.equal(needsPrint(existing(upTo.fristUtlopt())), true);
  });

  it('given a notified letter before its deadline, then it needs none', () => {
    assert.equal(needsPrint(existing(upTo.varslet())), false);
  });

  it('given a letter already sent to print, then it needs none', () => {
    assert.equal(needsPrint(existing(upTo.sendtPrint())), false);
  });

  it('given a letter due for print but closed by hand, then it needs none', () => {
    assert.equal(needsPrint(existing([...upTo.fristUtlopt(), ev.manueltHandtert()])), false);
  });

  it('given a digital-only letter, then routing digitally never makes it need print', () => {
    const kunDigital = existing([
      ev.mottatt({ input: input({ kunDigitalLevering: true }) }),
      ev.akseptert(),
      ev.kanalValgt('digital'),
    ]);
    assert.equal(needsPrint(kunDigital), false);
  });
});

describe('mayResendNotification', () => {
  it('given a letter notified digitally, then its notification may be sent again', () => {
    assert.equal(mayResendNotification(existing(upTo.varslet())), true);
  });

  it('given a notified letter that was read or went to print since, then it may still be sent again', () => {
    assert.equal(mayResendNotification(existing([...upTo.varslet(), ev.lest()])), true);
    assert.equal(mayResendNotification(existing(upTo.sendtPrint())), true);
  });

  it('given a digital letter whose notification has not finished, then there is nothing to send again', () => {
    assert.equal(mayResendNotification(existing(upTo.digital())), false);
    assert.equal(mayResendNotification(existing(upTo.varslingStartet())), false);
  });

  it('given a notified letter closed by hand or whose files were deleted, then there is nothing to send again', () => {
    assert.equal(
      whyNoResend(existing([...upTo.varslet(), ev.manueltHandtert()])),
      'Forsendelsen er manuelt håndtert, så det er ikke noe varsel å sende på nytt',
    );
    assert.equal(mayResendNotification(existing([...upTo.varslet(), ev.dokumenterSlettet()])), false);
  });

  it('given a letter routed to print, then there is nothing to send again', () => {
    assert.equal(mayResendNotification(existing([ev.mottatt(), ev.akseptert(), ev.kanalValgt('print')])), false);
  });
});
