/**
 * A bound on the bytes that background work holds in memory at once: the compose of a
 * letter reads all its documents before a PDF thread takes them, so with several compose
 * jobs at once (JOB_CONCURRENCY) the documents of all of them would sit in the node's
 * memory while they wait for the thread, up to 350 MiB a letter. Each compose holds its
 * letter's document bytes from the budget until its file is stored; one that does not fit
 * waits, first come first served. A letter larger than the whole budget waits until it
 * has the budget to itself, so it still gets built.
 */

interface Waiter {
  readonly bytes: number;
  readonly start: () => void;
}

/** Up to `limit` bytes held at once by the work run through `hold`. */
export class ByteBudget {
  #free: number;
  readonly #waiting: Waiter[] = [];

  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`A byte budget must be a positive integer, got ${limit}`);
    this.#free = limit;
  }

  /** Bytes held now. */
  get held(): number {
    return this.limit - this.#free;
  }

  /** Runs `work` once `bytes` (at most the whole budget) can be held, and gives them back when it ends, however it ends. */
  async hold<T>(bytes: number, work: () => Promise<T>): Promise<T> {
    const want = Math.min(this.limit, Math.max(0, Math.ceil(bytes)));
    await this.#take(want);
    try {
      return await work();
    } finally {
      this.#free += want;
      this.#startWaiting();
    }
  }

  #take(want: number): Promise<void> {
    if (this.#waiting.length === 0 && want <= this.#free) {
      this.#free -= want;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push({ bytes: want, start: resolve }));
  }

  /** Starts the waiters in order while the first one fits (none overtakes another). */
  #startWaiting(): void {
    for (let next = this.#waiting[0]; next !== undefined && next.bytes <= this.#free; next = this.#waiting[0]) {
      this.#waiting.shift();
      this.#free -= next.bytes;
      next.start();
    }
  }
}
