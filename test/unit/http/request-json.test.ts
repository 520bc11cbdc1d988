/** A request's JSON: parsed, nesting bounded without recursion, syntax errors said in Norwegian. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_JSON_DEPTH, parseRequestJson, RequestJsonError } from '../../../src/http/request-json.js';

function reason(text: string): string {
  try {
    parseRequestJson(text);
  } catch (error) {
    assert.ok(error instanceof RequestJsonError);
    return error.message;
  }
  assert.fail('taken');
}

describe('parseRequestJson', () => {
  it('takes nesting up to the limit, and refuses one level more, also 100 000 deep', () => {
    const nested = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    assert.ok(Array.isArray(parseRequestJson(nested(MAX_JSON_DEPTH))));
    assert.equal(reason(nested(MAX_JSON_DEPTH + 1)), `verdiene er nøstet dypere enn ${MAX_JSON_DEPTH} nivåer`);
    assert.equal(reason(nested(100_000)), `verdiene er nøstet dypere enn ${MAX_JSON_DEPTH} nivåer`);
    assert.equal(
      reason(`{"a":${'{"b":'.repeat(40)}1${'}'.repeat(40)}}`),
      `verdiene er nøstet dypere enn ${MAX_JSON_DEPTH} nivåer`,
    );
  });

  it('says where a syntax error is, in Norwegian', () => {
    assert.equal(reason('{"tittel": }'), 'ikke gyldig JSON (uventet «}»)');
    assert.equal(reason('{"a" 1}'), 'ikke gyldig JSON (feil ved tegn 6)');
    assert.equal(reason('{"tittel": "x"'), 'ikke gyldig JSON (feil ved tegn 15)');
    assert.equal(reason('{"tittel":'), 'teksten slutter før JSON-verdien er ferdig');
    assert.equal(reason('  '), 'tomt innhold');
  });
});
