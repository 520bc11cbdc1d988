import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ValidationError } from '../../../src/domain/errors.js';
import { inspectPdfStream, type PdfInfo, type RangeOpener } from '../../../src/pdf/index.js';
import { writeLargePdf } from '../../fixtures/index.js';

/** A BlobStore-like opener over a file that counts every byte it hands out. */
function countingOpener(path: string): { open: RangeOpener; bytesRead: () => number } {
  let total = 0;
  const open: RangeOpener = (range) => {
    const stream = createReadStream(path, range === undefined ? {} : { start: range.start, end: range.end });
    stream.on('data', (chunk) => {
      total += chunk.length;
    });
    return Promise.resolve(stream);
  };
  return { open, bytesRead: () => total };
}

/** V8's gc(), exposed at run time so the test needs no special node flags. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Runs `work` while sampling heap + ArrayBuffer memory. `transient` is the peak as it
 * happens (garbage included: V8 frees stream buffers lazily); `live` forces a GC before
 * each sample, so it is the peak of memory actually held. Both as rises over the start.
 */
async function withPeakMemory<T>(
  work: () => Promise<T>,
  gc: () => void,
): Promise<{ result: T; transient: number; live: number }> {
  const current = (): number => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  /** Two GCs a turn apart: buffers are only let go after the first. */
  const settle = async (): Promise<void> => {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  };
  const sample = async (intervalMs: number, collect: boolean): Promise<{ result: T; peak: number }> => {
    await settle();
    const base = current();
    let peak = base;
    // Each sample is followed by intervalMs of work: a forced GC takes tens of ms here, and
    // samples back to back would leave the work almost no time at all.
    let running = true;
    const sampler = (async () => {
      while (running) {
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
        if (collect) await settle();
        peak = Math.max(peak, current());
      }
    })();
    try {
      const result = await work();
      peak = Math.max(peak, current());
      return { result, peak: peak - base };
    } finally {
      running = false;
      await sampler;
    }
  };
  const transient = await sample(2, false);
  const live = await sample(10, true);
  return { result: live.result, transient: transient.peak, live: live.peak };
}

describe('inspectPdfStream on a ~60 MB PDF', () => {
  let dir: string;
  let good: { path: string; size: number; pages: number };
  let broken: { path: string; size: number; pages: number };
  const ref = { index: 0, filnavn: 'stor.pdf' };
  const gc = exposeGc();
  const describeRun = (size: number, read: number, transient: number, live: number): string =>
    `file ${(size / 1e6).toFixed(1)} MB, read ${Math.round(read)} bytes, peak rise of heap+buffers: ${(transient / 1e6).toFixed(2)} MB as it happens, ${(live / 1e6).toFixed(2)} MB held`;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-pdf-large-'));
    good = { path: join(dir, 'stor.pdf'), ...(await writeLargePdf(join(dir, 'stor.pdf'), { pages: 120 })) };
    broken = {
      path: join(dir, 'skadet.pdf'),
      ...(await writeLargePdf(join(dir, 'skadet.pdf'), { pages: 120, seed: 9, brokenXref: true })),
    };
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('reads the page count from the tail and the page tree, and the whole file twice as pdf-lib will', async (t) => {
    assert.ok(good.size > 55_000_000, `fixture is ${good.size} bytes`);
    const { open, bytesRead } = countingOpener(good.path);
    const { result, transient, live } = await withPeakMemory<PdfInfo>(() => inspectPdfStream(open, good.size, ref), gc);
    assert.deepEqual(result, { pages: 120 });
    t.diagnostic(`${describeRun(good.size, bytesRead() / 2, transient, live)}`);
    // Deterministic bound (two runs counted): the page tree is read by windows (twice); then every
    // byte twice, front to back as pdf-lib will at compose: the prescan, and the pages
    // counted from the last definition of each object; then each page's objects once more,
    // by window, for what compose needs of them (page-copyability-stream.ts), and once more
    // to compare the objects the pages print in both readings (readings-by-range.ts).
    const read = bytesRead() / 2;
    assert.ok(read >= 2 * good.size && read < 2 * good.size + 6_000_000, `read ${read} bytes of ${good.size}`);
    // Held: the prescan's window (2 MB and the 1 MB it looks back over), the stream's
    // buffers and the page-tree walk's objects: some MB, a fraction of the file. What passes
    // through as garbage is shown above, not bounded here.
    assert.ok(live < 12_000_000, `held ${live} bytes`);
  });

  it('recovers a damaged xref by scanning in chunks, memory far below the file size', async (t) => {
    const { open, bytesRead } = countingOpener(broken.path);
    const { result, transient, live } = await withPeakMemory<PdfInfo>(
      () => inspectPdfStream(open, broken.size, ref),
      gc,
    );
    assert.deepEqual(result, { pages: 120 });
    t.diagnostic(`${describeRun(broken.size, bytesRead() / 2, transient, live)}`);
    assert.ok(bytesRead() / 2 >= broken.size, 'the scans read the whole file');
    // Held memory is the recovery scan's window and object table, then the prescan's window:
    // some MB, a fraction of the file. Since the table also keeps object-stream members'
    // places (commit 31b786e) it measured 9.5–14 MB held for this 61.5 MB file, varying with
    // when the collector runs, against a bound of 12 MB that failed 2 runs in 3; then 16 MB,
    // which a clean-clone CI run on a busy machine missed once (18.1 MB, 6 December 2026).
    // The property is "a fraction of the file", not a figure: a scan that kept the file would
    // hold all of it, so the bound is a third of the file (~20.5 MB).
    assert.ok(live < broken.size / 3, `held ${live} bytes while scanning a ${broken.size}-byte file`);
  });

  it('refuses a large encrypted PDF and a large file cut short', async () => {
    const encrypted = join(dir, 'kryptert.pdf');
    const { size } = await writeLargePdf(encrypted, { pages: 3, encrypted: true });
    await assert.rejects(inspectPdfStream(countingOpener(encrypted).open, size, ref), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.equal(e.problems[0]?.message, 'Ugyldig innhold i stor.pdf: dokumentet er kryptert/passordbeskyttet');
      return true;
    });
    // The same 60 MB file seen as if the upload stopped 1 MB early: no %%EOF.
    await assert.rejects(inspectPdfStream(countingOpener(good.path).open, good.size - 1_000_000, ref), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.equal(e.problems[0]?.message, 'Ugyldig innhold i stor.pdf: ikke en lesbar PDF');
      return true;
    });
  });
});
