/** The retry delays every job queue uses (src/storage/job-retry.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_ATTEMPTS, MAX_RETRY_DELAY_MS, retryDelayMs } from '../../../src/storage/job-retry.js';

describe('job retry delays', () => {
  it('double from backoffMs after each failure, and never wait more than an hour', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => retryDelayMs(1000, n)),
      [1000, 2000, 4000, 8000],
    );
    assert.equal(retryDelayMs(1000, 12), 2048 * 1000);
    assert.equal(retryDelayMs(1000, 13), MAX_RETRY_DELAY_MS);
    assert.equal(retryDelayMs(1000, 99), MAX_RETRY_DELAY_MS);
    assert.equal(retryDelayMs(0, 5), 0);
  });

  it('by default give a job about four days of attempts before it fails for good', () => {
    let waited = 0;
    for (let n = 1; n < DEFAULT_MAX_ATTEMPTS; n++) waited += retryDelayMs(1000, n);
    const days = waited / 86_400_000;
    assert.ok(days > 3.5 && days < 4.5, `${days.toFixed(2)} days`);
  });
});
