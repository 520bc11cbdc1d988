/** A file sent in parts counts as sent whole once its parts cover every byte, however they overlap. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DownloadCoverage } from '../../../src/app/download-coverage.js';

describe('DownloadCoverage', () => {
  it('is covered when the parts, in any order, overlapping or touching, reach every byte', () => {
    const parts = new DownloadCoverage();
    assert.equal(parts.add('a', { start: 500, end: 999 }, 1000), false);
    assert.equal(parts.add('a', { start: 0, end: 99 }, 1000), false);
    assert.equal(parts.add('a', { start: 50, end: 120 }, 1000), false, 'overlapping');
    assert.equal(parts.add('a', { start: 300, end: 499 }, 1000), false, 'touching the last');
    assert.equal(parts.add('b', { start: 121, end: 299 }, 1000), false, 'another file’s part counts not');
    assert.equal(parts.add('a', { start: 121, end: 299 }, 1000), true);
    // Covered files are forgotten: a new download starts anew.
    assert.equal(parts.add('a', { start: 0, end: 10 }, 1000), false);
  });

  it('forgets a file’s parts a day after its last one', () => {
    let now = 0;
    const parts = new DownloadCoverage(() => now);
    parts.add('a', { start: 0, end: 499 }, 1000);
    now += 25 * 3600_000;
    assert.equal(parts.add('a', { start: 500, end: 999 }, 1000), false);
    assert.equal(parts.add('a', { start: 0, end: 499 }, 1000), true);
  });

  it('stays bounded: a file sent in more than 512 separate pieces is let go', () => {
    const parts = new DownloadCoverage();
    for (let i = 0; i < 600; i++) parts.add('a', { start: i * 2, end: i * 2 }, 1200);
    // Its first pieces were dropped with it: the odd bytes alone cover nothing.
    let covered = false;
    for (let i = 0; i < 600; i++) covered = parts.add('a', { start: i * 2 + 1, end: i * 2 + 1 }, 1200) || covered;
    assert.equal(covered, false);
  });
});
