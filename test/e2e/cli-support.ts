/** Runs the `budbringer` CLI as a child process, as an operator would. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The repository root (where bin/budbringer.mjs is). */
export const REPO = join(import.meta.dirname, '..', '..');

/** Exit code and output of one CLI run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `bin/budbringer.mjs args` with DATA_DIR and `env` set (BUDBRINGER_* variables of the
 * test's own environment removed: they would be settings); `input` is written to stdin,
 * which is closed either way.
 */
export function runCli(dataDir: string, args: readonly string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BUDBRINGER_')));
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['bin/budbringer.mjs', ...args],
      { cwd: REPO, env: { ...base, DATA_DIR: dataDir, ...options.env } },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}
