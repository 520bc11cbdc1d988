/** isSingleMailbox: one plain e-mail address, nothing that nodemailer would read as a list or a display name. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSingleMailbox } from '../../../src/domain/validation/index.js';

describe('isSingleMailbox', () => {
  it('takes one plain address, also with + and non-ASCII', () => {
    for (const s of ['kari@example.no', 'kari.nordmann+post@sub.example.no', 'ærlig@æøå.no']) {
      assert.equal(isSingleMailbox(s), true, s);
    }
  });

  it('refuses lists, display names, line breaks, quoting, and what has no domain', () => {
    for (const s of [
      'kari@example.no, evil@attacker.example',
      'kari@example.no,evil@attacker.example',
      'kari@example.no;evil@attacker.example',
      'Kari <kari@example.no>',
      'kari@example.no\r\nBcc: evil@attacker.example',
      '"kari"@example.no',
      'kari @example.no',
      'kari@example',
      '@example.no',
      'kari@@example.no',
      `${'k'.repeat(250)}@example.no`,
    ]) {
      assert.equal(isSingleMailbox(s), false, s);
    }
  });
});
