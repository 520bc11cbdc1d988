/**
 * The composition root: the only module that reads the environment. Without arguments
 * it runs a node (`npm start`); with arguments it is the `budbringer` CLI
 * (`npx budbringer sender create --name …`), working on the same DATA_DIR, also while a
 * server runs (SQLite WAL allows a second writer process).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadSettings, SettingsError } from './config/load-settings.js';
import type { Settings } from './config/schema.js';
import { runCli } from './cli/run-cli.js';
import { createLogger } from './composition/logging.js';
import { startNode } from './composition/node.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The checkout (src/main.ts) or the image root (dist/src/main.js): where config/ lives. */
const ROOT = [join(HERE, '..'), join(HERE, '..', '..')].find((d) => existsSync(join(d, 'config', 'default.json'))) ?? join(HERE, '..');

/** Settings from config/default.json, CONFIG_FILE and the environment; exits listing every problem. */
function settingsOrExit(): Settings {
  const files = [join(ROOT, 'config', 'default.json')];
  if (process.env.CONFIG_FILE) files.push(process.env.CONFIG_FILE);
  const env = { ...process.env };
  delete env.CONFIG_FILE;
  try {
    return loadSettings(files, env);
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** Runs a node until SIGTERM/SIGINT, then shuts it down in order. */
async function serveNode(settings: Settings): Promise<void> {
  const log = createLogger(settings.LOG_LEVEL);
  const node = await startNode(settings, log);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    node.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const args = process.argv.slice(2);
if (args.length > 0) {
  process.exitCode = await runCli(args, settingsOrExit(), (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`));
} else {
  await serveNode(settingsOrExit());
}
