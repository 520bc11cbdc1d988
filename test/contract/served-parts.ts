/**
 * Contract of the ServedParts port: a file sent in parts counts as sent whole once its parts
 * cover every byte, however they overlap, in any order; another file's parts count not; a
 * covered file starts anew; a file sent in more than MAX_PIECES separate pieces is let go;
 * and a second instance (another node) adds to the same parts, also at the same moment.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServedParts } from '../../src/storage/ports.js';
import { withFixture } from './support.js';

/** What a ServedParts adapter's factory gives the suite: fresh, empty parts per call. */
export interface ServedPartsFixture {
  readonly parts: ServedParts;
  /** Another instance on the same storage, as another node would have (in memory: the same one). */
  openSecond(): Promise<ServedParts>;
  cleanup(): Promise<void>;
}

const NOW = 1_764_000_000_000;

/** Registers the ServedParts contract tests for one adapter. */
export function servedPartsContract(name: string, factory: () => Promise<ServedPartsFixture>): void {
  void describe(`ServedParts contract: ${name}`, () => {
    void it('is covered when the parts, in any order, overlapping or touching, reach every byte', () =>
      withFixture(factory, async ({ parts }) => {
        assert.equal(await parts.add('a', { start: 500, end: 999 }, 1000, NOW), false);
        assert.equal(await parts.add('a', { start: 0, end: 99 }, 1000, NOW), false);
        assert.equal(await parts.add('a', { start: 50, end: 120 }, 1000, NOW), false, 'overlapping');
        assert.equal(await parts.add('a', { start: 300, end: 499 }, 1000, NOW), false, 'touching the last');
        assert.equal(
          await parts.add('b', { start: 121, end: 299 }, 1000, NOW),
          false,
          'another file’s part counts not',
        );
        assert.equal(await parts.add('a', { start: 121, end: 299 }, 1000, NOW), true);
        // Covered files are forgotten: a new download starts anew.
        assert.equal(await parts.add('a', { start: 0, end: 10 }, 1000, NOW), false);
      }));

    void it('stays bounded: a file sent in more than 512 separate pieces is let go', () =>
      withFixture(factory, async ({ parts }) => {
        for (let i = 0; i < 600; i++) await parts.add('a', { start: i * 2, end: i * 2 }, 1200, NOW);
        // Its first pieces were dropped with it: the odd bytes alone cover nothing.
        let covered = false;
        for (let i = 0; i < 600; i++)
          covered = (await parts.add('a', { start: i * 2 + 1, end: i * 2 + 1 }, 1200, NOW)) || covered;
        assert.equal(covered, false);
      }));

    void it('adds up the parts two nodes sent, also sent at the same moment: one of them sees the file covered', () =>
      withFixture(factory, async ({ parts, openSecond }) => {
        const second = await openSecond();
        assert.equal(await parts.add('a', { start: 0, end: 399 }, 1000, NOW), false);
        assert.equal(
          await second.add('a', { start: 400, end: 999 }, 1000, NOW),
          true,
          'the second node’s part completes it',
        );
        // 100 parts of 10 bytes each, half from each node, all at once: exactly one completes it.
        const covered = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            (i % 2 === 0 ? parts : second).add('b', { start: i * 10, end: i * 10 + 9 }, 1000, NOW),
          ),
        );
        assert.equal(covered.filter(Boolean).length, 1);
      }));
  });
}
