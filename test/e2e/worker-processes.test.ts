/**
 * WORKER_PROCESSES (embedded mode): the node starts worker-only processes on its DATA_DIR
 * that run the letter's jobs; they end with the node, also when it is killed with -9.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAvsender } from '../../src/app/accounts.js';
import { openStorage } from '../../src/composition/storage.js';
import { loadSettings } from '../../src/config/load-settings.js';
import {
  ACCEPTED_OR_LATER,
  eventually,
  letterPdf,
  restForsendelse,
  restSend,
  waitForStatus,
  type Creds,
} from '../factories.js';
import { startNodeProcess, type NodeProcess } from '../node-process.js';

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The JSON log lines of `output` (the node's and its worker processes'). */
function logLines(output: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

describe('worker processes beside an embedded node', () => {
  let dataDir: string;
  let creds: Creds;
  let proc: NodeProcess | undefined;
  const workerPids: number[] = [];
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'budbringer-workerprocs-'));
    const storage = await openStorage(loadSettings([], { DATA_DIR: dataDir }));
    const { servicePassword } = await createAvsender(storage.config, { navn: 'Prosesskommune', now: Date.now() });
    await storage.close();
    creds = { user: 'Prosesskommune', password: servicePassword };
  });
  after(async () => {
    if (proc !== undefined && proc.child.exitCode === null) await proc.kill9();
    for (const pid of workerPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it(
    'a web node leaves the jobs to its worker process, which ends when the node is killed',
    { timeout: 120_000 },
    async () => {
      proc = await startNodeProcess({
        DATA_DIR: dataDir,
        BUDBRINGER_ROLES: 'web',
        WORKER_PROCESSES: '1',
        PDF_WORKERS: '1',
        JOB_POLL_MS: '50',
      });
      const node = proc;
      const started = await eventually(
        async () => logLines(node.output()).find((l) => l.msg === 'worker process started'),
        30_000,
        'worker process started',
      );
      const workerPid = started.workerPid as number;
      workerPids.push(workerPid);
      assert.notEqual(workerPid, node.child.pid);
      assert.ok(alive(workerPid));

      const sent = await restSend(node.url, creds, restForsendelse(), [
        { filename: 'brev.pdf', bytes: await letterPdf() },
      ]);
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const id = sent.body.id as string;
      await waitForStatus(node.url, creds, id, ACCEPTED_OR_LATER, 60_000);
      const composed = await eventually(
        async () =>
          logLines(node.output()).find(
            (l) => l.msg === 'job done' && l.jobType === 'compose' && l.forsendelseId === id,
          ),
        15_000,
        'compose job logged',
      );
      assert.equal(composed.pid, workerPid, 'the compose job ran in the worker process');
      // Its job count reaches the node's /metrics (before: only the node's own counts did).
      const composeCount = async (): Promise<number> => {
        const text = await (await fetch(`${node.url}/metrics`)).text();
        const line = text
          .split('\n')
          .find(
            (l) =>
              l.startsWith('budbringer_job_runs_total{') &&
              l.includes('type="compose"') &&
              l.includes('outcome="completed"'),
          );
        return Number(line?.split(' ').at(-1) ?? 0);
      };
      const composeRuns = await eventually(
        async () => {
          const n = await composeCount();
          return n >= 1 ? n : undefined;
        },
        10_000,
        'the worker process’s compose run in /metrics',
      );
      // The sum only goes up: a worker that does not answer counts with its last answer, and
      // one that ended (its replacement counts from 0) with its last answer too.
      process.kill(workerPid, 'SIGSTOP');
      try {
        assert.ok((await composeCount()) >= composeRuns, 'a worker that does not answer');
      } finally {
        process.kill(workerPid, 'SIGCONT');
      }
      process.kill(workerPid, 'SIGKILL');
      const restarted = await eventually(
        async () => logLines(node.output()).find((l) => l.msg === 'worker process started' && l.pid !== workerPid),
        30_000,
        'the worker process started again',
      );
      workerPids.push(restarted.pid as number);
      assert.ok((await composeCount()) >= composeRuns, 'a worker that ended');

      await node.kill9();
      const last = restarted.pid as number;
      await eventually(async () => (alive(last) ? undefined : true), 30_000, 'worker process ended with its node');
    },
  );

  it(
    'a worker process whose node ended while it still started ends at once and cleanly, without taking work (it crashed on a null channel after starting its jobs; found in review)',
    { timeout: 60_000 },
    async () => {
      const root = join(import.meta.dirname, '..', '..');
      // As WORKER_PROCESSES forks it, with an IPC channel; the "node" lets go of it at once.
      const child = fork(join(root, 'src', 'main.ts'), [], {
        cwd: root,
        execArgv: ['--import', 'tsx'],
        // Only what it needs, as node-process.ts does: CI's environment names a MongoDB and more.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          DATA_DIR: dataDir,
          BUDBRINGER_ROLES: 'worker',
          PDF_WORKERS: '1',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      workerPids.push(child.pid ?? 0);
      let output = '';
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      child.disconnect();
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.doesNotMatch(output, /TypeError|Error/);
      assert.equal(code, 0, output);
      assert.equal(
        logLines(output).find((l) => l.msg === 'start-up repair done'),
        undefined,
        'it did not go on to repair and take jobs',
      );
    },
  );
});
