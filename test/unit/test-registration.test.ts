/**
 * The test runner runs with --test-force-exit (scripts/run-tests.mjs): a file ends once the tests
 * registered so far are done. A test file that registers a suite, then awaits at top level (a
 * connection, a label) and registers another, can lose the second one without a word when the
 * await outlasts the first: the MongoDB SendAttempts contract vanished from a CI run that way.
 * Every top-level await of a test file therefore comes before its first registration.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';

const testRoot = join(import.meta.dirname, '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : testFiles(path);
      return name.endsWith('.test.ts') ? [path] : [];
    });
}

/** A top-level call that registers tests: it(…), describe(…), a shared contract's suite (…Contract(…)). */
const registration = /^(?:if \(.*\) )?(?:void )?(?:it|test|describe|suite|\w+Contract)\(/;
/**
 * An await at top level (prettier indents everything nested), or inside a top-level call's
 * arguments. A heuristic: an await inside a top-level block (`if (…) { await … }`) is indented
 * and not seen; none of the files has one.
 */
const topLevelAwait = /^(?:[^\s}/*].*)?\bawait\b|^ {2}\w+\(`[^`]*\$\{await\b/;

/** "file:line" of each top-level await that follows a registration in `source`. */
export function lateAwaits(file: string, source: string): string[] {
  const lines = source.split('\n');
  const first = lines.findIndex((line) => registration.test(line));
  if (first < 0) return [];
  return lines.flatMap((line, i) => (i > first && topLevelAwait.test(line) ? [`${file}:${i + 1}`] : []));
}

void it('finds an await between two registrations, and none before the first', () => {
  const late = ['it(`a`, () => {});', 'else', '  aContract(`b on ${await label()}`, async () => {', '});'];
  assert.deepEqual(lateAwaits('x.test.ts', late.join('\n')), ['x.test.ts:3']);
  const early = ['const label = await mongoLabel();', 'it(`a`, async () => {', '  await x();', '});'];
  assert.deepEqual(lateAwaits('y.test.ts', early.join('\n')), []);
});

void it('no test file awaits at top level after registering a test', () => {
  const found = testFiles(testRoot).flatMap((path) => lateAwaits(relative(testRoot, path), readFileSync(path, 'utf8')));
  assert.deepEqual(found, []);
});
