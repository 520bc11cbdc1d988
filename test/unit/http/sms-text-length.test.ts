/**
 * The admin form counts an SMS text as it is sent: with the link and the sender's name and
 * title in it. The template alone was counted, and 478 characters of it made an SMS of 645
 * (found in review).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LINK_ESTIMATE, longestSms, MAX_SMS_VALUE } from '../../../src/channels/notify/render-varsel.js';
import type { FieldProblem } from '../../../src/domain/errors.js';
import { varslingFromForm } from '../../../src/http/admin/config-forms.js';
import { formFromUrlEncoded } from '../../../src/http/url-encoded-form.js';

function problemsFor(smsTekst: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const body = new URLSearchParams({ epostEmne: 'Brev', epostTekst: 'Les {lenke}', smsTekst }).toString();
  varslingFromForm(formFromUrlEncoded(body), problems);
  return problems;
}

describe('the SMS text in the admin form', () => {
  it('is counted with the link, the sender’s name and the title', () => {
    assert.equal(longestSms('Brev: {lenke}'), 6 + LINK_ESTIMATE);
    assert.equal(longestSms('{avsender}: {tittel} {lenke}'), 2 * MAX_SMS_VALUE + 3 + LINK_ESTIMATE);
    assert.deepEqual(problemsFor('Du har fått brev fra {avsender}. Les det her: {lenke}'), []);
    const long = `${'x'.repeat(470)} {lenke}`;
    assert.equal(long.length, 478, 'within the old count of the template alone');
    const problems = problemsFor(long);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.field, 'smsTekst');
    assert.match(problems[0]?.message ?? '', /blir den 671 tegn, høyst 480 \(3 SMS\)/);
  });
});
