/** A document's index in a download path is decimal digits only, on every door. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentIndex } from '../../../src/http/document-index.js';

describe('documentIndex', () => {
  it('takes decimal digits and nothing that Number() would also read', () => {
    assert.equal(documentIndex('0'), 0);
    assert.equal(documentIndex('12'), 12);
    for (const odd of ['', ' 1', '1e0', '0x1', '-1', '1.0', '+1', '00', '01', '١', '12345'])
      assert.equal(documentIndex(odd), undefined, odd);
  });
});
