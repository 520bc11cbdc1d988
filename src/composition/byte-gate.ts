/**
 * Bounds how many bytes a kind of work holds at once: each task names its bytes and waits,
 * first come first served, until they fit. A task larger than the whole gate runs alone.
 * Used for the intake's whole-file PDF checks (document-inspector.ts): each reads its
 * document (up to 16 MB) into memory and hands a copy to a PDF thread, so without a bound
 * a burst of sends waiting for one PDF thread held every document at once (a hundred
 * sends of 8 × 1 MB: +1.3 GB; bench/memory-hostile.ts).
 */
export class ByteGate {
  #free: number;
  readonly #waiting: { readonly bytes: number; readonly start: () => void }[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity må være et heltall ≥ 1, fikk ${capacity}`);
    this.#free = capacity;
  }

  /** Runs `work` once `bytes` (at most the capacity) are free; they are free again when it settles. */
  async run<T>(bytes: number, work: () => Promise<T>): Promise<T> {
    const held = Math.min(Math.max(0, Math.ceil(bytes)), this.capacity);
    // No overtaking: a task waits while anyone waits before it, even if it would fit.
    if (this.#waiting.length > 0 || held > this.#free)
      await new Promise<void>((start) => this.#waiting.push({ bytes: held, start }));
    else this.#free -= held;
    try {
      return await work();
    } finally {
      this.#free += held;
      this.#startWaiting();
    }
  }

  /** Starts the waiting tasks at the head of the line that fit now. */
  #startWaiting(): void {
    for (let next = this.#waiting[0]; next !== undefined && next.bytes <= this.#free; next = this.#waiting[0]) {
      this.#waiting.shift();
      this.#free -= next.bytes;
      next.start();
    }
  }
}
