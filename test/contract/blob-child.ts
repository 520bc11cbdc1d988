/**
 * A separate process on a shared blob directory, for files.test.ts: two processes sharing
 * DATA_DIR. Mode:
 *   intake <dir> <rounds>   for each round r: print "start r", put the bytes of round r
 *                           under a lease, claim them for new-r, release the lease, print "done r"
 */
import { createHash } from 'node:crypto';
import { FileBlobStore } from '../../src/storage/files/index.js';

/** The bytes of round `r` (the parent stores the same ones first). */
export function roundBytes(r: number): Uint8Array {
  return new Uint8Array(createHash('sha512').update(`runde ${r}`).digest()).map((b, i) => b ^ i);
}

if (process.argv[1]?.endsWith('blob-child.ts')) {
  const [mode, dir, rounds = '0'] = process.argv.slice(2);
  if (mode !== 'intake' || dir === undefined) throw new Error('usage: blob-child.ts intake <dir> <rounds>');
  const blobs = new FileBlobStore(dir);
  for (let r = 0; r < Number(rounds); r++) {
    process.stdout.write(`start ${r}\n`);
    const lease = `child-${r}`;
    const ref = await blobs.put(roundBytes(r), { lease });
    await blobs.claim(`new-${r}`, [ref.sha256]);
    await blobs.releaseLease(lease);
    process.stdout.write(`done ${r}\n`);
  }
  await blobs.close();
}
