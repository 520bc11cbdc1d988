/**
 * The load generator: keep-alive HTTP/1.1 from the bench process, a closed loop of
 * `concurrency` clients, each sending its next request when the previous answer is in.
 */
import { Agent, request } from 'node:http';

/** One answer. */
export interface Answer {
  readonly status: number;
  readonly body: Buffer;
}

/** A keep-alive client for one node. */
export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets: number) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** Sends one request and reads the whole answer. */
  send(method: string, path: string, headers: Record<string, string | number> = {}, body?: Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          path,
          method,
          agent: this.agent,
          headers: body === undefined ? headers : { ...headers, 'content-length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Closes idle sockets. */
  close(): void {
    this.agent.destroy();
  }
}

/** What a closed-loop run measured. */
export interface LoadResult {
  readonly done: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Latency of each request in ms, in completion order. */
  readonly latenciesMs: number[];
}

/**
 * Runs `concurrency` clients until `count` requests are done or `durationMs` has passed
 * (whichever comes first; requests in flight at the end are awaited and counted).
 * `one(n)` performs request number n and throws on a wrong answer.
 */
export async function closedLoop(
  concurrency: number,
  limit: { count?: number; durationMs?: number },
  one: (n: number) => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  const deadline = limit.durationMs === undefined ? Number.POSITIVE_INFINITY : start + limit.durationMs;
  const maxCount = limit.count ?? Number.POSITIVE_INFINITY;
  const client = async (): Promise<void> => {
    while (next < maxCount && performance.now() < deadline) {
      const n = next++;
      const t0 = performance.now();
      await one(n);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - start) / 1000;
  return { done: latencies.length, seconds, perSecond: latencies.length / seconds, latenciesMs: latencies };
}

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
