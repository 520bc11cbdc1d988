/**
 * The composition root: the only module that reads the environment. Without arguments
 * it runs a node (`npm start`); with arguments it is the `budbringer` CLI
 * (`npx budbringer sender create --name …`), working on the same DATA_DIR, also while a
 * server runs (SQLite WAL allows a second writer process).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import {
  loadSettingsWithWarnings,
  SettingsError,
  type LoadedSettings,
  type SettingsFile,
} from './config/load-settings.js';
import { packageVersion } from './composition/package-version.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The checkout (src/main.ts) or the image root (dist/src/main.js): where config/ lives. */
const ROOT =
  [join(HERE, '..'), join(HERE, '..', '..')].find((d) => existsSync(join(d, 'config', 'default.json'))) ??
  join(HERE, '..');

/**
 * Settings from config/default.json, CONFIG_FILE and the environment, with warnings about
 * variables that look like settings; exits listing every problem.
 */
function settingsOrExit(): LoadedSettings {
  const files: SettingsFile[] = [join(ROOT, 'config', 'default.json')];
  if (process.env.CONFIG_FILE) files.push({ path: process.env.CONFIG_FILE, namedBy: 'CONFIG_FILE' });
  try {
    return loadSettingsWithWarnings(files, process.env);
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** Runs a node until SIGTERM/SIGINT, then shuts it down in order. */
async function serveNode({ settings, warnings }: LoadedSettings): Promise<void> {
  // Imported here: a CLI command never loads the node (actors, HTTP, pdf-lib).
  const { consoleIntoLog, createLogger } = await import('./composition/logging.js');
  const { startNode } = await import('./composition/node.js');
  const log = createLogger(settings.LOG_LEVEL);
  consoleIntoLog(log);
  for (const warning of warnings) log.warn({ warning }, 'environment variable looks like a setting but is none');
  const { asStartError } = await import('./composition/start-error.js');
  const { endWithParent, startWorkerProcesses } = await import('./composition/worker-processes.js');
  const whenParentEnds = endWithParent();
  let node: Awaited<ReturnType<typeof startNode>>;
  try {
    node = await startNode(settings, log);
  } catch (error) {
    // A setting or its surroundings: named in one line, exit 2 like a setting the schema refused.
    const refused = asStartError(error, settings.DATA_DIR);
    if (refused === undefined) throw error;
    log.fatal({ err: error }, 'the node could not start');
    process.stderr.write(`${refused.message}\n`);
    process.exit(2);
  }
  const { answerMetricsRequests } = await import('./composition/worker-metrics.js');
  const { pdfWorkerThreads } = await import('./composition/node.js');
  // Embedded mode only: in cluster mode more nodes (or BUDBRINGER_ROLES=worker) do this.
  const workers =
    settings.WORKER_PROCESSES > 0 && settings.MONGODB_URI === undefined && process.argv[1] !== undefined
      ? startWorkerProcesses({
          count: settings.WORKER_PROCESSES,
          entry: process.argv[1],
          env: process.env,
          pdfThreads: pdfWorkerThreads(settings),
          log,
        })
      : undefined;
  // The jobs run in the worker processes: their counts join the node's /metrics.
  const metrics = node.metrics;
  if (metrics !== undefined) {
    if (workers !== undefined) metrics.addPeers(() => workers.metrics());
    answerMetricsRequests(() => metrics.eventMetrics());
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    Promise.all([node.close(), workers?.stop()]).then(
      () => {
        // The last line of a clean stop, so an operator reading the log knows it got there.
        log.info({ signal }, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  whenParentEnds(() => stop('parent ended'));
}

// Every time the product shows is Oslo's, computed with an explicit zone; the one exception is
// a zip entry's MS-DOS time (SvarInn downloads), which has no zone and which the zip library
// takes from the process's local clock. A node in a container (TZ unset: UTC) or anywhere else
// wrote it one to thirteen hours off (found in review). Set before any Date is read locally.
process.env.TZ = 'Europe/Oslo';

const args = process.argv.slice(2);
if (args.length > 0) {
  const { runCli } = await import('./cli/run-cli.js');
  process.exitCode = await runCli(args, {
    settings: () => {
      // stderr: stdout carries the command's JSON.
      const { settings, warnings } = settingsOrExit();
      for (const warning of warnings) process.stderr.write(`Advarsel: ${warning}\n`);
      return settings;
    },
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    passwordSource: { stdin: process.stdin, prompt: process.stderr },
    version: packageVersion(),
  });
  // A command is done when runCli returns: a client still reconnecting to a store that is away
  // (Redis, MongoDB) must not keep the process alive after it has answered.
  setTimeout(() => process.exit(), 1000).unref();
} else {
  await serveNode(settingsOrExit());
}
