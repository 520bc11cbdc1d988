/**
 * No import cycles in src/ (issue #14, "habits in npm test"): a cycle makes module order
 * decide what is initialised when, and blurs which layer depends on which. Type-only
 * imports are erased at run time and are not counted.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/** Every .ts/.tsx file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The relative modules `file` imports at run time (`import type` and `export type` left out). */
export function runtimeImports(file: string, text: string): string[] {
  const found: string[] = [];
  const pattern = /^\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const m of text.matchAll(pattern)) {
    const spec = (m[1] ?? '').replace(/\.js$/, '');
    const base = resolve(dirname(file), spec);
    const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
    if (target !== undefined) found.push(target);
  }
  return found;
}

/** One cycle of the graph, as a list of files, or undefined when there is none. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('import cycles', () => {
  it('finds a cycle where there is one (the check can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.deepEqual(findCycle(graph), ['a', 'b', 'c', 'a']);
    assert.equal(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
      undefined,
    );
    assert.deepEqual(
      runtimeImports('/x/a.ts', "import type { T } from './t.js';\nexport type { U } from './u.js';"),
      [],
    );
  });

  it('src/ has no cycle of run-time imports', () => {
    const graph = new Map(
      sources(SRC).map((file) => [file, runtimeImports(file, readFileSync(file, 'utf8'))] as const),
    );
    // Not vacuous: the scan sees the tree and its imports.
    assert.ok(graph.size > 100, `${graph.size} files`);
    assert.ok([...graph.values()].reduce((n, edges) => n + edges.length, 0) > graph.size, 'imports found');
    const cycle = findCycle(graph);
    assert.equal(cycle, undefined, `import cycle: ${(cycle ?? []).map((f) => relative(SRC, f)).join(' → ')}`);
  });
});
