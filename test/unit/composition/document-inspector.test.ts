/**
 * The intake's whole-file PDF check reads a stored document only once its bytes fit the
 * shared CheckGate: a burst of sends waits with its documents on disk, not all read at once.
 */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CheckGate } from '../../../src/composition/check-gate.js';
import { pdfDocumentInspector } from '../../../src/composition/document-inspector.js';
import { inspectPdf } from '../../../src/pdf/index.js';
import { FileBlobStore } from '../../../src/storage/files/index.js';
import type { BlobRef } from '../../../src/domain/model.js';
import { makeLetterPdf } from '../../fixtures/letter-pdf.js';
import { dokumentSpec } from '../domain/given.js';
import { writeLargePdf } from '../../fixtures/large-pdf.js';

const spec = dokumentSpec();

describe('pdfDocumentInspector within its CheckGates', () => {
  let dir: string;
  let blobs: FileBlobStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-inspect-gate-'));
    blobs = new FileBlobStore(dir, undefined, { writerThreads: 0 });
  });
  after(async () => {
    await blobs.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds at most the gate in documents read for checking; every check still answers', async () => {
    const stored: BlobRef[] = [];
    for (let i = 0; i < 6; i++) stored.push(await blobs.put(await makeLetterPdf({ seed: i + 1 })));
    const largest = Math.max(...stored.map((b) => b.size));
    let reading = 0;
    let most = 0;
    // Watched, not changed: how many documents are read and not yet checked at once.
    const watched = {
      get: async (sha256: string) => {
        reading++;
        most = Math.max(most, reading);
        return blobs.get(sha256);
      },
      stream: blobs.stream.bind(blobs),
    };
    const pdf = {
      inspect: async (bytes: Uint8Array, ref: { index: number; filnavn: string }) => {
        await new Promise((r) => setTimeout(r, 5));
        try {
          return await inspectPdf(bytes, ref);
        } finally {
          reading--;
        }
      },
    };
    const inspect = pdfDocumentInspector(watched as unknown as FileBlobStore, pdf, {
      whole: new CheckGate({ bytes: 2 * largest, checks: 10 }),
      byRange: new CheckGate({ bytes: 1, checks: 1 }),
    });
    const answers = await Promise.all(stored.map((blob, i) => inspect(blob, spec, i, { avsender: 'Testkommune' })));
    assert.deepEqual(
      answers.map((a) => a.sider),
      Array<number>(6).fill(2),
    );
    assert.equal(most, 2, 'two documents fit the gate; the other four waited unread');
  });

  it("checks files over 16 MB by range one at a time per the byRange gate, each in its sender's line", async () => {
    const paths = [join(dir, 'stor-1.pdf'), join(dir, 'stor-2.pdf')];
    const stored: BlobRef[] = [];
    for (const [i, path] of paths.entries()) {
      await writeLargePdf(path, { pages: 2 + i, imageBytesPerPage: 8_600_000 });
      stored.push(await blobs.put(createReadStream(path)));
    }
    assert.ok(stored.every((b) => b.size > 16 * 1024 * 1024));
    const byRange = new CheckGate({ bytes: 1, checks: 1 });
    // Watched, not changed: which senders' checks went through the gate, and how many ran at once.
    const keys: string[] = [];
    let running = 0;
    let most = 0;
    const run = byRange.run.bind(byRange);
    byRange.run = <T>(key: string, bytes: number, work: () => Promise<T>): Promise<T> => {
      keys.push(key);
      return run(key, bytes, async () => {
        most = Math.max(most, ++running);
        try {
          return await work();
        } finally {
          running--;
        }
      });
    };
    const inspect = pdfDocumentInspector(
      blobs,
      { inspect: inspectPdf },
      { whole: new CheckGate({ bytes: 1, checks: 1 }), byRange },
    );
    const answers = await Promise.all([
      inspect(stored[0] as BlobRef, spec, 0, { avsender: 'A' }),
      inspect(stored[1] as BlobRef, spec, 0, { avsender: 'B' }),
    ]);
    assert.deepEqual(
      answers.map((a) => a.sider),
      [2, 3],
    );
    assert.deepEqual(keys, ['A', 'B']);
    assert.equal(most, 1);
  });
});
