/**
 * A notification failure as the letter's history says it: the sender's system reads the
 * history (REST historikk, webhooks), so it is the channel's sender-safe text, never the
 * recipient's address from KRR that a server's refusal or our own check quotes (webhook
 * review of 7 December 2026), and nothing of an error that is not a notification's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureForHistory } from '../../../src/app/varsel.js';
import { mailOptions } from '../../../src/channels/notify/email-sender.js';
import { NotificationError } from '../../../src/channels/notify/index.js';

describe('failureForHistory', () => {
  it('gives the channel’s own text, which names no address', () => {
    const refused = new NotificationError(
      'E-postadressen ble avvist av e-posttjeneren: 550 5.1.1 <kari.nordmann@example.no>: User unknown',
      false,
      { historyText: 'E-postadressen ble avvist av e-posttjeneren (svar 550)' },
    );
    assert.equal(failureForHistory(refused), 'E-postadressen ble avvist av e-posttjeneren (svar 550)');
    for (const to of ['kari nordmann@example.no', 'Kari Nordmann <kari@example.no>', 'kari.nordmann.example.no']) {
      let thrown: unknown;
      try {
        mailOptions({ to, subject: 's', text: 't', html: 'h', messageId: '<m@x>' } as never, 'fra@example.no');
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof NotificationError, to);
      assert.equal(failureForHistory(thrown), 'Ugyldig e-postadresse for varsel: må være én adresse');
      assert.ok(!failureForHistory(thrown).includes('kari'), to);
    }
  });

  it('says nothing of an error that is not a notification’s', () => {
    assert.equal(
      failureForHistory(new Error('ECONNREFUSED 10.0.0.5:5432 kari@example.no')),
      'en uventet feil (driften finner den i loggen)',
    );
  });
});
