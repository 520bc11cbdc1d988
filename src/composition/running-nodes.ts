/**
 * Which nodes run on a DATA_DIR: each node process (web, worker, a worker process beside it)
 * marks itself in `DATA_DIR/run/<pid>.json` while its storage is open, touches the mark every
 * HEARTBEAT_MS, and removes it when it closes. `budbringer restore` reads the marks and
 * refuses while a marked process on this host is alive, or while a mark of another host was
 * touched within STALE_AFTER_MS, since replacing the database under a running node would lose
 * what it writes. The heartbeat covers a restore run on another host name on the same
 * volume: a new container (`docker run … restore`), a Kubernetes Job, where the process check
 * cannot see the node (review of 7 December 2026: a letter acknowledged after such a restore
 * was gone after the node's restart). A mark left by a node killed with SIGKILL names a dead
 * process and goes stale.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** A node process marked as running on a DATA_DIR. */
export interface RunningNode {
  readonly pid: number;
  readonly host: string;
  /** Epoch ms. */
  readonly startedAt: number;
  /** The mark's file. */
  readonly file: string;
}

const RUN_DIR = 'run';

/** How often a node touches its mark. */
export const HEARTBEAT_MS = 10_000;

/** A mark touched longer ago than this is a dead node's (three heartbeats missed). */
export const STALE_AFTER_MS = 3 * HEARTBEAT_MS;

/** Marks this process as a node on `dataDir`, touched every HEARTBEAT_MS; the returned function removes the mark. */
export async function markRunning(
  dataDir: string,
  now: number = Date.now(),
  heartbeatMs: number = HEARTBEAT_MS,
): Promise<() => Promise<void>> {
  const dir = join(dataDir, RUN_DIR);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${process.pid}.json`);
  await writeFile(file, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: now }));
  const heartbeat = setInterval(() => {
    const at = new Date();
    // A failed touch (a full or read-only disk) only makes the mark look stale sooner.
    utimes(file, at, at).catch(() => undefined);
  }, heartbeatMs);
  heartbeat.unref();
  return async () => {
    clearInterval(heartbeat);
    await rm(file, { force: true });
  };
}

/**
 * The marked processes on `dataDir` that are alive: on this host by their process, on another
 * host by a mark touched within STALE_AFTER_MS of `now` (none when nothing is marked).
 */
export async function liveNodes(dataDir: string, now: number = Date.now()): Promise<RunningNode[]> {
  const dir = join(dataDir, RUN_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const live: RunningNode[] = [];
  for (const name of names.filter((n) => /^\d+\.json$/.test(n))) {
    const file = join(dir, name);
    let mark: Partial<RunningNode>;
    try {
      mark = JSON.parse(await readFile(file, 'utf8')) as Partial<RunningNode>;
    } catch {
      continue; // half written or not ours
    }
    if (typeof mark.pid !== 'number' || typeof mark.host !== 'string') continue;
    if (mark.host === hostname() && mark.pid === process.pid) continue;
    // This host's processes can be asked; another host's node is known by its heartbeat.
    const alive = mark.host === hostname() ? isNodeProcess(mark.pid) : now - (await touchedAt(file)) < STALE_AFTER_MS;
    if (alive) {
      live.push({ pid: mark.pid, host: mark.host, startedAt: Number(mark.startedAt), file });
    }
  }
  return live;
}

/** When `file` was last written or touched (epoch ms); 0 when it is gone. */
async function touchedAt(file: string): Promise<number> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

/** True when `pid` is a live process that runs Node (Linux: its command line; elsewhere: alive). */
function isNodeProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return /node|tsx|budbringer/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true;
  }
}
