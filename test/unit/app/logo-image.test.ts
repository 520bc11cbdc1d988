/**
 * The logo upload is checked by its structure, not its first bytes: a PNG signature or a
 * JPEG SOI followed by HTML was stored and served as an image to every recipient (a broken
 * image). Real images from an encoder pass; each damaged or forged part is named.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { checkLogo } from '../../../src/app/admin/logo-image.js';
import { encodePng, makeTestPixels } from '../../fixtures/png.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HTML = Buffer.from('<html><script>alert(document.cookie)</script></html>');

/** The reason a logo is refused (fails the test when it is accepted). */
function problemOf(bytes: Uint8Array): string {
  const checked = checkLogo(bytes);
  assert.ok('problem' in checked, `accepted as ${'mimetype' in checked ? checked.mimetype : '?'}`);
  return checked.problem;
}

describe('logo upload: PNG and JPEG checked by structure', () => {
  const png = Buffer.from(encodePng(20, 10, makeTestPixels(20, 10, 7)));
  let jpeg: Buffer;
  before(async () => {
    const { createCanvas } = await import('@napi-rs/canvas');
    const canvas = createCanvas(160, 48);
    const g = canvas.getContext('2d');
    g.fillStyle = '#0a4a85';
    g.fillRect(0, 0, 160, 48);
    jpeg = Buffer.from(await canvas.encode('jpeg'));
  });

  it('accepts a PNG and a JPEG from an encoder, a few bytes of padding after EOI too', () => {
    assert.deepEqual(checkLogo(png), { mimetype: 'image/png' });
    assert.deepEqual(checkLogo(jpeg), { mimetype: 'image/jpeg' });
    assert.deepEqual(checkLogo(Buffer.concat([jpeg, Buffer.alloc(4)])), { mimetype: 'image/jpeg' });
  });

  it('refuses the PNG signature followed by HTML', () => {
    assert.equal(
      problemOf(Buffer.concat([PNG_SIGNATURE, HTML])),
      'filen er ikke et gyldig PNG-bilde (starter ikke med en IHDR-blokk på 13 byte)',
    );
  });

  it('refuses a PNG with a wrong IHDR checksum, or a size of 0 or over 10000 pixels', () => {
    const crc = Buffer.from(png);
    crc[29] = (crc[29] as number) ^ 0xff; // the IHDR CRC: signature 8, length 4, type 4, data 13
    assert.match(problemOf(crc), /IHDR-blokken har feil kontrollsum \(CRC\)/);
    assert.match(problemOf(encodePng(0, 10, new Uint8Array(0))), /mellom 1 og 10000 piksler, er 0 × 10/);
    assert.match(problemOf(encodePng(10_001, 1, new Uint8Array(30_003))), /er 10001 × 1/);
    // Each side within the bound, but 100 megapixels in all (12 KB as a 1-bit PNG): the IHDR
    // of a small PNG given that size, with its checksum (the check reads no further for it).
    const sized = (width: number, height: number): Buffer => {
      const bytes = Buffer.from(png);
      bytes.writeUInt32BE(width, 16);
      bytes.writeUInt32BE(height, 20);
      bytes.writeUInt32BE(crc32(bytes.subarray(12, 29)), 29);
      return bytes;
    };
    assert.match(problemOf(sized(10_000, 10_000)), /for mange piksler: høyst 4 millioner, er 10000 × 10000/);
    assert.match(problemOf(sized(2_001, 2_000)), /for mange piksler/);
    assert.deepEqual(checkLogo(sized(2_000, 2_000)), { mimetype: 'image/png' }, '4 megapixels are taken');
  });

  it('refuses a PNG without IEND, with data after it, cut in a chunk, or without image data', () => {
    const iend = png.subarray(png.length - 12);
    assert.match(problemOf(png.subarray(0, png.length - 12)), /slutter ikke med en IEND-blokk/);
    assert.match(problemOf(Buffer.concat([png, HTML])), /har data etter IEND-blokken/);
    assert.match(problemOf(png.subarray(0, png.length - 20)), /blokken IDAT går ut over filen/);
    assert.match(problemOf(Buffer.concat([png.subarray(0, 33), iend])), /mangler bildedata \(IDAT\)/);
  });

  it('refuses the JPEG SOI followed by HTML, and a JPEG without a frame header', () => {
    assert.match(problemOf(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), HTML])), /ikke et gyldig JPEG-bilde/);
    // A well-formed APP0 (JFIF) segment, then HTML instead of a frame.
    const app0 = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
    assert.match(problemOf(Buffer.concat([app0, HTML, Buffer.from([0xff, 0xd9])])), /før bilderammen \(SOF\)/);
  });

  it('refuses a JPEG whose frame is 0 pixels high, or that does not end with EOI', () => {
    const zero = Buffer.from(jpeg);
    const sof = zero.indexOf(Buffer.from([0xff, 0xc0]));
    assert.ok(sof > 0, 'the encoder writes a baseline frame');
    zero.writeUInt16BE(0, sof + 5); // marker 2, length 2, precision 1, then the height
    assert.match(
      problemOf(zero),
      /ikke et gyldig JPEG-bilde \(bredde og høyde må være mellom 1 og 10000 piksler, er 160 × 0\)/,
    );
    assert.match(problemOf(jpeg.subarray(0, jpeg.length - 2)), /slutter ikke med EOI-markøren \(FFD9\)/);
    assert.match(problemOf(Buffer.concat([jpeg, HTML])), /slutter ikke med EOI-markøren/);
  });

  it('keeps the message for a file that is no PNG or JPEG at all', () => {
    assert.equal(problemOf(Buffer.from('<svg onload="alert(1)"/>')), 'filen må være et PNG- eller JPEG-bilde');
    assert.equal(problemOf(new Uint8Array(0)), 'filen må være et PNG- eller JPEG-bilde');
  });
});
