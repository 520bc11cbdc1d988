/**
 * The admin web's cover page and notification texts follow the rule every door applies to a
 * letter's texts: no control character, no bidirectional override, no lone surrogate; and a
 * one-line field (the name, an address line, the e-mail subject) no line break. The cover
 * name with a CR LF, a NUL and a U+202E was stored and shown in every notice and inbox page
 * (found in review).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldProblem } from '../../../src/domain/errors.js';
import { forsideFromForm, varslingFromForm } from '../../../src/http/admin/config-forms.js';
import { formFromUrlEncoded } from '../../../src/http/url-encoded-form.js';

function forsideProblems(values: Record<string, string>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const form = new URLSearchParams({ forsideNavn: 'Kommune A', ...values });
  forsideFromForm((name) => form.get(name) ?? undefined, problems);
  return problems;
}

function varslingProblems(values: Record<string, string>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const body = new URLSearchParams({ epostEmne: 'Brev', epostTekst: 'Les {lenke}', smsTekst: 'Se {lenke}', ...values });
  varslingFromForm(formFromUrlEncoded(body.toString()), problems);
  return problems;
}

describe('texts of the admin web’s sender forms', () => {
  it('takes ordinary text, a multi-line cover text and a Sámi name', () => {
    assert.deepEqual(
      forsideProblems({ forsideNavn: 'Guovdageaidnu suohkan', tekst: 'Linje 1\r\nLinje 2\tmed tab' }),
      [],
    );
    assert.deepEqual(varslingProblems({ epostTekst: 'Hei,\r\n\r\nles brevet: {lenke}' }), []);
  });

  it('refuses a line break in a one-line field, naming it', () => {
    assert.deepEqual(forsideProblems({ forsideNavn: 'Kommune A\r\nBcc: evil@example.com' }), [
      {
        field: 'forsideNavn',
        message: 'Ugyldig tekst: «Navn på forsiden» må være én linje, uten linjeskift eller tabulator',
      },
    ]);
    assert.equal(forsideProblems({ adresselinje1: 'Gata 1\nX' })[0]?.field, 'adresselinje1');
    assert.equal(varslingProblems({ epostEmne: 'Brev\r\nX-Evil: 1' })[0]?.field, 'epostEmne');
  });

  it('refuses a control character or a right-to-left override anywhere, naming the field', () => {
    assert.deepEqual(forsideProblems({ forsideNavn: 'Kommune A\u0000' }), [
      {
        field: 'forsideNavn',
        message: 'Ugyldig tekst: «Navn på forsiden» inneholder kontrolltegnet U+0000, som ikke kan stå i et brev',
      },
    ]);
    assert.match(forsideProblems({ forsideNavn: 'Kommune \u202Eabc' })[0]?.message ?? '', /retningstegnet U\+202E/);
    assert.equal(forsideProblems({ tekst: 'Hei \u0007' })[0]?.field, 'tekst');
    assert.equal(varslingProblems({ smsTekst: 'Se {lenke} \u001B' })[0]?.field, 'smsTekst');
    assert.equal(varslingProblems({ epostTekst: 'Les {lenke} \u202D' })[0]?.field, 'epostTekst');
  });
});
