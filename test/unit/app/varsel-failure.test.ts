/**
 * A notification failure as the letter's history says it: the sender's system reads the
 * history (REST historikk, webhooks), so the recipient's address from KRR stays out of it
 * (webhook review of 7 December 2026), while the reason and the server's codes stay in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureForHistory } from '../../../src/app/varsel.js';

describe('failureForHistory', () => {
  it('leaves out e-mail addresses and phone numbers, keeps the reason and the codes', () => {
    const smtp = new Error(
      "E-postadressen ble avvist av e-posttjeneren: Can't send mail - all recipients were rejected: 550 5.1.1 <kari.nordmann@example.no>: Recipient address rejected",
    );
    assert.equal(
      failureForHistory(smtp),
      "E-postadressen ble avvist av e-posttjeneren: Can't send mail - all recipients were rejected: 550 5.1.1 <(adressen)>: Recipient address rejected",
    );
    assert.equal(
      failureForHistory(new Error('SMS kunne ikke sendes til +47 912 34 567: SMS-tjenesten svarte 503')),
      'SMS kunne ikke sendes til (nummeret): SMS-tjenesten svarte 503',
    );
    assert.equal(failureForHistory('E-post kunne ikke sendes: tidsavbrudd'), 'E-post kunne ikke sendes: tidsavbrudd');
  });
});
