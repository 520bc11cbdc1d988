/**
 * Every action the code writes to the audit log has a Norwegian name on the admin web's
 * audit page (a code without one showed as its raw code, `webhook.sendt-igjen`). The
 * actions are found in the source as the literals of `handling:`; the two built from a
 * template are listed by hand.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HANDLING_TEKST } from '../../../src/http/admin/views/audit-page.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('audit log texts', () => {
  it('names every action the code records', () => {
    const src = join(import.meta.dirname, '..', '..', '..', 'src');
    const actions = new Set<string>();
    for (const file of sourceFiles(src)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/handling:\s*(?:[^'\n]*\?\s*)?'([^']+)'(?:\s*:\s*'([^']+)')?/g)) {
        if (m[1] !== undefined) actions.add(m[1]);
        if (m[2] !== undefined) actions.add(m[2]);
      }
    }
    // Built from templates: avsender.${form}-endret and forsendelse.${file}-lastet-ned.
    for (const form of ['forside', 'varsling', 'print']) actions.add(`avsender.${form}-endret`);
    for (const file of ['forsendelsesfil', 'printfil']) actions.add(`forsendelse.${file}-lastet-ned`);
    assert.ok(actions.size > 20, `found ${actions.size} actions`);
    assert.deepEqual(
      [...actions].filter((a) => HANDLING_TEKST[a] === undefined).sort(),
      [],
      'actions without a Norwegian name',
    );
  });
});
