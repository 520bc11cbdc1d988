/** Basic credentials as clients send them (src/http/basic-auth.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBasicAuth } from '../../../src/http/basic-auth.js';

const header = (bytes: Buffer): string => `Basic ${bytes.toString('base64')}`;

describe('parseBasicAuth', () => {
  it('reads UTF-8 credentials, and ISO-8859-1 ones from older clients as the same text', () => {
    const expected = { user: 'Ørland kommune', password: 'hemmelig-æøå' };
    const text = `${expected.user}:${expected.password}`;
    assert.deepEqual(parseBasicAuth(header(Buffer.from(text, 'utf8'))), expected);
    assert.deepEqual(parseBasicAuth(header(Buffer.from(text, 'latin1'))), expected);
  });

  it('keeps every byte: a trailing 0xFF or NUL makes another password, never the same one', () => {
    const base = Buffer.from('Kommune:pw');
    assert.deepEqual(parseBasicAuth(header(Buffer.concat([base, Buffer.from([0xff])]))), {
      user: 'Kommune',
      password: 'pwÿ',
    });
    assert.deepEqual(parseBasicAuth(header(Buffer.concat([base, Buffer.from([0x00])]))), {
      user: 'Kommune',
      password: 'pw\0',
    });
  });

  it('is undefined without a colon, or for another scheme', () => {
    assert.equal(parseBasicAuth(header(Buffer.from('bare-navn'))), undefined);
    assert.equal(parseBasicAuth('Bearer abc'), undefined);
    assert.equal(parseBasicAuth(undefined), undefined);
  });
});
