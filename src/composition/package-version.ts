/**
 * Budbringer's version from package.json, read once: shown in /healthz, by `--version`
 * and in backup manifests, so an operator can tell which release runs (docs/operations.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The version of the package this file belongs to (checkout: src/composition/, image: dist/src/composition/). */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4 && cached === undefined; up++) {
    dir = dirname(dir);
    const path = join(dir, 'package.json');
    if (!existsSync(path)) continue;
    const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown };
    if (pkg.name === 'budbringer' && typeof pkg.version === 'string') cached = pkg.version;
  }
  cached ??= 'ukjent';
  return cached;
}
