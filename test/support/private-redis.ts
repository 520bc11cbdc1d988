/**
 * A Redis server of a test's own, on a free port of 127.0.0.1, that the test may stop and
 * start again (a Redis that goes away), without touching the Redis other tests share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once something accepts connections on `port`. */
async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not start on ${port}`);
}

/** redis-server on one port, without persistence, started and stopped at will. */
export class PrivateRedis {
  #process: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again; nothing when it runs) and resolves once it takes connections. */
  async start(): Promise<void> {
    if (this.#running()) return;
    this.#process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitForPort(this.port);
  }

  /** Kills it (SIGKILL, as a crash) and resolves once it has exited. */
  async stop(): Promise<void> {
    const running = this.#process;
    if (running === undefined || !this.#running()) return;
    running.kill('SIGKILL');
    await new Promise((resolve) => running.once('exit', resolve));
  }

  #running(): boolean {
    return this.#process !== undefined && this.#process.exitCode === null && this.#process.signalCode === null;
  }
}
