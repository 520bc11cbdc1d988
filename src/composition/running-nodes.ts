/**
 * Which nodes run on a DATA_DIR: each node process (web, worker, a worker process beside it)
 * marks itself in `DATA_DIR/run/<host>-<pid>-<random>.json` while its storage is open,
 * touches the mark every HEARTBEAT_MS (writing it again should it be gone), and removes it
 * when it closes. `budbringer restore` reads the marks and refuses while any mark was touched
 * within STALE_AFTER_MS, or names a live Node process on this host, since replacing the
 * database under a running node would lose what it writes.
 *
 * The heartbeat decides, whatever host wrote the mark: a restore may run in a new container
 * on the node's volume (another host name), or in one with the node's host name but another
 * process namespace (pid 1 in each), where a process check says nothing true (reviews of 7
 * December 2026: a letter acknowledged after such a restore was gone when the node restarted;
 * two containers' nodes, both pid 1, shared one `1.json`). The process check can only add:
 * a live node on this host whose mark is old (a stalled disk) still blocks. A mark left by a
 * node killed with SIGKILL goes stale after STALE_AFTER_MS.
 */
import { randomUUID } from 'node:crypto';
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

/** Marks this process as a node on `dataDir`, touched every `heartbeatMs`; the returned function removes the mark. */
export async function markRunning(
  dataDir: string,
  now: number = Date.now(),
  heartbeatMs: number = HEARTBEAT_MS,
): Promise<() => Promise<void>> {
  const dir = join(dataDir, RUN_DIR);
  await mkdir(dir, { recursive: true });
  const host = hostname();
  const file = join(dir, `${host.replace(/[^A-Za-z0-9.-]/g, '_')}-${process.pid}-${randomUUID().slice(0, 8)}.json`);
  const content = JSON.stringify({ pid: process.pid, host, startedAt: now });
  await writeFile(file, content);
  const heartbeat = setInterval(() => {
    const at = new Date();
    // Gone (another version's restore, someone tidying): written again. A failed write (a
    // full or read-only disk) only makes the mark look stale sooner.
    utimes(file, at, at).catch(() => writeFile(file, content).catch(() => undefined));
  }, heartbeatMs);
  heartbeat.unref();
  return async () => {
    clearInterval(heartbeat);
    await rm(file, { force: true });
  };
}

/** The marked processes on `dataDir` that may be alive (none when nothing is marked); see the file comment. */
export async function liveNodes(dataDir: string, now: number = Date.now()): Promise<RunningNode[]> {
  const dir = join(dataDir, RUN_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const live: RunningNode[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const file = join(dir, name);
    let mark: Partial<RunningNode>;
    try {
      mark = JSON.parse(await readFile(file, 'utf8')) as Partial<RunningNode>;
    } catch {
      continue; // half written or not ours
    }
    if (typeof mark.pid !== 'number' || typeof mark.host !== 'string') continue;
    const fresh = now - (await touchedAt(file)) < STALE_AFTER_MS;
    const liveHere = mark.host === hostname() && mark.pid !== process.pid && isNodeProcess(mark.pid);
    if (fresh || liveHere) live.push({ pid: mark.pid, host: mark.host, startedAt: Number(mark.startedAt), file });
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
