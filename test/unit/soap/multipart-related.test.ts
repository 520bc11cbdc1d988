/** Streaming multipart/related: parts, line ends, chunk boundaries, limits. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { MultipartRelatedReader } from '../../../src/http/soap/multipart-related.js';
import { multipartBody } from '../../fixtures/soap/index.js';

const LIMITS = { maxParts: 10, maxPartHeaderBytes: 1024 };

async function* sliced(body: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < body.length; i += size) yield body.subarray(i, i + size);
}

async function readAll(
  body: Buffer,
  boundary: string,
  size: number,
  limits = LIMITS,
): Promise<{ headers: Map<string, string>; cid?: string; bytes: Buffer }[]> {
  const reader = new MultipartRelatedReader(sliced(body, size)[Symbol.asyncIterator](), boundary, limits);
  const out = [];
  for (let part = await reader.nextPart(); part; part = await reader.nextPart()) {
    const chunks: Uint8Array[] = [];
    for await (const c of part.body) chunks.push(c);
    out.push({ headers: new Map(part.headers), cid: part.contentId, bytes: Buffer.concat(chunks) });
  }
  return out;
}

describe('MultipartRelatedReader', () => {
  const boundary = 'uuid:6b62cda9+id=1';
  const binary = Buffer.concat([
    randomBytes(5000),
    Buffer.from(`\r\n--${boundary.slice(0, -1)}\r\n`),
    randomBytes(100),
  ]);
  const body = Buffer.concat([
    Buffer.from('preamble to ignore\r\n'),
    multipartBody(boundary, [
      {
        headers: ['Content-Type: application/xop+xml; type="application/soap+xml"', 'Content-ID: <root@x>'],
        body: '<e/>',
      },
      {
        headers: ['Content-ID: cid-without-brackets', 'Content-Type: application/octet-stream', 'X-Folded: a', ' b'],
        body: binary,
      },
      { headers: ['Content-ID: <empty@x>'], body: '' },
    ]),
    Buffer.from('epilogue'),
  ]);

  it('yields every part with its bytes exactly, whatever the chunk size', async () => {
    for (const size of [1, 2, 3, 17, 64, 4096, body.length]) {
      const parts = await readAll(body, boundary, size);
      assert.deepEqual(
        parts.map((p) => p.cid),
        ['root@x', 'cid-without-brackets', 'empty@x'],
        `size ${size}`,
      );
      assert.equal(parts[0]?.bytes.toString(), '<e/>');
      assert.deepEqual(parts[1]?.bytes, binary, `size ${size}`);
      assert.equal(parts[1]?.headers.get('x-folded'), 'a b');
      assert.equal(parts[2]?.bytes.length, 0);
    }
  });

  it('accepts bare LF line ends and a body without preamble', async () => {
    const lf = Buffer.from(`--b\nContent-ID: <a>\n\nhello\n--b\nContent-ID: <c>\n\nworld\n--b--\n`);
    const parts = await readAll(lf, 'b', 5);
    assert.deepEqual(
      parts.map((p) => [p.cid, p.bytes.toString()]),
      [
        ['a', 'hello'],
        ['c', 'world'],
      ],
    );
  });

  it('lets a reader skip a part it does not read', async () => {
    const reader = new MultipartRelatedReader(sliced(body, 100)[Symbol.asyncIterator](), boundary, LIMITS);
    const ids: (string | undefined)[] = [];
    for (let part = await reader.nextPart(); part; part = await reader.nextPart()) ids.push(part.contentId);
    assert.deepEqual(ids, ['root@x', 'cid-without-brackets', 'empty@x']);
  });

  it('names a wrong boundary, a cut-off body, too many parts and oversized headers', async () => {
    await assert.rejects(readAll(body, 'other', 64), /fant ikke første boundary/);
    await assert.rejects(readAll(body.subarray(0, 3000), boundary, 64), /slutter midt i en MIME-del/);
    await assert.rejects(
      readAll(body, boundary, 64, { maxParts: 2, maxPartHeaderBytes: 1024 }),
      /For mange MIME-deler/,
    );
    const bigHeader = multipartBody('b', [{ headers: [`X-Big: ${'x'.repeat(2000)}`], body: 'a' }]);
    await assert.rejects(readAll(bigHeader, 'b', 64), /For store MIME-headere/);
  });

  it('refuses a part with a Content-ID, Content-Type or Content-Transfer-Encoding twice (read first, another reader takes the last)', async () => {
    for (const twice of [
      ['Content-ID: <a@x>', 'Content-Id: <b@x>'],
      ['Content-Type: application/octet-stream', 'content-type: text/plain'],
      ['Content-Transfer-Encoding: binary', 'Content-Transfer-Encoding: base64'],
    ]) {
      const ambiguous = multipartBody('b', [
        { headers: ['Content-ID: <root@x>'], body: '<e/>' },
        { headers: twice, body: 'a' },
      ]);
      for (const size of [1, 64]) {
        await assert.rejects(readAll(ambiguous, 'b', size), (e: Error) =>
          e.message.includes(`har «${twice[1]?.split(':')[0] ?? ''}» mer enn én gang`),
        );
      }
    }
    // Other headers twice are not read, and change nothing.
    const parts = await readAll(
      multipartBody('b', [{ headers: ['Content-ID: <a@x>', 'X-Note: 1', 'X-Note: 2'], body: 'a' }]),
      'b',
      64,
    );
    assert.equal(parts[0]?.cid, 'a@x');
  });
});
