/**
 * A counting semaphore. The BullMQ adapter runs one Worker per job type, so the port's
 * single `concurrency` bound (JobQueue.work) has to be enforced across those Workers.
 */
export class ConcurrencyGate {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`concurrency må være et heltall ≥ 1, fikk ${limit}`);
    this.#free = limit;
  }

  /** Resolves with a release function once a slot is free. */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) {
      this.#free -= 1;
    } else {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      // Hand the slot straight to the next waiter so no newcomer can overtake it.
      if (next) next();
      else this.#free += 1;
    };
  }
}
