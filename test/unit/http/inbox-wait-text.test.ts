/**
 * How long the inbox's lock page asks the recipient to wait: whole minutes with the right
 * singular or plural, and hours from one hour, since a lock doubles up to a day (a review
 * found "Vent 1440 minutt(er)").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INBOX_PAGE_TEXTS } from '../../../src/http/inbox/inbox-page-texts.js';

const MINUTE = 60_000;

describe('the lock page’s wait', () => {
  it('says minutes, singular and plural, rounded up', () => {
    assert.equal(INBOX_PAGE_TEXTS.nb.vent(1000), 'Vent 1 minutt før du prøver igjen.');
    assert.equal(INBOX_PAGE_TEXTS.nb.vent(MINUTE + 1), 'Vent 2 minutter før du prøver igjen.');
    assert.equal(INBOX_PAGE_TEXTS.nn.vent(30 * MINUTE), 'Vent 30 minutt før du prøver igjen.');
    assert.equal(INBOX_PAGE_TEXTS.en.vent(MINUTE), 'Wait 1 minute before you try again.');
    assert.equal(INBOX_PAGE_TEXTS.en.vent(59 * MINUTE), 'Wait 59 minutes before you try again.');
  });

  it('says hours from one hour, up to a day', () => {
    assert.equal(INBOX_PAGE_TEXTS.nb.vent(60 * MINUTE), 'Vent 1 time før du prøver igjen.');
    assert.equal(INBOX_PAGE_TEXTS.nb.vent(1440 * MINUTE), 'Vent 24 timer før du prøver igjen.');
    assert.equal(INBOX_PAGE_TEXTS.nn.vent(61 * MINUTE), 'Vent 2 timar før du prøver igjen.');
    assert.equal(INBOX_PAGE_TEXTS.en.vent(1440 * MINUTE), 'Wait 24 hours before you try again.');
  });
});
