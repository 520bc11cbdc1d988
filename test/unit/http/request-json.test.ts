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

  it('refuses a key an object names twice, naming it with its path, also when spelled with escapes', () => {
    const twice = 'forekommer mer enn én gang i samme objekt';
    assert.equal(reason('{"tittel":"A","tittel":"B"}'), `feltet «tittel» ${twice}`);
    assert.equal(reason('{"tittel":"A","titt\\u0065l":"B"}'), `feltet «tittel» ${twice}`);
    assert.equal(
      reason('{"mottaker":{"postAdresse":{"navn":"a","postNummer":"0155","navn":"b"}}}'),
      `feltet «mottaker.postAdresse.navn» ${twice}`,
    );
    assert.equal(
      reason('{"dokumenter":[{"filnavn":"a.pdf"},{"filnavn":"b.pdf","mimeType":"x","filnavn":"c.pdf"}]}'),
      `feltet «dokumenter[1].filnavn» ${twice}`,
    );
    assert.equal(reason(`{"${'k'.repeat(500)}":1,"${'k'.repeat(500)}":2}`), `feltet «${'k'.repeat(120)}…» ${twice}`);
  });

  it('takes the same key in different objects, and keys, braces and commas inside strings', () => {
    const taken = [
      '[{"a":1},{"a":2}]',
      '{"a":{"b":1},"b":2,"c":[{"b":3},{"a":4}]}',
      '{"a":"\\"a\\":1,{\\"a\\":[","b":"\\\\","c":"}]"}',
      '{"a":[1,2,{"a":3}],"d":{}}',
      '\ufeff{"a":1}',
      '"a"',
    ];
    for (const text of taken) assert.doesNotThrow(() => parseRequestJson(text), text);
    assert.deepEqual(parseRequestJson('{"a":"\\"a\\":1,","b":2}'), { a: '"a":1,', b: 2 });
  });
});
