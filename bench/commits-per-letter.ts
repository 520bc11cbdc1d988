/**
 * SQLite commits per letter, end to end (intake and its compose and print jobs; the compose
 * job also chooses the channel): a deterministic figure next to the bench's timings, which
 * a shared machine makes noisy.
 * A node is started, warmed up, then N letters are sent one at a time and drained while a
 * read transaction pinned at the start keeps the WAL from being reset; the commit frames
 * appended in between (WAL frame header: a non-zero "database size" marks a commit) are
 * counted. Prints one JSON line. Not part of npm test. With C > 1 the letters are sent C at
 * a time, so writes of different letters share commits (src/storage/sqlite/group-commit.ts);
 * how many depends on timing, so that figure is not deterministic.
 *
 *   node --import tsx bench/commits-per-letter.ts [N=50]
 *   C=8 node --import tsx bench/commits-per-letter.ts 400
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { closedLoop } from './lib/http-load.js';
import { startLetterSender } from './lib/letter-sender.js';

/** Frames and commit frames in a WAL file (header 32 bytes; each frame a 24-byte header and a page). */
function commitFrames(walPath: string): { commits: number; frames: number } {
  const wal = readFileSync(walPath);
  const pageSize = wal.readUInt32BE(8);
  let commits = 0;
  let frames = 0;
  for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) {
    frames += 1;
    if (wal.readUInt32BE(off + 4) !== 0) commits += 1;
  }
  return { commits, frames };
}
const { file, db, send, close } = await startLetterSender('Telling');
await closedLoop(1, { count: 10 }, send);
await db.waitForIdleJobs(300_000);
const pin = new Database(file, { readonly: true });
pin.prepare('BEGIN').run();
pin.prepare('SELECT COUNT(*) FROM jobs').get();
const start = commitFrames(`${file}-wal`);
const N = Number(process.argv[2] ?? 50);
const C = Number(process.env.C ?? 1);
await closedLoop(C, { count: N }, send);
await db.waitForIdleJobs(300_000);
const end = commitFrames(`${file}-wal`);
console.log(
  JSON.stringify({
    letters: N,
    concurrency: C,
    commits_per_letter: (end.commits - start.commits) / N,
    wal_frames_per_letter: (end.frames - start.frames) / N,
  }),
);
pin.prepare('COMMIT').run();
pin.close();
await close();
process.exit(0);
