/**
 * The admin web's manual send form speaks of its own fields: a domain problem names the
 * form's label instead of the model path, and a refusal of a file that is no PDF points at
 * the form's «Kun digital levering», not at `ekskluderesFraPrint`, which the form does not
 * have (found in a review).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateForsendelse } from '../../../src/domain/validation/validate-forsendelse.js';
import { inSendFormTerms } from '../../../src/http/admin/send-form.js';
import { unprintableAddressProblems } from '../../../src/pdf/address-fit.js';
import { NOW, dokument, validInput } from '../domain-validation/valid-input.js';

describe('the manual send form’s words for domain problems', () => {
  it('a file that is no PDF, on a letter that may go on paper: «Kun digital levering», in the form’s words', () => {
    const input = validInput({ dokumenter: [dokument({ filnavn: 'notat.txt', mimetype: 'text/plain' })] });
    const problems = validateForsendelse(input, { now: NOW }).map(inSendFormTerms);
    const mimetype = problems.find((p) => p.field === 'dokumenter[0].mimetype');
    assert.ok(mimetype, JSON.stringify(problems));
    assert.match(mimetype.message, /^Ugyldig mimetype: dokument 1 må være application\/pdf/);
    assert.match(mimetype.message, /kryss av for «Kun digital levering» for andre filtyper$/);
    assert.doesNotMatch(mimetype.message, /ekskluderesFraPrint/);
  });
});

describe('the manual send form’s words for the printability refusals', () => {
  it('a line break in the name names the form’s label', async () => {
    const problems = await unprintableAddressProblems(
      { navn: 'Kari\nNordmann', postnr: '0155', poststed: 'Oslo' },
      'mottaker.postAdresse',
    );
    const [named] = problems.map(inSendFormTerms);
    assert.match(named?.message ?? '', /^Ugyldig adresse: «[^»]+» inneholder et linjeskift/);
    assert.doesNotMatch(named?.message ?? '', /mottaker\.postAdresse/);
  });
});
