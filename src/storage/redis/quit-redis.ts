/** Opening and closing an ioredis client, shared by the Redis adapters (BullMQ jobs, attempt counts, served parts). */
import { Redis, type RedisOptions } from 'ioredis';

/** Settings every small Redis adapter takes. */
export interface RedisAdapterOptions {
  /** `redis://…` URL (REDIS_URL) or ioredis options. */
  readonly connection: string | RedisOptions;
  /** Key prefix (QUEUE_PREFIX); tests use a unique one each. */
  readonly prefix: string;
  /** Receives connection errors (docs/architecture.md, conventions: every client has an `error` listener). */
  readonly onError?: (error: Error) => void;
}

/**
 * A client that fails a command after two retries, not ioredis' twenty: while Redis is away
 * the caller is answered within a moment instead of waiting up to a minute. Its errors go to
 * `onError`, else to stderr under `label`.
 */
export function failFastClient(options: RedisAdapterOptions, label: string): Redis {
  const { connection } = options;
  const failFast = { maxRetriesPerRequest: 2 };
  const client =
    typeof connection === 'string' ? new Redis(connection, failFast) : new Redis({ ...failFast, ...connection });
  client.on('error', options.onError ?? ((error: Error) => console.error(`[${label}]`, error)));
  return client;
}

/** Closes a client gracefully, or drops it when Redis is unreachable. */
export async function quit(client: Redis): Promise<void> {
  try {
    if (client.status === 'ready') await client.quit();
    else client.disconnect();
  } catch {
    client.disconnect();
  }
}
