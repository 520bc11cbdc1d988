import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { buffer as collect } from 'node:stream/consumers';
import { encryptToCertificate } from '../../../src/crypto/cms-envelope.js';
import { indexEnvelope, readPlaintextRange } from '../../../src/crypto/envelope-index.js';
import { makeOpensslIdentity, opensslBuffer, type OpensslIdentity } from '../../support/openssl.js';

describe('random access into an encrypted message (envelope-index)', () => {
  let ours: OpensslIdentity;
  const plaintext = randomBytes(300_001);
  before(() => {
    ours = makeOpensslIdentity('/CN=index');
  });
  after(() => ours.cleanup());

  const cases: [string, () => Promise<Buffer>][] = [
    ['OpenSSL DER, AES-256', () => opensslEncrypt(['-aes256'])],
    ['OpenSSL BER segments (-stream), triple DES', () => opensslEncrypt(['-des3', '-stream'])],
    [
      'ours, small segments',
      () => {
        const chunks = Array.from({ length: 300 }, (_, i) =>
          plaintext.subarray(i * 1000, (i + 1) * 1000 + (i === 299 ? 1 : 0)),
        );
        return collect(encryptToCertificate(ours.certificatePem, Readable.from(chunks, { objectMode: false })));
      },
    ],
  ];
  const opensslEncrypt = (extra: string[]): Promise<Buffer> =>
    opensslBuffer(['cms', '-encrypt', '-binary', '-outform', 'DER', '-recip', ours.certPath, ...extra], plaintext);

  for (const [name, make] of cases) {
    it(`reads any range of the plaintext from ranges of the message: ${name}`, async () => {
      const message = await make();
      let seen = 0;
      const index = await indexEnvelope([ours], Readable.from([message]), (p) => (seen += p.length));
      assert.equal(index.plaintextSize, plaintext.length);
      assert.equal(seen, plaintext.length);
      const opened: [number, number][] = [];
      const open = async (start: number, end: number): Promise<Readable> => {
        opened.push([start, end]);
        return Readable.from([message.subarray(start, end + 1)]);
      };
      const ranges: [number, number][] = [
        [0, 0],
        [0, 15],
        [0, 16],
        [15, 17],
        [plaintext.length - 1, plaintext.length - 1],
        [plaintext.length - 20, plaintext.length - 1],
        [0, plaintext.length - 1],
      ];
      for (let i = 0; i < 40; i += 1) {
        const start = randomInt(plaintext.length);
        ranges.push([start, Math.min(plaintext.length - 1, start + randomInt(70_000))]);
      }
      for (const [start, end] of ranges) {
        const got = await collect(readPlaintextRange(index, open, start, end));
        assert.ok(got.equals(plaintext.subarray(start, end + 1)), `range ${start}-${end}`);
      }
      const [small] = opened.slice(1, 2);
      assert.ok(small !== undefined && small[1] - small[0] < 100, 'a small range reads a small part of the message');
    });
  }
});
