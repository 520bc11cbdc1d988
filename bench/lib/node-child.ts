/**
 * Starts and stops the node under test as a child process (its RSS is its own): embedded
 * mode, its own DATA_DIR, PORT=0, run as `npm start` runs it (tsx).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CpuSample } from './cpu-sample.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A running node under test. */
export interface NodeChild {
  readonly url: string;
  readonly pid: number;
  /** Milliseconds from spawn to the first 200 from /healthz. */
  readonly readyMs: number;
  /** VmRSS in bytes after two full GCs in the child. */
  rssAfterGc(): Promise<number>;
  /** CPU the node has used so far, process and main thread (lib/cpu-sample.ts). */
  cpu(): Promise<CpuSample>;
  /** VmRSS now, read from /proc/<pid>/status. */
  rssNow(): number;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Spawns the node with `env` on top of the bench defaults; resolves when /healthz answers 200. */
export async function startNode(
  env: Record<string, string>,
  extraExecArgv: string[] = [],
  timeoutMs = 60_000,
): Promise<NodeChild> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', ...extraExecArgv, '--import', 'tsx', join(ROOT, 'bench', 'lib', 'node-under-test.ts')],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not start in time:\n${out.slice(-3000)}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      // Only the start-up line matters; keep the tail for error messages.
      out = (out + chunk.toString('utf8')).slice(-20_000);
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        // From here the node's log lines are drained unread: matching each chunk would
        // cost the load generator CPU that the node under test competes for.
        child.stdout?.off('data', onData).resume();
        child.stderr?.off('data', onData).resume();
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`node exited with ${code} before listening:\n${out.slice(-3000)}`));
    });
  });
  // Ready = the first 200 from /healthz (what the Docker health check asks).
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const readyMs = performance.now() - t0;
  const pid = child.pid as number;
  return {
    url,
    pid,
    readyMs,
    rssAfterGc: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { rss: number }).rss));
        child.send('gc');
      }),
    cpu: () =>
      new Promise((resolve) => {
        const onMessage = (m: unknown): void => {
          const sample = (m as { cpu?: CpuSample }).cpu;
          if (sample === undefined) return;
          child.off('message', onMessage);
          resolve(sample);
        };
        child.on('message', onMessage);
        child.send('cpu');
      }),
    rssNow: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
