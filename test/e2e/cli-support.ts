/** Runs the `budbringer` CLI as a child process, as an operator would. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The repository root (where bin/budbringer.mjs is). */
export const REPO = join(import.meta.dirname, '..', '..');

/**
 * The test process's environment without what would be a setting of the CLI: BUDBRINGER_*
 * variables, and the storage of cluster mode (CI sets MONGODB_URI for the MongoDB contract
 * suites; the CLI tests are of an embedded DATA_DIR).
 */
export function embeddedCliEnvironment(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('BUDBRINGER_') && k !== 'MONGODB_URI' && k !== 'REDIS_URL',
    ),
  );
}

/** Exit code and output of one CLI run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `bin/budbringer.mjs args` with DATA_DIR and `env` set, in `embeddedCliEnvironment()`;
 * `input` is written to stdin,
 * which is closed either way.
 */
export function runCli(
  dataDir: string,
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<CliResult> {
  const base = embeddedCliEnvironment();
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

/** The audit log of `dataDir` as `[handling, bruker, objekt]`, oldest first, read as the admin web reads it. */
export async function auditTrail(dataDir: string): Promise<[string, string, string | undefined][]> {
  const { loadSettings } = await import('../../src/config/load-settings.js');
  const { openConfigStore } = await import('../../src/composition/config-store.js');
  const store = await openConfigStore(loadSettings([], { DATA_DIR: dataDir }));
  try {
    const { items } = await store.audit.list({ limit: 1000, offset: 0 });
    return items.reverse().map((e) => [e.handling, e.bruker, e.objekt]);
  } finally {
    await store.close();
  }
}
