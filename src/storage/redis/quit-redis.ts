/** Closing an ioredis client, shared by the Redis adapters (BullMQ jobs, attempt counts). */
import type { Redis } from 'ioredis';

/** Closes a client gracefully, or drops it when Redis is unreachable. */
export async function quit(client: Redis): Promise<void> {
  try {
    if (client.status === 'ready') await client.quit();
    else client.disconnect();
  } catch {
    client.disconnect();
  }
}
