/**
 * Which nodes run on a DATA_DIR: each node process (web, worker, a worker process beside it)
 * marks itself in `DATA_DIR/run/<pid>.json` while its storage is open and removes the mark
 * when it closes. `budbringer restore` reads the marks and refuses while a marked process on
 * this host is alive, since replacing the database under a running node would lose what it
 * writes. A mark left by a node killed with SIGKILL names a dead process and is ignored.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

/** Marks this process as a node on `dataDir`; the returned function removes the mark. */
export async function markRunning(dataDir: string, now: number = Date.now()): Promise<() => Promise<void>> {
  const dir = join(dataDir, RUN_DIR);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${process.pid}.json`);
  await writeFile(file, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: now }));
  return () => rm(file, { force: true });
}

/** The marked processes on `dataDir` that are alive on this host (none when nothing is marked). */
export async function liveNodes(dataDir: string): Promise<RunningNode[]> {
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
    if (typeof mark.pid !== 'number' || mark.host !== hostname() || mark.pid === process.pid) continue;
    if (isNodeProcess(mark.pid)) live.push({ pid: mark.pid, host: mark.host, startedAt: Number(mark.startedAt), file });
  }
  return live;
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
