/**
 * Waiting for something at most so long: the store's writes that wait for Redis, the worker
 * stop that waits for BullMQ, /readyz and /metrics that wait for a store.
 */

/**
 * `promise`'s outcome, or a rejection with `late()` once `ms` have passed first. The timer is
 * cleared either way; the promise runs on, and a rejection of it after the bound is handled.
 */
export async function withinMs<T>(promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(late()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `promise` settles (either way) within `ms`. */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = promise.then(
    () => true,
    () => true,
  );
  return withinMs(settled, ms, () => new Error('late')).catch(() => false);
}
