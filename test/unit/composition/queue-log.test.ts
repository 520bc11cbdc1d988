/**
 * rateLimitedErrorLog: an error that repeats while something stays broken (a full disk under
 * the WAL checkpoints: five a second) is one JSON log line per source per 30 s, the next one
 * saying how many were left out.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { rateLimitedErrorLog } from '../../../src/composition/queue-log.js';

describe('rateLimitedErrorLog', () => {
  it('writes one line per source per 30 s and counts the ones left out', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    let now = 0;
    const report = rateLimitedErrorLog(pino(sink), 'WAL checkpoint failed', () => now);
    // Every 200 ms for 30 s: the first, then the one 30 s after it.
    for (let i = 0; i <= 150; i++) {
      report(new Error('database or disk is full'), 'wal-checkpoint');
      now += 200;
    }
    report(new Error('other'), 'sqlite-job-queue');
    assert.deepEqual(
      lines.map((l) => [l.msg, l.source, l.sameErrorsLeftOut]),
      [
        ['WAL checkpoint failed', 'wal-checkpoint', 0],
        ['WAL checkpoint failed', 'wal-checkpoint', 149],
        ['WAL checkpoint failed', 'sqlite-job-queue', 0],
      ],
    );
  });
});
