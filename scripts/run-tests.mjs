#!/usr/bin/env node
// Runs type-check, lint and every test/**/*.test.ts with Node's own test runner (tsx as loader).
// `npm test -- test/unit` (or file paths) runs a subset and skips the static checks.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const roots = args.length > 0 ? args : ['test'];

/** Collects *.test.ts under a path. */
function collect(path) {
  const st = statSync(path);
  if (st.isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((name) => (name === 'node_modules' ? [] : collect(join(path, name))));
}

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (args.length === 0) {
  console.error('» tsc --noEmit');
  run('npx', ['tsc', '--noEmit', '-p', '.']);
  console.error('» eslint');
  run('npx', ['eslint', '.']);
  console.error('» prettier --check');
  run('npx', ['prettier', '--check', '--log-level', 'warn', '.']);
}
const files = roots.flatMap(collect);
console.error(`» node --test (${files.length} files)`);
// No file may hold up the run: one that has not finished after FILE_TIMEOUT_MS fails by name
// (the slowest, the cluster suites, take a few minutes on two cores), and a file whose tests
// are done exits even if something it opened still holds the event loop open.
const FILE_TIMEOUT_MS = 15 * 60_000;
run(process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=2',
  `--test-timeout=${FILE_TIMEOUT_MS}`,
  '--test-force-exit',
  '--test-reporter=spec',
  ...files,
]);
