/**
 * A node started on the DATA_DIR of one that was killed removes the temp files it left: an
 * upload's part in the blob store and an atomic write's temp file in the outbox and the print
 * drop (the kill -9 audit found them kept through eight restarts). Recent ones, which a live
 * process on the same DATA_DIR may still be writing, stay.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestNode, type TestNode } from '../factories.js';

describe('start: temp files a killed node left behind', () => {
  let dir: string;
  let t: TestNode;
  const left: Record<string, string> = {};
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-tempfiles-'));
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    const put = async (folder: string, name: string, old: boolean): Promise<string> => {
      await mkdir(join(dir, folder), { recursive: true });
      await writeFile(join(dir, folder, name), 'halvferdig');
      if (old) await utimes(join(dir, folder, name), twoHoursAgo, twoHoursAgo);
      return name;
    };
    left.part = await put('blobs/tmp', `${randomUUID()}.part`, true);
    left.eml = await put('outbox', `.varsel.x@example.no.eml.${randomUUID()}.tmp`, true);
    left.pdf = await put('print', `.${randomUUID()}.pdf.${randomUUID()}.tmp`, true);
    left.fresh = await put('blobs/tmp', `${randomUUID()}.part`, false);
    t = await startTestNode({}, dir);
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('removes the old ones and keeps a recent one', async () => {
    assert.equal(await t.node.tempFilesSwept, 3);
    const blobTmp = await readdir(join(dir, 'blobs', 'tmp'));
    assert.ok(!blobTmp.includes(left.part ?? ''));
    assert.ok(blobTmp.includes(left.fresh ?? ''), 'a recent part may be a live upload');
    assert.ok(!(await readdir(join(dir, 'outbox'))).includes(left.eml ?? ''));
    assert.ok(!(await readdir(join(dir, 'print'))).includes(left.pdf ?? ''));
  });
});
