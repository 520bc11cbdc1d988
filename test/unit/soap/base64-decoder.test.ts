/** Incremental base64: any slicing, line breaks, padding rules, the size limit. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Base64Decoder } from '../../../src/http/soap/base64-decoder.js';
import { BadRequestError, PayloadTooLargeError } from '../../../src/domain/errors.js';

function decodeSliced(text: string, sizes: readonly number[], max = Number.MAX_SAFE_INTEGER): Buffer {
  const d = new Base64Decoder('dokumenter[0].data', max);
  const out: Uint8Array[] = [];
  let pos = 0;
  let i = 0;
  while (pos < text.length) {
    const n = sizes[i++ % sizes.length] ?? 1;
    out.push(d.write(text.slice(pos, pos + n)));
    pos += n;
  }
  out.push(d.end());
  return Buffer.concat(out);
}

describe('Base64Decoder', () => {
  it('decodes the same bytes however the text is sliced, for every padding length', () => {
    for (const len of [0, 1, 2, 3, 4, 5, 1000, 4099]) {
      const bytes = randomBytes(len);
      const b64 = bytes.toString('base64');
      for (const sizes of [[1], [2], [3], [5], [7, 1, 13], [4096]]) {
        assert.deepEqual(decodeSliced(b64, sizes), bytes, `len ${len} sizes ${sizes.join(',')}`);
      }
    }
  });

  it('skips CRLF, LF, tabs and blanks anywhere, also inside the padding', () => {
    const bytes = randomBytes(301);
    const b64 = bytes.toString('base64');
    const lined = b64.replace(/(.{76})/g, '$1\r\n').replace(/=/g, ' \t=\n');
    assert.deepEqual(decodeSliced(lined, [1, 9]), bytes);
  });

  it('accepts a final quantum without its padding', () => {
    assert.equal(decodeSliced('QUJDRA', [3]).toString(), 'ABCD');
    assert.equal(decodeSliced('QUJDRA=', [7]).toString(), 'ABCD');
  });

  it('names a foreign character and the field', () => {
    assert.throws(
      () => decodeSliced('QUJD-RA==', [4]),
      (e: unknown) =>
        e instanceof BadRequestError &&
        e.message === 'Ugyldig base64 i dokumenter[0].data: tegnet «-» hører ikke til base64',
    );
  });

  it('refuses data after the padding and a text that ends mid-character', () => {
    assert.throws(() => decodeSliced('QQ==QUJD', [8]), /tegn etter avsluttende '='/);
    assert.throws(() => decodeSliced('QQ==QQ==', [4, 4]), BadRequestError, 'a second quantum after padding');
    assert.equal(decodeSliced('QQ==', [3, 1]).toString(), 'A', 'padding split across slices');
    assert.throws(() => decodeSliced('QUJDR', [5]), /slutter midt i et tegn/);
    assert.throws(() => decodeSliced('Q===', [4]), /tegn etter avsluttende '='/);
  });

  it('stops with PayloadTooLargeError once the decoded size passes the limit', () => {
    const b64 = randomBytes(3000).toString('base64');
    assert.throws(
      () => decodeSliced(b64, [400], 2048),
      (e: unknown) => e instanceof PayloadTooLargeError && /større enn 2 KB som innebygd base64/.test(e.message),
    );
    assert.equal(decodeSliced(b64, [400], 3000).length, 3000);
  });
});
