/**
 * Doors only translate (issue #14): no module under src/http/ imports the actors, the read
 * model or pdf-lib — they call the application layer (src/app/). eslint.config.js has the
 * same rule; this test also catches re-exports, dynamic imports and a disabled lint line.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every .ts/.tsx file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The module specifiers a file names, with the names it takes from each (import, export … from, import()). */
function importsOf(text: string): { from: string; names: string }[] {
  const found: { from: string; names: string }[] = [];
  for (const m of text.matchAll(/\b(?:import|export)\s+(?:type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g))
    found.push({ from: m[2] ?? '', names: m[1] ?? '' });
  for (const m of text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ from: m[1] ?? '', names: '*' });
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ from: m[1] ?? '', names: '' });
  return found;
}

/** Why an import is not a door's to make, or undefined when it is fine. */
function violation(imp: { from: string; names: string }): string | undefined {
  if (/(^|\/)actors(\/|$)/.test(imp.from)) return 'the actors';
  if (imp.from === 'pdf-lib' || imp.from.startsWith('pdf-lib/')) return 'pdf-lib';
  if (/(^|\/)storage\//.test(imp.from) && (/\bReadModel\b/.test(imp.names) || imp.names.includes('*')))
    return 'the read model';
  return undefined;
}

/** The violations in a file's text, one line each. */
function violations(text: string): string[] {
  return importsOf(text).flatMap((imp) => {
    const why = violation(imp);
    return why === undefined ? [] : [`${imp.from} (${why})`];
  });
}

describe('architecture: doors only translate', () => {
  it('no module under src/http/ imports the actors, the read model or pdf-lib', () => {
    const found = sources(join(ROOT, 'src', 'http')).flatMap((file) =>
      violations(readFileSync(file, 'utf8')).map((v) => `${relative(ROOT, file)}: ${v}`),
    );
    assert.deepEqual(found, []);
  });

  it('the check recognises each forbidden kind of import', () => {
    const bad = [
      "import type { ForsendelseActors } from '../../actors/forsendelse-registry.js';",
      "import { PDFDocument } from 'pdf-lib';",
      "import type { AttemptCounter, ReadModel } from '../storage/ports.js';",
      "export { ReadModel } from '../../storage/ports.js';",
      "const m = await import('../actors/runtime.js');",
    ];
    for (const line of bad) assert.equal(violations(line).length, 1, line);
    assert.deepEqual(
      violations(
        "import type { BlobStore, ConfigStore } from '../../storage/ports.js';\nimport { AdminService } from '../../app/admin/index.js';",
      ),
      [],
    );
  });
});
