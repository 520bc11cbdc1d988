/** The print copy draws a form's buttons as their widgets show them, as viewers do. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeForsendelsesfil } from '../../../src/pdf/compose.js';
import { radioShownOtherwise } from '../../fixtures/form-pdfs.js';
import { makeLetterPdf } from '../../fixtures/index.js';

describe('flattening a form for the print copy', () => {
  it('draws the radio choice the widgets show (/AS), not another the field’s /V names (found in review)', async () => {
    const bytes = await radioShownOtherwise();
    const forside = await makeLetterPdf({ seed: 4, pages: 1 });
    const { bytes: out } = await composeForsendelsesfil({
      forside,
      documents: [{ bytes, ekskluderesFraPrint: false }],
      variant: 'print',
    });
    const text = Buffer.from(out).toString('latin1');
    assert.ok(text.includes('%PA-Innvilget'), 'the chosen option drawn as chosen');
    assert.ok(text.includes('%AV-Avslag'), 'the other drawn as not chosen');
    assert.ok(!text.includes('%PA-Avslag'), 'not the choice only /V names');
  });
});
