/**
 * Contract of the BlobStore port: content addressing (SHA-256), dedupe, byte ranges as in
 * HTTP Range (inclusive), the maxBytes limit, NotFoundError, and streaming a large
 * AsyncIterable through put and back out.
 */
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { NotFoundError, PayloadTooLargeError } from '../../src/domain/errors.js';
import type { BlobStore } from '../../src/storage/ports.js';
import { readAll, withFixture } from './support.js';

/** What a blob store adapter's factory gives the suite: fresh, empty storage per call. */
export interface BlobStoreFixture {
  readonly blobs: BlobStore;
  cleanup(): Promise<void>;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function* chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}

/** Chunk `i` of a deterministic pseudo-random byte sequence (AES-CTR keystream: fast, incompressible). */
export function generatedChunk(i: number, size: number, seed = 1): Uint8Array {
  const key = createHash('sha256').update(`seed:${seed}`).digest();
  const iv = createHash('md5').update(`chunk:${i}`).digest();
  return createCipheriv('aes-256-ctr', key, iv).update(new Uint8Array(size));
}

/** `count` chunks of `size` bytes from generatedChunk, produced on demand. */
export async function* generated(count: number, size: number, seed = 1): AsyncIterable<Uint8Array> {
  for (let i = 0; i < count; i++) yield generatedChunk(i, size, seed);
}

/** Registers the BlobStore contract tests for one adapter. */
export function blobStoreContract(name: string, factory: () => Promise<BlobStoreFixture>): void {
  void describe(`BlobStore contract: ${name}`, () => {
    void it('stores bytes under their SHA-256 and gives them back', () =>
      withFixture(factory, async ({ blobs }) => {
        const bytes = randomBytes(100_000);
        const ref = await blobs.put(bytes);
        assert.deepEqual(ref, { sha256: sha256(bytes), size: bytes.length });
        assert.deepEqual(Buffer.from(await blobs.get(ref.sha256)), bytes);
        assert.equal(await blobs.size(ref.sha256), bytes.length);
        assert.deepEqual(await readAll(await blobs.stream(ref.sha256)), bytes);
      }));

    void it('stores the empty blob', () =>
      withFixture(factory, async ({ blobs }) => {
        const ref = await blobs.put(new Uint8Array(0));
        assert.deepEqual(ref, { sha256: sha256(new Uint8Array(0)), size: 0 });
        assert.equal((await blobs.get(ref.sha256)).length, 0);
        assert.equal(await blobs.size(ref.sha256), 0);
      }));

    void it('gives the same ref for the same bytes, however they arrive', () =>
      withFixture(factory, async ({ blobs }) => {
        const bytes = randomBytes(70_001);
        const a = await blobs.put(bytes);
        const b = await blobs.put(chunked(bytes, 4096));
        const c = await blobs.put(chunked(bytes, 7));
        assert.deepEqual(b, a);
        assert.deepEqual(c, a);
        const [d, e] = await Promise.all([blobs.put(chunked(bytes, 999)), blobs.put(new Uint8Array(bytes))]);
        assert.deepEqual(d, a);
        assert.deepEqual(e, a);
        assert.deepEqual(Buffer.from(await blobs.get(a.sha256)), bytes);
        const other = await blobs.put(randomBytes(10));
        assert.notEqual(other.sha256, a.sha256);
      }));

    void it('streams inclusive byte ranges', () =>
      withFixture(factory, async ({ blobs }) => {
        const bytes = randomBytes(10_000);
        const { sha256: key } = await blobs.put(bytes);
        const range = async (start: number, end: number) => readAll(await blobs.stream(key, { start, end }));
        assert.deepEqual(await range(0, 0), bytes.subarray(0, 1));
        assert.deepEqual(await range(0, 499), bytes.subarray(0, 500));
        assert.deepEqual(await range(1234, 5678), bytes.subarray(1234, 5679));
        assert.deepEqual(await range(9999, 9999), bytes.subarray(9999));
        assert.deepEqual(await range(5000, 9999), bytes.subarray(5000));
      }));

    void it('throws NotFoundError for an absent blob, and reports no size', () =>
      withFixture(factory, async ({ blobs }) => {
        const absent = sha256(randomBytes(16));
        await assert.rejects(blobs.get(absent), NotFoundError);
        await assert.rejects(blobs.stream(absent), NotFoundError);
        await assert.rejects(blobs.stream(absent, { start: 0, end: 1 }), NotFoundError);
        assert.equal(await blobs.size(absent), undefined);
        await assert.rejects(blobs.get('../../etc/passwd'), NotFoundError, 'a malformed key is just unknown');
      }));

    void it('deletes a blob; deleting an absent one is fine', () =>
      withFixture(factory, async ({ blobs }) => {
        const keep = await blobs.put(randomBytes(64));
        const gone = await blobs.put(randomBytes(64));
        await blobs.delete(gone.sha256);
        await blobs.delete(gone.sha256);
        await assert.rejects(blobs.get(gone.sha256), NotFoundError);
        assert.equal(await blobs.size(gone.sha256), undefined);
        assert.equal(await blobs.size(keep.sha256), 64);
        const again = await blobs.put(Buffer.from(await blobs.get(keep.sha256)));
        assert.deepEqual(again, keep);
      }));

    void it('refuses more than maxBytes with PayloadTooLargeError, and stores nothing', () =>
      withFixture(factory, async ({ blobs }) => {
        const bytes = randomBytes(10_000);
        await assert.rejects(blobs.put(bytes, { maxBytes: 9_999 }), PayloadTooLargeError);
        await assert.rejects(blobs.put(chunked(bytes, 1000), { maxBytes: 9_999 }), PayloadTooLargeError);
        assert.equal(await blobs.size(sha256(bytes)), undefined);
        const exact = await blobs.put(chunked(bytes, 1000), { maxBytes: 10_000 });
        assert.equal(exact.size, 10_000);
      }));

    void it('stops reading a source that passes maxBytes', () =>
      withFixture(factory, async ({ blobs }) => {
        let produced = 0;
        let finished = false;
        async function* endless(): AsyncIterable<Uint8Array> {
          try {
            for (;;) {
              produced += 1;
              yield new Uint8Array(1024);
            }
          } finally {
            finished = true;
          }
        }
        await assert.rejects(blobs.put(endless(), { maxBytes: 10 * 1024 }), PayloadTooLargeError);
        assert.ok(produced <= 12, `read ${produced} chunks past a 10-chunk limit`);
        assert.ok(finished, 'the source iterator is closed');
      }));

    void it('streams a 50 MB AsyncIterable in and out', () =>
      withFixture(factory, async ({ blobs }) => {
        const count = 50;
        const size = 1024 * 1024;
        const expected = createHash('sha256');
        for await (const chunk of generated(count, size, 7)) expected.update(chunk);
        const digest = expected.digest('hex');
        const ref = await blobs.put(generated(count, size, 7), { maxBytes: count * size });
        assert.deepEqual(ref, { sha256: digest, size: count * size });
        assert.equal(await blobs.size(digest), count * size);
        const back = createHash('sha256');
        let length = 0;
        for await (const chunk of await blobs.stream(digest)) {
          back.update(chunk as Uint8Array);
          length += (chunk as Uint8Array).length;
        }
        assert.equal(length, count * size);
        assert.equal(back.digest('hex'), digest);
        const tail = await readAll(await blobs.stream(digest, { start: count * size - 10, end: count * size - 1 }));
        assert.deepEqual(tail, Buffer.from(generatedChunk(count - 1, size, 7).subarray(size - 10)));
      }));
  });
}
