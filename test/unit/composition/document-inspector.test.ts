/**
 * The intake's whole-file PDF check reads a stored document only once its bytes fit the
 * shared CheckGate: a burst of sends waits with its documents on disk, not all read at once.
 */
import assert from 'node:assert/strict';
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

describe('pdfDocumentInspector within a CheckGate', () => {
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
    const inspect = pdfDocumentInspector(
      watched as unknown as FileBlobStore,
      pdf,
      new CheckGate({ bytes: 2 * largest, checks: 10 }),
    );
    const spec = {
      filnavn: 'brev.pdf',
      mimetype: 'application/pdf',
      ekskluderesFraPrint: false,
      skalSigneres: false,
      inneholderPersonsensitivInformasjon: false,
      giroarkSider: [],
      ekstraMetadata: [],
    };
    const answers = await Promise.all(stored.map((blob, i) => inspect(blob, spec, i, { avsender: 'Testkommune' })));
    assert.deepEqual(
      answers.map((a) => a.sider),
      Array<number>(6).fill(2),
    );
    assert.equal(most, 2, 'two documents fit the gate; the other four waited unread');
  });
});
